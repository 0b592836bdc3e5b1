"""The building-block panel of the reflection tab: tick, order and complete the beeld's
building blocks in the page, shown only in the building-block step.

Its button makes the same `BuildBeeld` action an API client makes; "Neem het concept" makes
it without a pick (the blocks the draft proposes). Bad input leaves every field as typed,
with a Dutch note under the buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.actions import BuildBeeld
from assistant.export.markdown import escape
from assistant.facilitator.questions import OPENING_KEYS
from assistant.ui import views
from assistant.ui.blocks_view import (
    GROUP_LABELS,
    GROUPS,
    BlocksView,
    read_order,
    tick_groups,
    ticked_in_order,
)

if TYPE_CHECKING:
    from assistant.ui.handlers import ReflectionHandlers

Updates = dict[Any, Any]
# The panel's outputs an API client receives, by name (after the rest of the view's).
BLOCKS_API_FIELDS = (
    "bouwstenen_kop",
    *(f"bouwstenen_{group.value if group else 'afronding'}" for group in GROUPS),
    "volgorde",
    *(f"opening_{key}" for key in OPENING_KEYS),
    "eigen",
    "bouwstenen_melding",
)


@dataclass
class BlocksPanel:
    """The panel's components, by name."""

    panel: gr.Column
    heading: gr.Markdown
    groups: list[gr.CheckboxGroup]
    order: gr.Textbox
    openings: dict[str, gr.Textbox]
    eigen: gr.Textbox
    build_btn: gr.Button
    take_btn: gr.Button
    note: gr.Markdown

    def outputs(self) -> list[Any]:
        """What a page view updates, in a fixed order."""
        return [
            self.panel, self.heading, *self.groups, self.order, *self.openings.values(),
            self.eigen, self.build_btn, self.take_btn, self.note,
        ]  # fmt: skip

    def fields(self) -> list[Any]:
        """What the user fills in: the order, the ticks per group, the openings, the own text."""
        return [self.order, *self.groups, *self.openings.values(), self.eigen]


def build_blocks_panel(openings: dict[str, str]) -> BlocksPanel:
    """Lay the panel out, hidden until the building-block step; `openings` label the
    sentence openings (the question bank's, in ik-form until a session says otherwise)."""
    labels = views.LABELS["ik"]
    with gr.Column(visible=False, elem_id="bouwstenen", elem_classes="bouwstenen") as panel:
        heading = gr.Markdown(labels.blocks_intro, elem_id="bouwstenen-kop")
        groups = [
            gr.CheckboxGroup(
                choices=[],
                label=GROUP_LABELS[group],
                visible=False,
                elem_id=f"bouwstenen-{group.value if group else 'afronding'}",
            )
            for group in GROUPS
        ]
        order = gr.Textbox(
            label=labels.blocks_order,
            info="Vink aan in de volgorde die je wilt, of typ de nummers, bijvoorbeeld 3, 1, 5.",
            elem_id="bouwstenen-volgorde",
        )
        gr.Markdown("#### Maak een zin af", elem_id="bouwstenen-openingen")
        with gr.Group():  # six short lines, close together
            opening_boxes = {
                key: gr.Textbox(label=openings[key], elem_id=f"opening-{key}")
                for key in OPENING_KEYS
            }
        eigen = gr.Textbox(label=labels.blocks_own, lines=2, elem_id="bouwstenen-eigen")
        with gr.Row():
            build_btn = gr.Button(labels.blocks_build, variant="primary", elem_id="maak-beeld")
            take_btn = gr.Button("Neem het concept", elem_id="neem-concept")
        note = gr.Markdown("", elem_id="bouwstenen-melding")
    return BlocksPanel(
        panel=panel, heading=heading, groups=groups, order=order, openings=opening_boxes,
        eigen=eigen, build_btn=build_btn, take_btn=take_btn, note=note,
    )  # fmt: skip


def panel_updates(
    panel: BlocksPanel, view: BlocksView | None, labels: views.Labels, fill: bool
) -> Updates:
    """The panel for a view: hidden outside the step; filled from the session when `fill`
    (the step opened, or the beeld grew from the chat), else the typed text is left alone."""
    if view is None:
        return {panel.panel: gr.update(visible=False), panel.note: ""}
    out: Updates = {
        panel.panel: gr.update(visible=True),
        panel.heading: labels.blocks_intro
        + (f"\n\n{escape(view.virtues)}" if view.virtues else ""),
        panel.order: gr.update(label=labels.blocks_order),
        panel.eigen: gr.update(label=labels.blocks_own),
        panel.build_btn: gr.update(value=labels.blocks_build),
    }
    for box, (label, words) in zip(panel.openings.values(), view.openings.values(), strict=True):
        # A sentence completed in the chat shows here; an empty one leaves what is typed.
        out[box] = gr.update(label=label, value=words) if fill or words else gr.update(label=label)
    if fill:
        for group, choices, ticked in zip(panel.groups, view.groups, view.ticked, strict=True):
            out[group] = gr.update(choices=choices, value=ticked, visible=bool(choices))
        out[panel.order] = gr.update(label=labels.blocks_order, value=view.order)
        out[panel.eigen] = gr.update(label=labels.blocks_own, value=view.eigen)
        out[panel.note] = ""
    return out


