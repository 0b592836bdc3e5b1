"""The team tabs: a participant's view of a team session and the coach's view.

Only wiring: the team service holds the logic, `team_views` renders. Per-user state is the
open team's id in a `gr.State`; who may see a team is decided by the service from the owner
(login name or browser key), never from anything the client sends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.domain.session import A4
from assistant.export.timing import GuideError, session_timing
from assistant.service import ReflectionService
from assistant.sessions.files import personal_key, team_key
from assistant.teams import PART_LABELS, PARTS, Team, TeamError, TeamService
from assistant.ui import exports, team_views, views
from assistant.ui.serving import PageContext

A4_PARTS = ("titel", "kenmerkende_ervaring", "beeld", "afbeelding")
A4_LABELS = ("Pakkende titel", "Kenmerkende ervaring", "Beeld van goed werk", "Afbeelding")
PART_CHOICES = [(PART_LABELS[p], p) for p in PARTS]


def _a4_boxes(prefix: str) -> list[gr.Textbox]:
    lines = (1, 4, 6, 2)
    return [
        gr.Textbox(label=label, lines=n, elem_id=f"{prefix}-{part}")
        for part, label, n in zip(A4_PARTS, A4_LABELS, lines, strict=True)
    ]


def _a4_values(team: Team | None) -> list[str]:
    a4 = team.a4 if team else A4()
    return [getattr(a4, part) for part in A4_PARTS]


def build_team_tabs(ctx: PageContext) -> None:
    """The Teamsessie and Coach tabs (inside the page's top-level Tabs)."""
    service = ctx.service
    _participant_tab(service.teams, service, ctx)
    _coach_tab(service.teams, ctx)


def _export_row(prefix: str) -> tuple[dict[str, gr.Button], gr.HTML]:
    """PDF, DOCX and Markdown buttons for the shared A4, and where the link appears."""
    with gr.Row():
        buttons = {
            "pdf": gr.Button("PDF"),
            "docx": gr.Button("Word (DOCX)"),
            "md": gr.Button("Markdown"),
        }
    return buttons, gr.HTML("", elem_id=f"{prefix}-download")


def _wire_exports(
    teams: TeamService,
    ctx: PageContext,
    team_id: gr.State,
    buttons: dict[str, gr.Button],
    download: gr.HTML,
    status: gr.Markdown,
    prefix: str,
) -> None:
    for kind, button in buttons.items():
        button.click(
            _export_team(teams, ctx, kind),
            [team_id],
            [download, status],
            api_name=f"{prefix}_export_{kind}",
        )


def _export_team(
    teams: TeamService, ctx: PageContext, kind: str
) -> Callable[[str | None, gr.Request], list[Any]]:
    def handler(tid: str | None, request: gr.Request) -> list[Any]:
        try:
            team = teams.team_for(tid or "", ctx.owner(request))
        except TeamError as exc:
            return ["", str(exc)]
        if not team.a4.titel.strip() and not team.a4.beeld.strip():
            return ["", "Er is nog geen gedeeld A4: de coach stelt het eerst op."]
        try:
            result = exports.export_a4_as(
                team.a4, team_key(team.id), None, kind, ctx.settings.data_dir
            )
        except exports.ExportFailed as exc:
            return ["", str(exc)]
        return [views.download_anchor(team_key(team.id), result.path), result.message]

    return handler


def _participant_tab(teams: TeamService, service: ReflectionService, ctx: PageContext) -> None:
    with gr.Tab("Teamsessie", id="teamsessie"):
        team_id = gr.State(None)
        gr.Markdown(
            "### Meedoen aan een teamsessie\n"
            "Vul de code in die je van je coach kreeg. Je ziet de inbreng van de anderen op een "
            "onderdeel pas als je daar zelf iets hebt ingebracht."
        )
        with gr.Row():
            code = gr.Textbox(label="Code", placeholder="XXXXX-XXXXX", elem_id="team-code")
            name = gr.Textbox(
                label="Je naam (alleen zichtbaar als de groep met namen werkt)",
                elem_id="team-naam",
            )
            join_btn = gr.Button("Doe mee", variant="primary", elem_id="team-doe-mee")
        with gr.Row():
            mine = gr.Dropdown(choices=[], label="Mijn teamsessies", elem_id="team-mijn")
            open_btn = gr.Button("Openen")
        status = gr.Markdown("", elem_id="team-status")
        header = gr.Markdown("", elem_id="team-kop")
        part = gr.Radio(PART_CHOICES, value="kop", label="Onderdeel", elem_id="team-onderdeel")
        questions = gr.Markdown("", elem_id="team-vragen")
        text = gr.Textbox(label="Jouw inbreng", lines=5, elem_id="team-inbreng")
        save_btn = gr.Button("Inbreng opslaan", variant="primary", elem_id="team-opslaan")
        group = gr.HTML("", elem_id="team-groep")
        with gr.Accordion("Het gedeelde A4 van de groep", open=False):
            a4_boxes = _a4_boxes("team-a4")
            trace = gr.HTML("", elem_id="team-herkomst")
            export_buttons, download = _export_row("team")
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

        outputs: list[Any] = [
            header, part, questions, text, group, *a4_boxes, trace, mine, status,
            own_sessions, shared,
        ]  # fmt: skip

        def render(
            tid: str | None,
            chosen: str | None,
            request: gr.Request,
            message: str = "",
            keep: str | None = None,
        ) -> list[Any]:
            owner = ctx.owner(request)
            team, views_by_part = None, []
            if tid:
                try:
                    team = teams.team_for(tid, owner)
                    views_by_part = teams.view(tid, owner)
                except TeamError as exc:
                    team, message = None, message or str(exc)
            chosen = chosen if chosen in PARTS else "kop"
            current = next((v for v in views_by_part if v.part == chosen), None)
            own_choices = [
                (s.label, s.id) for s in service.list_sessions(owner) if s.step == "concept"
            ]
            shares = teams.shared_beelden(team.id, owner) if team else []
            return [
                team_views.participant_header(team, ctx.situations, views_by_part),
                gr.update(value=chosen),
                team_views.questions(current),
                (current.own or "") if keep is None and current else (keep or ""),
                team_views.group_panel(current),
                *_a4_values(team),
                team_views.trace_panel(team),
                gr.update(
                    choices=[
                        team_views.team_choice(t, ctx.situations)
                        for t in teams.teams_of(owner)
                        if t.coach != owner  # the teams this person joined, not leads
                    ],
                    value=team.id if team else None,
                ),
                message,
                gr.update(choices=own_choices, value=None),
                gr.update(choices=[(b.titel, b.id) for b in shares], value=None),
            ]

        def join(typed_code: str, typed_name: str, request: gr.Request) -> list[Any]:
            try:
                me = teams.join(typed_code, ctx.owner(request), typed_name)
            except TeamError as exc:
                return [None, *render(None, None, request, str(exc))]
            return [me.team_id, *render(me.team_id, "kop", request, "Je doet mee.")]

        def open_team(selected: str | None, request: gr.Request) -> list[Any]:
            if not selected:
                return [None, *render(None, None, request, "Kies eerst een teamsessie.")]
            return [selected, *render(selected, "kop", request)]

        def choose_part(tid: str | None, chosen: str, request: gr.Request) -> list[Any]:
            return render(tid, chosen, request)

        def save(tid: str | None, chosen: str, typed: str, request: gr.Request) -> list[Any]:
            if not tid:
                return render(None, chosen, request, "Doe eerst mee aan een teamsessie.", typed)
            try:
                teams.contribute(tid, ctx.owner(request), chosen, typed)
            except TeamError as exc:
                return render(tid, chosen, request, f"{exc} Je tekst staat nog in het veld.", typed)
            return render(tid, chosen, request, "Je inbreng is opgeslagen.")

        def share(
            tid: str | None, session_id: str | None, given: bool, request: gr.Request
        ) -> list[Any]:
            if not tid or not session_id:
                return [*render(tid, None, request, "Kies eerst een eigen sessie."), False]
            try:
                service.share_with_team(tid, session_id, ctx.owner(request), given)
            except TeamError as exc:
                return [*render(tid, None, request, str(exc)), False]
            return [*render(tid, None, request, "Je beeld is gedeeld met je coach."), False]

        def unshare(tid: str | None, beeld_id: str | None, request: gr.Request) -> list[Any]:
            if not tid or not beeld_id:
                return render(tid, None, request, "Kies eerst een gedeeld beeld.")
            try:
                teams.unshare_beeld(tid, ctx.owner(request), beeld_id)
            except TeamError as exc:
                return render(tid, None, request, str(exc))
            return render(tid, None, request, "Ingetrokken: je coach ziet dit beeld niet meer.")

        def leave(tid: str | None, sure: bool, request: gr.Request) -> list[Any]:
            if not sure:
                return [
                    tid,
                    *render(tid, None, request, "Vink eerst aan dat je het zeker weet."),
                    False,
                ]
            try:
                teams.leave(tid or "", ctx.owner(request))
            except TeamError as exc:
                return [tid, *render(tid, None, request, str(exc)), False]
            return [None, *render(None, None, request, "Je hebt de teamsessie verlaten."), False]

        join_btn.click(join, [code, name], [team_id, *outputs], api_name="team_doe_mee")
        open_btn.click(open_team, [mine], [team_id, *outputs], api_name="team_open")
        part.input(choose_part, [team_id, part], outputs, api_name="team_onderdeel")
        save_btn.click(save, [team_id, part, text], outputs, api_name="team_inbreng")
        share_btn.click(
            share, [team_id, own_sessions, consent], [*outputs, consent], api_name="team_deel_beeld"
        )
        unshare_btn.click(unshare, [team_id, shared], outputs, api_name="team_trek_in")
        leave_btn.click(
            leave, [team_id, leave_sure], [team_id, *outputs, leave_sure], api_name="team_verlaat"
        )
        _wire_a4(teams, ctx, team_id, a4_boxes, trace, status, "team")
        _wire_exports(teams, ctx, team_id, export_buttons, download, status, "team")


def _wire_a4(
    teams: TeamService,
    ctx: PageContext,
    team_id: gr.State,
    boxes: list[gr.Textbox],
    trace: gr.HTML,
    status: gr.Markdown,
    prefix: str,
) -> None:
    """Edits of the shared A4 by the coach or a participant, stored as they type."""

    def edit(field: str) -> Callable[[str | None, str, gr.Request], list[Any]]:
        def handler(tid: str | None, value: str, request: gr.Request) -> list[Any]:
            if not tid:
                raise gr.Error("Open eerst een teamsessie.")
            try:
                team = teams.edit_a4(tid, ctx.owner(request), field, value)
            except TeamError as exc:
                raise gr.Error(f"{exc} Je tekst staat nog in het veld.") from exc
            return [team_views.trace_panel(team), ""]

        return handler

    for field, box in zip(A4_PARTS, boxes, strict=True):
        box.input(
            edit(field),
            [team_id, box],
            [trace, status],
            trigger_mode="always_last",
            api_name=f"{prefix}_bewerk_{field}",
        )


def _coach_tab(teams: TeamService, ctx: PageContext) -> None:
    settings = ctx.settings
    situation_choices = [(f"{sid}. {title}", sid) for sid, (title, _) in ctx.situations.items()]
    with gr.Tab("Coach", id="coach"):
        team_id = gr.State(None)
        gr.Markdown(
            "### Een teamsessie begeleiden\n"
            "Kies een situatie en maak een teamsessie. De deelnemers doen mee met de code op "
            "hun eigen apparaat (tab ‘Teamsessie’)."
        )
        with gr.Row():
            situatie = gr.Dropdown(
                situation_choices, value=situation_choices[0][1], label="Situatie",
                elem_id="coach-situatie",
            )  # fmt: skip
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
        header = gr.Markdown("", elem_id="coach-kop")
        overview = gr.HTML("", elem_id="coach-overzicht")
        closing = gr.Markdown("", elem_id="coach-slot")
        draft_btn = gr.Button("Gedeeld A4 opstellen uit de inbreng", elem_id="coach-concept")
        a4_boxes = _a4_boxes("coach-a4")
        trace = gr.HTML("", elem_id="coach-herkomst")
        export_buttons, download = _export_row("coach")
        with gr.Accordion("Gespreksleidraad (PDF) voor 2 uur", open=False):
            group_size = gr.Slider(2, 12, value=6, step=1, label="Aantal deelnemers")
            guide_btn = gr.Button("Gespreksleidraad maken", elem_id="coach-gids")
            guide_link = gr.HTML("", elem_id="coach-gids-link")
        shared = gr.HTML("", elem_id="coach-beelden")
        with gr.Accordion("Teamsessie verwijderen", open=False):
            delete_sure = gr.Checkbox(label="Ja, verwijder alles van deze teamsessie", value=False)
            delete_btn = gr.Button("Verwijderen", variant="stop")

        outputs: list[Any] = [header, overview, closing, *a4_boxes, trace, coached, status, shared]

        def render(tid: str | None, request: gr.Request, message: str = "") -> list[Any]:
            owner = ctx.owner(request)
            coach_view = None
            if tid:
                try:
                    coach_view = teams.coach_view(tid, owner)
                except TeamError as exc:
                    message = message or str(exc)
            team = coach_view.team if coach_view else None
            mine = [t for t in teams.teams_of(owner) if t.coach == owner]
            return [
                team_views.coach_header(coach_view, ctx.situations),
                team_views.coach_overview(coach_view),
                team_views.closing(coach_view),
                *_a4_values(team),
                team_views.trace_panel(team),
                gr.update(
                    choices=[team_views.team_choice(t, ctx.situations) for t in mine],
                    value=team.id if team else None,
                ),
                message,
                team_views.shared_beelden(teams.shared_beelden(tid, owner) if team and tid else []),
            ]

        def create(chosen: int, form: str, how: str, request: gr.Request) -> list[Any]:
            try:
                team = teams.create(ctx.owner(request), int(chosen), form, how)
            except (TeamError, TypeError, ValueError) as exc:
                return [None, *render(None, request, str(exc))]
            return [team.id, *render(team.id, request, "De teamsessie is gemaakt.")]

        def open_team(selected: str | None, request: gr.Request) -> list[Any]:
            if not selected:
                return [None, *render(None, request, "Kies eerst een teamsessie.")]
            return [selected, *render(selected, request)]

        def draft(tid: str | None, request: gr.Request) -> list[Any]:
            try:
                teams.draft_a4(tid or "", ctx.owner(request))
            except TeamError as exc:
                return render(tid, request, str(exc))
            return render(tid, request, "Het gedeelde A4 is opgesteld; de groep kan het bewerken.")

        def guide(chosen: int | None, size: float, request: gr.Request) -> list[Any]:
            # Checked before anything is written, so no empty file is left for bad input.
            if chosen not in ctx.situations:
                return ["", "Kies eerst een situatie."]
            situatie = int(chosen)
            try:
                group = session_timing(int(size)).group_size
            except (GuideError, TypeError, ValueError) as exc:
                return [
                    "",
                    str(exc) if isinstance(exc, GuideError) else "Kies 2 tot 12 deelnemers.",
                ]
            key = personal_key(ctx.owner(request))
            try:
                path = exports.write_export(
                    key,
                    settings.data_dir,
                    f"gespreksleidraad-situatie-{situatie}.pdf",
                    lambda tmp: ctx.service.write_guide(situatie, group, tmp),
                )
            except exports.ExportFailed as exc:
                return ["", str(exc)]
            return [views.download_anchor(key, path), "De gespreksleidraad is gemaakt."]

        def delete(tid: str | None, sure: bool, request: gr.Request) -> list[Any]:
            if not sure:
                return [tid, *render(tid, request, "Vink eerst aan dat je het zeker weet."), False]
            try:
                ctx.service.delete_team(tid or "", ctx.owner(request))
            except TeamError as exc:
                return [tid, *render(tid, request, str(exc)), False]
            return [None, *render(None, request, "De teamsessie is verwijderd."), False]

        create_btn.click(
            create, [situatie, wie, naming], [team_id, *outputs], api_name="coach_maak"
        )
        open_btn.click(open_team, [coached], [team_id, *outputs], api_name="coach_open")
        refresh_btn.click(render, [team_id], outputs, api_name="coach_overzicht")
        draft_btn.click(draft, [team_id], outputs, api_name="coach_concept")
        guide_btn.click(guide, [situatie, group_size], [guide_link, status], api_name="coach_gids")
        delete_btn.click(
            delete, [team_id, delete_sure], [team_id, *outputs, delete_sure],
            api_name="coach_verwijder",
        )  # fmt: skip
        _wire_a4(teams, ctx, team_id, a4_boxes, trace, status, "coach")
        _wire_exports(teams, ctx, team_id, export_buttons, download, status, "coach")
