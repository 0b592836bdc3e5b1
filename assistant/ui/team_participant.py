"""The Teamsessie tab: a participant joins with a code, contributes per part, sees the others'
contributions once their own is in, and may let the coach see a beeld of their own.

Only wiring and one view: who may see what is decided by the service from the owner (login name
or browser key), never from anything the client sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.domain.session import A4Field
from assistant.teams import PART_LABELS, PARTS, PartView, Team, TeamError
from assistant.ui import team_views
from assistant.ui.render import read_named
from assistant.ui.serving import PageContext
from assistant.ui.store_errors import store_errors_in_dutch
from assistant.ui.team_shared import (
    Updates,
    a4_boxes,
    a4_values,
    export_row,
    team_list,
    wire_a4,
    wire_exports,
)

PART_CHOICES = [(PART_LABELS[p], p) for p in PARTS]
# The names of the view's outputs an API client receives, in order (`named` reads them).
API_FIELDS = (
    "header", "part", "questions", "text", "group", "titel", "kenmerkende_ervaring", "beeld",
    "afbeelding", "trace", "mine", "status", "own_sessions", "shared",
)  # fmt: skip


def named(result: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
    """An API reply of a participant endpoint as a dict by field name."""
    return read_named(API_FIELDS, result)


@dataclass
class ParticipantLayout:
    """The components of the Teamsessie tab."""

    team_id: gr.State
    code: gr.Textbox
    name: gr.Textbox
    join_btn: gr.Button
    mine: gr.Dropdown
    open_btn: gr.Button
    status: gr.Markdown
    header: gr.Markdown
    part: gr.Radio
    questions: gr.Markdown
    text: gr.Textbox
    save_btn: gr.Button
    group: gr.HTML
    a4: dict[A4Field, gr.Textbox]
    trace: gr.HTML
    export_buttons: dict[str, gr.Button]
    download: gr.HTML
    own_sessions: gr.Dropdown
    consent: gr.Checkbox
    share_btn: gr.Button
    shared: gr.Dropdown
    unshare_btn: gr.Button
    leave_sure: gr.Checkbox
    leave_btn: gr.Button
    team_part: gr.Column

    def view_outputs(self) -> list[Any]:
        """The components the view updates, in the API's order."""
        return [
            self.header, self.part, self.questions, self.text, self.group, *self.a4.values(),
            self.trace, self.mine, self.status, self.own_sessions, self.shared, self.team_part,
        ]  # fmt: skip


def _layout() -> ParticipantLayout:
    gr.Markdown(
        "## Meedoen aan een teamsessie\n"
        "Vul de code in die je van je coach kreeg. Je ziet de inbreng van de anderen op een "
        "onderdeel pas als je daar zelf iets hebt ingebracht."
    )
    with gr.Row():
        code = gr.Textbox(label="Code", placeholder="XXXXX-XXXXX", elem_id="team-code")
        name = gr.Textbox(
            label="Je naam (alleen zichtbaar als de groep met namen werkt)", elem_id="team-naam"
        )
        join_btn = gr.Button("Doe mee", variant="primary", elem_id="team-doe-mee")
    with gr.Row():
        mine = gr.Dropdown(choices=[], label="Mijn teamsessies", elem_id="team-mijn")
        open_btn = gr.Button("Openen")
    status = gr.Markdown("", elem_id="team-status")
    # Shown once a team is open: no contribution box before joining.
    with gr.Column(visible=False, elem_id="team-deel") as team_part:
        header = gr.Markdown("", elem_id="team-kop")
        part = gr.Radio(PART_CHOICES, value="kop", label="Onderdeel", elem_id="team-onderdeel")
        questions = gr.Markdown("", elem_id="team-vragen")
        text = gr.Textbox(
            label=team_views.contribution_label(None), lines=5, elem_id="team-inbreng"
        )
        save_btn = gr.Button("Inbreng opslaan", variant="primary", elem_id="team-opslaan")
        group = gr.HTML("", elem_id="team-groep")
        with gr.Accordion("Het gedeelde A4 van de groep", open=False):
            a4 = a4_boxes("team-a4")
            trace = gr.HTML("", elem_id="team-herkomst")
            export_buttons, download = export_row("team")
        with gr.Accordion("Een eigen beeld aan je coach laten zien", open=False):
            gr.Markdown(
                "Je coach ziet een beeld alleen als je het hier deelt. Er wordt een kopie van "
                "het A4 gedeeld, niet je gesprek. Je kunt het altijd weer intrekken."
            )
            own_sessions = gr.Dropdown(choices=[], label="Je eigen sessies met een A4")
            consent = gr.Checkbox(
                label="Ik geef toestemming dat mijn coach dit beeld ziet", value=False
            )
            share_btn = gr.Button("Delen met de coach")
            shared = gr.Dropdown(choices=[], label="Gedeeld met de coach")
            unshare_btn = gr.Button("Intrekken", variant="stop")
        with gr.Accordion("De teamsessie verlaten", open=False):
            leave_sure = gr.Checkbox(label="Ja, haal mij en mijn inbreng weg", value=False)
            leave_btn = gr.Button("Verlaten", variant="stop")
    return ParticipantLayout(
        gr.State(None), code, name, join_btn, mine, open_btn, status, header, part, questions,
        text, save_btn, group, a4, trace, export_buttons, download, own_sessions, consent,
        share_btn, shared, unshare_btn, leave_sure, leave_btn, team_part,
    )  # fmt: skip


