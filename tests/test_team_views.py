"""The team tabs' rendering: what a participant is told about contributions still hidden."""

from __future__ import annotations

from assistant.teams.models import PartView
from assistant.ui import team_views


def hidden(count: int) -> PartView:
    return PartView(part="kop", label="Kop", questions=[], own=None, others=[], hidden_count=count)


def test_the_note_on_hidden_contributions_counts_in_dutch_one_ander_or_n_anderen() -> None:
    assert "(1 ander schreef hier al iets.)" in team_views.group_panel(hidden(1))
    assert "(3 anderen schreven hier al iets.)" in team_views.group_panel(hidden(3))


def test_the_contribution_box_and_its_count_follow_the_team_s_ik_or_wij_form() -> None:
    from assistant.teams import Team

    wij = Team(id="t1", code="AAAAA-BBBBB", coach="", situatie=1, wie="wij", created="2026")
    ik = wij.model_copy(update={"wie": "ik"})
    assert team_views.contribution_label(wij) == "Jullie inbreng"
    assert team_views.contribution_label(ik) == "Jouw inbreng"
    assert team_views.contribution_label(None) == "Jouw inbreng"  # before joining
    assert "jullie inbreng: 0 van 1" in team_views.participant_header(wij, {}, [hidden(0)])
    assert "jouw inbreng: 0 van 1" in team_views.participant_header(ik, {}, [hidden(0)])
