"""The Coach tab: open a team on a situation, see every contribution side by side, draft the
shared A4 from them, and print the session guide.

Only wiring and one view: the team service decides what a coach may see and do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.domain.session import A4Field
from assistant.export.timing import GuideError, session_timing
from assistant.export.writing import ExportFailed
from assistant.teams import CoachView, TeamError
from assistant.ui import team_views, views
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

# The names of the view's outputs an API client receives, in order (`named` reads them).
API_FIELDS = (
    "header", "overview", "closing", "titel", "kenmerkende_ervaring", "beeld", "afbeelding",
    "trace", "coached", "status", "shared", "code",
)  # fmt: skip
# While the Coach tab shows a team, its overview refreshes itself this often (seconds).
REFRESH_S = 10


def named(result: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
    """An API reply of a coach endpoint as a dict by field name."""
    return read_named(API_FIELDS, result)


@dataclass
class CoachLayout:
    """The components of the Coach tab."""

    team_id: gr.State
    situatie: gr.Dropdown
    wie: gr.Radio
    naming: gr.Radio
    create_btn: gr.Button
    coached: gr.Dropdown
    open_btn: gr.Button
    refresh_btn: gr.Button
    status: gr.Markdown
    header: gr.Markdown
    overview: gr.HTML
    closing: gr.Markdown
    draft_btn: gr.Button
    a4: dict[A4Field, gr.Textbox]
    trace: gr.HTML
    export_buttons: dict[str, gr.Button]
    download: gr.HTML
    group_size: gr.Slider
    guide_btn: gr.Button
    guide_link: gr.HTML
    shared: gr.HTML
    delete_sure: gr.Checkbox
    delete_btn: gr.Button
    code: gr.Textbox
    team_part: gr.Column
    timer: gr.Timer
    team_end: gr.Column

    def view_outputs(self) -> list[Any]:
        """The components the view updates, in the API's order."""
        return [
            self.header, self.overview, self.closing, *self.a4.values(), self.trace,
            self.coached, self.status, self.shared, self.code, self.team_part, self.team_end,
            self.timer,
        ]  # fmt: skip

    def live_outputs(self) -> list[Any]:
        """What the timer refreshes: who joined and what they wrote, never the A4 being edited."""
        return [self.header, self.overview, self.shared]


def _layout(situations: dict[int, tuple[str, str]]) -> CoachLayout:
    choices = [(f"{sid}. {title}", sid) for sid, (title, _) in situations.items()]
    gr.Markdown(
        "## Een teamsessie begeleiden\n"
        "Kies een situatie en maak een teamsessie. De deelnemers doen mee met de code op "
        "hun eigen apparaat (tab ‘Teamsessie’)."
    )
    with gr.Row():
        situatie = gr.Dropdown(
            choices, value=choices[0][1], label="Situatie", elem_id="coach-situatie"
        )
        wie = gr.Radio(["wij", "ik"], value="wij", label="Vragen in de vorm")
        naming = gr.Radio(
            [("anoniem (Deelnemer 1, 2, …)", "anoniem"), ("met namen", "naam")],
            value="anoniem",
            label="Inbreng tonen",
        )
        create_btn = gr.Button("Teamsessie maken", variant="primary", elem_id="coach-maak")
    with gr.Row():
        coached = gr.Dropdown(choices=[], label="Mijn teamsessies als coach")
        open_btn = gr.Button("Openen")
        refresh_btn = gr.Button("Vernieuwen", elem_id="coach-vernieuw")
    status = gr.Markdown("", elem_id="coach-status")
    # Shown once a team is open: nothing to draft, edit or export before.
    with gr.Column(visible=False, elem_id="coach-team") as team_part:
        header = gr.Markdown("", elem_id="coach-kop")
        code = gr.Textbox(
            label="Code om te kopiëren",
            interactive=False,
            buttons=["copy"],
            elem_id="coach-code",
        )
        overview = gr.HTML("", elem_id="coach-overzicht")
        closing = gr.Markdown("", elem_id="coach-slot")
        draft_btn = gr.Button("Gedeeld A4 opstellen uit de inbreng", elem_id="coach-concept")
        a4 = a4_boxes("coach-a4")
        trace = gr.HTML("", elem_id="coach-herkomst")
        export_buttons, download = export_row("coach")
    with gr.Accordion("Gespreksleidraad (PDF) voor 2 uur", open=False):
        group_size = gr.Slider(2, 12, value=6, step=1, label="Aantal deelnemers")
        guide_btn = gr.Button("Gespreksleidraad maken", elem_id="coach-gids")
        guide_link = gr.HTML("", elem_id="coach-gids-link")
    with gr.Column(visible=False, elem_id="coach-team-einde") as team_end:
        shared = gr.HTML("", elem_id="coach-beelden")
        with gr.Accordion("Teamsessie verwijderen", open=False):
            delete_sure = gr.Checkbox(label="Ja, verwijder alles van deze teamsessie", value=False)
            delete_btn = gr.Button("Verwijderen", variant="stop")
    return CoachLayout(
        gr.State(None), situatie, wie, naming, create_btn, coached, open_btn, refresh_btn,
        status, header, overview, closing, draft_btn, a4, trace, export_buttons, download,
        group_size, guide_btn, guide_link, shared, delete_sure, delete_btn, code, team_part,
        gr.Timer(REFRESH_S, active=False), team_end,
    )  # fmt: skip


