"""One typed view of the page, built from a session and the events of the last action.

The persistent parts (the conversation, the spiegel panel, the A4, the list of sessions) are
read from the session; the rest follows the events: `Coverage` sets the perspective map, a
`Question` sets which choice is open (situations, virtues), a `Draft` opens the A4 with its
title suggestions, a `Notice` that is not part of the conversation goes to the status line.
Opening a stored session uses the same path with the events that show it as it stands.
No Gradio here: `updates` in the page turns a view into component updates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import Moment, Phase, SessionState, Wie
from assistant.facilitator.events import Coverage, Draft, Event, Mirror, Notice, Question
from assistant.ui import views
from assistant.ui.blocks_view import BlocksView

NONE_CHOICE = {
    "ik": "0. Mijn situatie staat er niet bij",
    "wij": "0. Onze situatie staat er niet bij",
}
EMPTY_MAP = views.map_labels(None)
# The steps in which a perspective can be chosen (the facilitator refuses it elsewhere).
ROMP_STEPS = ("romp", "gulden_midden", "overgeslagen")


@dataclass
class PageView:
    """Everything the reflection tab shows, by component."""

    chat: list[dict[str, str]] = field(default_factory=list)
    # None: leave as it is (no event this time said otherwise).
    situations: list[str] | None = None
    virtues_shown: bool | None = None
    virtues: list[str] = field(default_factory=list)
    map_labels: list[str] = field(default_factory=lambda: list(EMPTY_MAP))
    mirror_panel: str = ""
    mirror_shown: bool = False
    titles: list[str] = field(default_factory=list)
    titel: str = ""
    kenmerkende_ervaring: str = ""
    beeld: str = ""
    afbeelding: str = ""
    preview: str = ""
    sessions: list[tuple[str, str]] = field(default_factory=list)
    session_id: str | None = None
    typed: str = ""
    placeholder: str = views.NO_SESSION_PLACEHOLDER
    labels: views.Labels = views.LABELS["ik"]
    status: str = ""
    tab: str | None = None
    # The session's form and moment as it was started (None: no session, leave the choice).
    wie: Wie | None = None
    moment: Moment | None = None
    steps: str = field(default_factory=lambda: views.steps(None))
    # What can act now: the answer box, the romp's buttons, the A4.
    answering: bool = False
    in_romp: bool = False
    drafted: bool = False
    can_skip: bool = False
    can_go_back: bool = False
    past_romp: bool = False
    writing: bool = False  # the beeld is being written: the building blocks, the title
    # The building-block panel (None: hidden, outside the step); `blocks_fill`: its fields
    # are filled from the session (the step opened or the beeld grew), else left as typed.
    blocks: BlocksView | None = None
    blocks_fill: bool = False


def page_view(
    state: SessionState | None,
    events: list[Event],
    *,
    sessions: list[tuple[str, str]],
    situations: dict[int, tuple[str, str]],
    image: Path | None = None,
    fits: bool = True,
    status: str = "",
    typed: str = "",
    blocks: BlocksView | None = None,
    opened: bool = False,
) -> PageView:
    """The view of a session (None: no session open) after `events`; `blocks`: the panel of
    the building-block step; `opened`: the session is shown as it stands (not after an
    action)."""
    view = PageView(
        sessions=sessions,
        status=status,
        typed=typed,
        mirror_panel=views.mirror_panel(state, situations),
        preview=views.a4_preview(None, None, True),
    )
    if state is None:
        view.situations, view.virtues_shown, view.tab = [], False, "spiegel"
        return view
    view.session_id = state.id
    view.chat = views.chat_messages(state)
    view.wie, view.moment = state.wie, state.moment
    view.labels = views.LABELS[state.wie]
    view.steps = views.steps(state.phase)
    view.drafted = state.step == "concept"
    view.in_romp = state.step in ROMP_STEPS
    # Skip acts on the perspective asked now; back on one visited before, though not while
    # the beeld is written (the panel and the title are the way on, one at a time).
    view.can_skip = state.step in ("romp", "gulden_midden") and state.current is not None
    view.can_go_back = state.step not in ("bouwstenen", "titel") and any(
        p != state.current for p in state.visited
    )
    view.past_romp = state.phase in (Phase.STAART, Phase.CONCEPT)
    view.writing = state.step in ("bouwstenen", "titel")
    if state.step == "bouwstenen":
        view.blocks = blocks
        view.blocks_fill = opened or any(isinstance(e, (Draft, Question)) for e in events)
    view.answering = not view.drafted
    view.placeholder = views.CONCEPT_PLACEHOLDER if view.drafted else view.labels.placeholder
    view.virtues = list(state.deugden)
    view.mirror_shown = views.last_mirror_id(state) is not None
    a4 = state.a4
    view.titel, view.kenmerkende_ervaring = a4.titel, a4.kenmerkende_ervaring
    view.beeld, view.afbeelding = a4.beeld, a4.afbeelding
    if state.step in ("titel", "concept"):  # the beeld stands while the title is chosen
        view.preview = views.a4_preview(state, image, fits)
    for event in events:
        route(view, event)
    return view


def route(view: PageView, event: Event) -> None:
    """Send one event to the part of the view it belongs to."""
    match event:
        case Coverage():
            view.map_labels = views.coverage_labels(event)
        case Question(options=options) if options and all(o.value.isdigit() for o in options):
            view.situations = [f"{o.value}. {o.label}" for o in options if o.value != "0"]
            view.situations.append(NONE_CHOICE[view.wie or "ik"])
            view.virtues_shown = False
        case Question(perspective=perspective):
            view.situations = []
            view.virtues_shown = perspective is Perspectief.WAARDEN_DEUGDEN
        case Draft(titles=titles):
            view.titles = list(titles)
            view.situations, view.virtues_shown = [], False
            view.tab = "a4"
        case Notice(transient=True, text=text):
            view.status = text
        case Mirror():
            view.mirror_shown = True


def read_named(fields: tuple[str, ...], result: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
    """An API reply of a view-returning endpoint as a dict by field name.

    Outputs after the view's own (a checkbox ticked off again) are left out.
    """
    if len(result) < len(fields):
        raise ValueError(f"{len(result)} outputs; a view has {len(fields)}")
    return dict(zip(fields, result, strict=False))
