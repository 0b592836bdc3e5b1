"""The building-block step as the page shows it: the user's own sentences by perspective to
tick, the order of the beeld, the sentence openings to complete and a sentence of one's own.

The blocks carry the numbers the chat lists them by, so "3, 1, 5" means the same in the
conversation, in the order field and in the ticks. No Gradio here (see `blocks_panel`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.domain.perspectives import METHOD_ORDER, PERSPECTIEF_LABELS, Perspectief
from assistant.domain.session import Bouwsteen, SessionState

# The panel's groups, in the order the chat lists the blocks: the closing view, then the
# perspectives in the method's order.
GROUPS: tuple[Perspectief | None, ...] = (None, *METHOD_ORDER)
GROUP_LABELS: dict[Perspectief | None, str] = {
    group: PERSPECTIEF_LABELS[group] if group else "Afronding (opent het beeld)" for group in GROUPS
}


@dataclass
class BlocksView:
    """The building-block panel filled from a session."""

    # Per group: its (label, value) choices, the value being the block's number as text.
    groups: list[list[tuple[str, str]]]
    ticked: list[list[str]]
    order: str
    # The block ids by number (number n is ids[n - 1]).
    ids: list[str] = field(default_factory=list)
    # Key → (the opening as a label, the words the user wrote for it).
    openings: dict[str, tuple[str, str]] = field(default_factory=dict)
    eigen: str = ""
    # The chosen virtues with the user's own extremes, to write from ("" without virtues).
    virtues: str = ""


def blocks_view(
    state: SessionState, found: list[Bouwsteen], openings: dict[str, str], virtues: str = ""
) -> BlocksView:
    """The panel for a session in the building-block step; `openings` are the prompts,
    `virtues` the chosen virtues with their extremes."""
    number = {block.id: str(n) for n, block in enumerate(found, 1)}
    chosen = [number[i] for i in state.blocks_chosen or [] if i in number]
    groups: list[list[tuple[str, str]]] = [[] for _ in GROUPS]
    for block in found:
        n = number[block.id]
        groups[GROUPS.index(block.perspective)].append((f"{n}. {block.text}", n))
    return BlocksView(
        groups=groups,
        ticked=[[v for _, v in group if v in chosen] for group in groups],
        order=", ".join(chosen),
        ids=[block.id for block in found],
        openings={k: (label, state.openingen.get(k, "")) for k, label in openings.items()},
        eigen="\n".join(state.eigen_zinnen),
        virtues=virtues,
    )


def read_order(text: str, count: int) -> list[int] | str:
    """The block numbers in an order field ("3, 1 en 5"), each once; or a Dutch message."""
    if re.sub(r"[\d\s,;.]|\ben\b", "", text.lower()):
        return "Typ bij de volgorde alleen nummers, bijvoorbeeld 3, 1, 5."
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if wrong := [n for n in numbers if not 1 <= n <= count]:
        shown = ", ".join(str(n) for n in wrong)
        return f"Nummer {shown} staat niet in de lijst: kies nummers van 1 tot en met {count}."
    return list(dict.fromkeys(numbers))


def ticked_in_order(order: str, ticked: list[str]) -> str:
    """The order field after ticking: numbers still ticked keep their place, a newly ticked
    one comes last (the order of ticking), an unticked one goes."""
    kept = [n for n in re.findall(r"\d+", order) if n in ticked]
    return ", ".join(dict.fromkeys([*kept, *ticked]))


def tick_groups(numbers: list[int], groups: list[list[tuple[str, str]]]) -> list[list[str]]:
    """The ticks per group for the numbers in an order field."""
    wanted = {str(n) for n in numbers}
    return [[v for _, v in group if v in wanted] for group in groups]