class ParticipantHandlers:
    """The Teamsessie tab's handlers; the open team's id is the tab's only state."""

    def __init__(self, ctx: PageContext, layout: ParticipantLayout) -> None:
        self.ctx = ctx
        self.teams = ctx.service.teams
        self.layout = layout

    def render(
        self,
        tid: str | None,
        chosen: str | None,
        request: gr.Request,
        message: str = "",
        keep: str | None = None,
    ) -> Updates:
        """The tab for the open team (None: none) on part `chosen`; `keep` stays typed."""
        owner = self.ctx.owner(request)
        team: Team | None = None
        parts: list[PartView] = []
        if tid:
            try:
                team, parts = self.teams.team_for(tid, owner), self.teams.view(tid, owner)
            except TeamError as exc:
                team, message = None, message or str(exc)
        chosen = chosen if chosen in PARTS else "kop"
        current = next((v for v in parts if v.part == chosen), None)
        typed = keep if keep is not None else (current.own or "") if current else ""
        own = [
            (s.label, s.id) for s in self.ctx.service.list_sessions(owner) if s.step == "concept"
        ]
        shares = self.teams.shared_beelden(team.id, owner) if team else []
        joined = [t for t in self.teams.teams_of(owner) if t.coach != owner]  # not the led ones
        layout = self.layout
        return {
            layout.team_id: team.id if team else None,
            layout.header: team_views.participant_header(team, self.ctx.situations, parts),
            layout.part: gr.update(value=chosen),
            layout.questions: team_views.questions(current),
            layout.text: gr.update(value=typed or "", label=team_views.contribution_label(team)),
            layout.group: team_views.group_panel(current),
            **{layout.a4[part]: value for part, value in a4_values(team).items()},
            layout.trace: team_views.trace_panel(team),
            layout.mine: team_list(joined, self.ctx.situations, team),
            layout.status: message,
            layout.own_sessions: gr.update(choices=own, value=None),
            layout.shared: gr.update(choices=[(b.titel, b.id) for b in shares], value=None),
            layout.team_part: gr.update(visible=team is not None),
        }

    @store_errors_in_dutch
    def join(self, typed_code: str, typed_name: str, request: gr.Request) -> Updates:
        """Join a team with its code."""
        try:
            me = self.teams.join(
                typed_code, self.ctx.owner(request), typed_name, self.ctx.address(request)
            )
        except TeamError as exc:
            return self.render(None, None, request, str(exc))
        return self.render(me.team_id, "kop", request, "Je doet mee.")

    @store_errors_in_dutch
    def open_team(self, selected: str | None, request: gr.Request) -> Updates:
        """Open one of one's teams."""
        if not selected:
            return self.render(None, None, request, "Kies eerst een teamsessie.")
        return self.render(selected, "kop", request)

    @store_errors_in_dutch
    def choose_part(self, tid: str | None, chosen: str, request: gr.Request) -> Updates:
        """Show another part of the conversation."""
        return self.render(tid, chosen, request)

    @store_errors_in_dutch
    def save(self, tid: str | None, chosen: str, typed: str, request: gr.Request) -> Updates:
        """Store one's contribution on a part."""
        if not tid:
            return self.render(None, chosen, request, "Doe eerst mee aan een teamsessie.", typed)
        try:
            self.teams.contribute(tid, self.ctx.owner(request), chosen, typed)
        except TeamError as exc:
            message = f"{exc} Je tekst staat nog in het veld."
            return self.render(tid, chosen, request, message, typed)
        return self.render(tid, chosen, request, "Je inbreng is opgeslagen.")

    @store_errors_in_dutch
    def share(
        self, tid: str | None, session_id: str | None, given: bool, request: gr.Request
    ) -> Updates:
        """Let the coach see a copy of one's own A4, with consent."""
        unticked = {self.layout.consent: False}
        if not tid or not session_id:
            return {**self.render(tid, None, request, "Kies eerst een eigen sessie."), **unticked}
        try:
            self.ctx.service.share_with_team(tid, session_id, self.ctx.owner(request), given)
        except TeamError as exc:
            return {**self.render(tid, None, request, str(exc)), **unticked}
        message = "Je beeld is gedeeld met je coach."
        return {**self.render(tid, None, request, message), **unticked}

    @store_errors_in_dutch
    def unshare(self, tid: str | None, beeld_id: str | None, request: gr.Request) -> Updates:
        """Take back a shared beeld."""
        if not tid or not beeld_id:
            return self.render(tid, None, request, "Kies eerst een gedeeld beeld.")
        try:
            self.teams.unshare_beeld(tid, self.ctx.owner(request), beeld_id)
        except TeamError as exc:
            return self.render(tid, None, request, str(exc))
        return self.render(tid, None, request, "Ingetrokken: je coach ziet dit beeld niet meer.")

    @store_errors_in_dutch
    def leave(self, tid: str | None, sure: bool, request: gr.Request) -> Updates:
        """Leave the team, with one's contributions, after the box is ticked."""
        unticked = {self.layout.leave_sure: False}
        if not sure:
            message = "Vink eerst aan dat je het zeker weet."
            return {**self.render(tid, None, request, message), **unticked}
        try:
            self.teams.leave(tid or "", self.ctx.owner(request))
        except TeamError as exc:
            return {**self.render(tid, None, request, str(exc)), **unticked}
        return {**self.render(None, None, request, "Je hebt de teamsessie verlaten."), **unticked}


