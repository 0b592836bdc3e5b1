"""What the participant's and the coach's team tabs share: the shared A4's boxes, its edits
and its exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.domain.session import A4, A4_FIELDS, A4Field
from assistant.export.writing import ExportFailed
from assistant.teams import Team, TeamError
from assistant.ui import team_views, views
from assistant.ui.serving import PageContext
from assistant.ui.store_errors import store_errors_in_dutch

A4_LABELS = ("Pakkende titel", "Kenmerkende ervaring", "Beeld van goed werk", "Afbeelding")
A4_LINES = (1, 4, 6, 2)
Updates = dict[Any, Any]


def a4_boxes(prefix: str) -> dict[A4Field, gr.Textbox]:
    """The four text boxes of the shared A4, by part."""
    return {
        part: gr.Textbox(label=label, lines=n, elem_id=f"{prefix}-{part}")
        for part, label, n in zip(A4_FIELDS, A4_LABELS, A4_LINES, strict=True)
    }


def a4_values(team: Team | None) -> dict[A4Field, str]:
    """The shared A4's text by part (empty without a team)."""
    a4 = team.a4 if team else A4()
    return {part: getattr(a4, part) for part in A4_FIELDS}


def export_row(prefix: str) -> tuple[dict[str, gr.Button], gr.HTML]:
    """PDF, DOCX and Markdown buttons for the shared A4, and where the link appears."""
    with gr.Row():
        buttons = {
            "pdf": gr.Button("PDF", elem_id=f"{prefix}-export-pdf"),
            "docx": gr.Button("Word (DOCX)", elem_id=f"{prefix}-export-docx"),
            "md": gr.Button("Markdown", elem_id=f"{prefix}-export-md"),
        }
    return buttons, gr.HTML("", elem_id=f"{prefix}-download")


def wire_exports(
    ctx: PageContext,
    team_id: gr.State,
    buttons: dict[str, gr.Button],
    download: gr.HTML,
    status: gr.Markdown,
    prefix: str,
) -> None:
    """Each export button writes the shared A4 and shows its download link."""

    def export(kind: str) -> Callable[[str | None, gr.Request], list[str]]:
        @store_errors_in_dutch
        def handler(tid: str | None, request: gr.Request) -> list[str]:
            try:
                result = ctx.service.export_team(tid or "", ctx.owner(request), kind)
            except (TeamError, ExportFailed) as exc:
                return ["", str(exc)]
            return [views.download_anchor(result.path), result.message]

        return handler

    for kind, button in buttons.items():
        button.click(
            export(kind), [team_id], [download, status], api_name=f"{prefix}_export_{kind}"
        )


def wire_a4(
    ctx: PageContext,
    team_id: gr.State,
    boxes: dict[A4Field, gr.Textbox],
    trace: gr.HTML,
    status: gr.Markdown,
    prefix: str,
) -> None:
    """Edits of the shared A4 by the coach or a participant, stored as they type."""

    def edit(field: A4Field) -> Callable[[str | None, str, gr.Request], list[Any]]:
        @store_errors_in_dutch
        def handler(tid: str | None, value: str, request: gr.Request) -> list[Any]:
            if not tid:
                raise gr.Error("Open eerst een teamsessie.")
            try:
                team = ctx.service.teams.edit_a4(tid, ctx.owner(request), field, value)
            except TeamError as exc:
                raise gr.Error(f"{exc} Je tekst staat nog in het veld.") from exc
            return [team_views.trace_panel(team), ""]

        return handler

    for field, box in boxes.items():
        box.input(
            edit(field),
            [team_id, box],
            [trace, status],
            trigger_mode="always_last",
            api_name=f"{prefix}_bewerk_{field}",
        )
        # A paste (which Gradio's input event misses) is stored when the box is left.
        box.blur(edit(field), [team_id, box], [trace, status], api_visibility="private")


def team_list(
    teams: list[Team], situations: dict[int, tuple[str, str]], chosen: Team | None
) -> Any:
    """A dropdown update listing these teams, the open one selected."""
    return gr.update(
        choices=[team_views.team_choice(t, situations) for t in teams],
        value=chosen.id if chosen else None,
    )
