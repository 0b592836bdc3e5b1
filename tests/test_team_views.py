"""The team tabs' rendering: what a participant is told about contributions still hidden."""

from __future__ import annotations

from assistant.teams.models import PartView
from assistant.ui import team_views


def hidden(count: int) -> PartView:
    return PartView(part="kop", label="Kop", questions=[], own=None, others=[], hidden_count=count)


def test_the_note_on_hidden_contributions_counts_in_dutch_one_ander_or_n_anderen() -> None:
    assert "(1 ander schreef hier al iets.)" in team_views.group_panel(hidden(1))
    assert "(3 anderen schreven hier al iets.)" in team_views.group_panel(hidden(3))