def build_participant_tab(ctx: PageContext) -> None:
    """Lay out and wire the Teamsessie tab (inside the page's top-level Tabs)."""
    with gr.Tab("Teamsessie", id="teamsessie"):
        layout = _layout()
    handlers = ParticipantHandlers(ctx, layout)
    outputs = [layout.team_id, *layout.view_outputs()]
    tid = layout.team_id
    layout.join_btn.click(
        handlers.join, [layout.code, layout.name], outputs, api_name="team_doe_mee"
    )
    layout.open_btn.click(handlers.open_team, [layout.mine], outputs, api_name="team_open")
    layout.part.input(handlers.choose_part, [tid, layout.part], outputs, api_name="team_onderdeel")
    layout.save_btn.click(
        handlers.save, [tid, layout.part, layout.text], outputs, api_name="team_inbreng"
    )
    layout.share_btn.click(
        handlers.share,
        [tid, layout.own_sessions, layout.consent],
        [*outputs, layout.consent],
        api_name="team_deel_beeld",
    )
    layout.unshare_btn.click(
        handlers.unshare, [tid, layout.shared], outputs, api_name="team_trek_in"
    )
    layout.leave_btn.click(
        handlers.leave,
        [tid, layout.leave_sure],
        [*outputs, layout.leave_sure],
        api_name="team_verlaat",
    )
    wire_a4(ctx, tid, layout.a4, layout.trace, layout.status, "team")
    wire_exports(ctx, tid, layout.export_buttons, layout.download, layout.status, "team")
