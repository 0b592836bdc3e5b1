"""The page's view of a session: labels in the session's ik or wij form, and what can act."""

from __future__ import annotations

from assistant.domain.session import SessionState
from assistant.ui import views
from assistant.ui.render import page_view


def view_of(state: SessionState | None):  # type: ignore[no-untyped-def]
    return page_view(state, [], sessions=[], situations={})


def test_a_wij_session_has_wij_labels_and_an_ik_session_ik_labels() -> None:
    wij = view_of(SessionState(id="s1", wie="wij", moment="vooruit", step="kop"))
    assert wij.labels.answer == "Jullie antwoord"
    assert wij.placeholder.startswith("Typ jullie antwoord.")
    assert wij.labels.consent.startswith("Wij geven toestemming")
    assert "jullie coach" in wij.labels.summary
    assert (wij.wie, wij.moment) == ("wij", "vooruit")  # shown as the session was started
    ik = view_of(SessionState(id="s2", step="kop"))
    assert ik.labels.answer == "Jouw antwoord" and "Enter verstuurt" in ik.placeholder


def test_without_a_session_only_starting_one_can_act() -> None:
    view = view_of(None)
    assert not view.answering and not view.in_romp and not view.drafted
    assert view.wie is None  # the choice of ik or wij is left as the user set it
    assert view.placeholder == views.NO_SESSION_PLACEHOLDER


def test_once_the_a4_is_ready_the_answer_box_says_so_and_takes_no_text() -> None:
    view = view_of(SessionState(id="s1", step="concept"))
    assert not view.answering and view.drafted
    assert view.placeholder == views.CONCEPT_PLACEHOLDER
    assert 'aria-current="step">A4<' in view.steps


def test_skip_and_back_act_only_where_the_facilitator_can_act_on_them() -> None:
    from assistant.domain.perspectives import Perspectief

    romp = view_of(
        SessionState(id="s", step="romp", current=Perspectief.KENNIS, visited=[Perspectief.KENNIS])
    )
    assert romp.can_skip and not romp.can_go_back and romp.in_romp and not romp.past_romp
    later = SessionState(
        id="s", step="romp", current=Perspectief.KENNIS,
        visited=[Perspectief.HANDELINGEN, Perspectief.KENNIS],
    )  # fmt: skip
    assert view_of(later).can_go_back
    closing = view_of(later.model_copy(update={"step": "afronding", "current": None}))
    assert not closing.can_skip and closing.past_romp and closing.can_go_back
    assert not closing.in_romp  # the perspective buttons are refused after the romp
    for step in ("bouwstenen", "titel"):
        writing = view_of(later.model_copy(update={"step": step, "current": None}))
        assert writing.writing and not writing.can_go_back and not writing.can_skip


def test_the_building_block_panel_shows_only_in_its_step_and_is_filled_when_it_opens() -> None:
    from assistant.ui.blocks_view import BlocksView

    panel = BlocksView(groups=[[] for _ in range(6)], ticked=[[] for _ in range(6)], order="")
    state = SessionState(id="s", step="bouwstenen")
    opened = page_view(state, [], sessions=[], situations={}, blocks=panel, opened=True)
    assert opened.blocks is panel and opened.blocks_fill
    kept = page_view(state, [], sessions=[], situations={}, blocks=panel)
    assert kept.blocks is panel and not kept.blocks_fill  # what is typed there stays
    title = SessionState(id="s", step="titel")
    assert page_view(title, [], sessions=[], situations={}, blocks=panel).blocks is None