class CoachHandlers:
    """The Coach tab's handlers; the open team's id is the tab's only state."""

    def __init__(self, ctx: PageContext, layout: CoachLayout) -> None:
        self.ctx = ctx
        self.teams = ctx.service.teams
        self.layout = layout

    def render(self, tid: str | None, request: gr.Request, message: str = "") -> Updates:
        """The coach's view of the open team (None: none)."""
        owner = self.ctx.owner(request)
        view: CoachView | None = None
        if tid:
            try:
                view = self.teams.coach_view(tid, owner)
            except TeamError as exc:
                message = message or str(exc)
        team = view.team if view else None
        led = [t for t in self.teams.teams_of(owner) if t.coach == owner]
        shares = self.teams.shared_beelden(team.id, owner) if team else []
        layout = self.layout
        return {
            layout.team_id: team.id if team else None,
            layout.header: team_views.coach_header(view, self.ctx.situations),
            layout.overview: team_views.coach_overview(view),
            layout.closing: team_views.closing(view),
            **{layout.a4[part]: value for part, value in a4_values(team).items()},
            layout.trace: team_views.trace_panel(team),
            layout.coached: team_list(led, self.ctx.situations, team),
            layout.status: message,
            layout.shared: team_views.shared_beelden(shares),
            layout.code: team.code if team else "",
            layout.team_part: gr.update(visible=team is not None),
            layout.team_end: gr.update(visible=team is not None),
            layout.timer: gr.Timer(active=team is not None),  # ticks only with a team open
        }

    @store_errors_in_dutch
    def live(self, tid: str | None, request: gr.Request) -> Updates:
        """The parts of the open team that others change (the timer's refresh)."""
        if not tid:
            return {component: gr.update() for component in self.layout.live_outputs()}
        rendered = self.render(tid, request)
        return {component: rendered[component] for component in self.layout.live_outputs()}

    @store_errors_in_dutch
    def refresh(self, tid: str | None, request: gr.Request) -> Updates:
        """The overview as it stands now."""
        return self.render(tid, request)

    @store_errors_in_dutch
    def create(self, chosen: int, form: str, how: str, request: gr.Request) -> Updates:
        """Open a new team session on a situation."""
        try:
            team = self.teams.create(self.ctx.owner(request), int(chosen), form, how)
        except (TeamError, TypeError, ValueError) as exc:
            return self.render(None, request, str(exc))
        return self.render(team.id, request, "De teamsessie is gemaakt.")

    @store_errors_in_dutch
    def open_team(self, selected: str | None, request: gr.Request) -> Updates:
        """Open one of the teams one leads."""
        if not selected:
            return self.render(None, request, "Kies eerst een teamsessie.")
        return self.render(selected, request)

    @store_errors_in_dutch
    def draft(self, tid: str | None, request: gr.Request) -> Updates:
        """Draft the shared A4 from the contributions."""
        try:
            self.teams.draft_a4(tid or "", self.ctx.owner(request))
        except TeamError as exc:
            return self.render(tid, request, str(exc))
        return self.render(tid, request, "Het gedeelde A4 is opgesteld; de groep kan het bewerken.")

    @store_errors_in_dutch
    def guide(self, chosen: int | None, size: float, request: gr.Request) -> list[str]:
        """Write the session guide for the chosen situation and group size."""
        # Checked before anything is written, so no empty file is left for bad input.
        if chosen not in self.ctx.situations:
            return ["", "Kies eerst een situatie."]
        try:
            group = session_timing(int(size)).group_size
        except GuideError as exc:
            return ["", str(exc)]
        except (TypeError, ValueError):
            return ["", "Kies 2 tot 12 deelnemers."]
        try:
            path = self.ctx.service.write_guide(self.ctx.owner(request), int(chosen), group)
        except ExportFailed as exc:
            return ["", str(exc)]
        return [views.download_anchor(path), "De gespreksleidraad is gemaakt."]

    @store_errors_in_dutch
    def delete(self, tid: str | None, sure: bool, request: gr.Request) -> Updates:
        """Delete the team with all its contributions and files, after the box is ticked."""
        unticked = {self.layout.delete_sure: False}
        if not sure:
            message = "Vink eerst aan dat je het zeker weet."
            return {**self.render(tid, request, message), **unticked}
        try:
            self.ctx.service.delete_team(tid or "", self.ctx.owner(request))
        except TeamError as exc:
            return {**self.render(tid, request, str(exc)), **unticked}
        return {**self.render(None, request, "De teamsessie is verwijderd."), **unticked}


def build_coach_tab(ctx: PageContext) -> None:
    """Lay out and wire the Coach tab (inside the page's top-level Tabs)."""
    with gr.Tab("Coach", id="coach"):
        layout = _layout(ctx.situations)
    handlers = CoachHandlers(ctx, layout)
    tid = layout.team_id
    outputs = [tid, *layout.view_outputs()]
    layout.create_btn.click(
        handlers.create,
        [layout.situatie, layout.wie, layout.naming],
        outputs,
        api_name="coach_maak",
    )
    layout.open_btn.click(handlers.open_team, [layout.coached], outputs, api_name="coach_open")
    layout.refresh_btn.click(handlers.refresh, [tid], outputs, api_name="coach_overzicht")
    layout.timer.tick(handlers.live, [tid], layout.live_outputs(), api_visibility="private")
    layout.draft_btn.click(handlers.draft, [tid], outputs, api_name="coach_concept")
    layout.guide_btn.click(
        handlers.guide,
        [layout.situatie, layout.group_size],
        [layout.guide_link, layout.status],
        api_name="coach_gids",
    )
    layout.delete_btn.click(
        handlers.delete,
        [tid, layout.delete_sure],
        [*outputs, layout.delete_sure],
        api_name="coach_verwijder",
    )
    wire_a4(ctx, tid, layout.a4, layout.trace, layout.status, "coach")
    wire_exports(ctx, tid, layout.export_buttons, layout.download, layout.status, "coach")
