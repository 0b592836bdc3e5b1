"""The team tabs: the participant's side (`team_participant`) and the coach's (`team_coach`)."""

from __future__ import annotations

from assistant.ui.serving import PageContext
from assistant.ui.team_coach import build_coach_tab
from assistant.ui.team_participant import build_participant_tab


def build_team_tabs(ctx: PageContext) -> None:
    """The Teamsessie and Coach tabs (inside the page's top-level Tabs)."""
    build_participant_tab(ctx)
    build_coach_tab(ctx)