def untouched(panel: BlocksPanel) -> Updates:
    """Updates that leave every field as the user left it."""
    return {component: gr.update() for component in panel.fields()}


def tick(order: str, *ticked: list[str] | None) -> str:
    """The order field after a tick: the order of ticking, kept where it was typed."""
    return ticked_in_order(order or "", [n for group in ticked for n in group or []])


def build_action(view: BlocksView, order: str, fields: tuple[Any, ...]) -> BuildBeeld | str:
    """The `BuildBeeld` action for what the panel holds, or a Dutch note on what is wrong.

    `fields`: the ticks per group, the openings' words, the own text (a sentence a line).
    The order field gives the order; a tick it misses comes last.
    """
    n_groups = len(view.groups)
    ticked = [n for group in fields[:n_groups] for n in group or []]
    numbers = read_order(order or "", len(view.ids))
    if isinstance(numbers, str):
        return numbers
    numbers += [int(n) for n in ticked if int(n) not in numbers]
    action = _written(fields[n_groups:], [view.ids[n - 1] for n in numbers])
    if not (action.blocks or action.openingen or action.eigen):
        return (
            "Vink eerst een of meer zinnen aan, maak een zin af of schrijf een eigen zin. "
            "Of kies ‘Neem het concept’."
        )
    return action


def _written(fields: tuple[Any, ...], blocks: list[str] | None) -> BuildBeeld:
    """The action with the openings' words and the own sentences as the panel holds them."""
    words = dict(zip(OPENING_KEYS, fields[: len(OPENING_KEYS)], strict=True))
    openingen = {k: str(v).strip() for k, v in words.items() if v and str(v).strip()}
    eigen = [line for line in str(fields[-1] or "").splitlines() if line.strip()]
    return BuildBeeld(blocks=blocks, openingen=openingen, eigen=eigen)  # type: ignore[arg-type]


class BlocksHandlers:
    """The panel's handlers; each build goes through the reflection handlers' `act`."""

    def __init__(self, reflection: ReflectionHandlers, panel: BlocksPanel) -> None:
        self.reflection = reflection
        self.service = reflection.service
        self.panel = panel

    def _view(self, sid: str | None, request: gr.Request) -> tuple[Any, BlocksView | None]:
        state = self.reflection.own_session(sid, request)
        return state, self.reflection.blocks_of(state, request)

    def set_order(self, request: gr.Request, sid: str | None, order: str) -> Updates:
        """An order typed by hand ticks the blocks it names; a wrong one gets a note."""
        _, view = self._view(sid, request)
        if view is None:
            return {self.panel.note: ""}
        numbers = read_order(order or "", len(view.ids))
        if isinstance(numbers, str):
            return {self.panel.note: numbers}
        ticks = tick_groups(numbers, view.groups)
        return {self.panel.note: "", **dict(zip(self.panel.groups, ticks, strict=True))}

    def build(self, request: gr.Request, sid: str | None, order: str, *fields: Any) -> Updates:
        """Make the beeld of the ticked blocks in their order, the openings and own text."""
        state, view = self._view(sid, request)
        if view is None:
            return self._refused(state, request, "Bouwstenen kies je na de afronding.")
        action = build_action(view, order, fields)
        if isinstance(action, str):
            return self._refused(state, request, action)
        return self.reflection.act(sid, action, request)

    def take_draft(self, request: gr.Request, sid: str | None, *fields: Any) -> Updates:
        """Take the draft (the blocks it proposes), with the openings and own text typed."""
        state, view = self._view(sid, request)
        if view is None:
            return self._refused(state, request, "Bouwstenen kies je na de afronding.")
        n_groups = len(view.groups)
        return self.reflection.act(sid, _written(fields[1 + n_groups :], None), request)

    def _refused(self, state: Any, request: gr.Request, note: str) -> Updates:
        """The page as it stands with a note; every field keeps what the user typed."""
        out = self.reflection.view(state, None, request, note)
        return {**out, **untouched(self.panel), self.panel.note: note}
