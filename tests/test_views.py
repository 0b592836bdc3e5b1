"""Rendering for the page: user text is always shown as text."""

from __future__ import annotations

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import A4, Phase, SessionState, Turn, TurnKind
from assistant.ui import views

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:x">l</a>'


def state_with(text: str) -> SessionState:
    state = SessionState(id="s1", step="concept")
    state.turns.append(Turn(role="user", text=text, phase=Phase.KOP))
    state.turns.append(
        Turn(
            role="assistant",
            text="Wat deed je?",
            phase=Phase.ROMP,
            kind=TurnKind.VRAAG,
            perspective=Perspectief.KENNIS,
        )
    )
    state.a4 = A4(titel=HOSTILE, kenmerkende_ervaring=HOSTILE, beeld=HOSTILE, afbeelding=HOSTILE)
    return state


def test_chat_messages_escape_html_and_carry_only_a_perspective_chip() -> None:
    messages = views.chat_messages(state_with(HOSTILE))
    assert "<script>" not in messages[0]["content"] and "&lt;script&gt;" in messages[0]["content"]
    assert messages[1]["content"] == '<span class="chip">Kennis</span>\nWat deed je?'
    assert "[" not in messages[1]["content"]


def test_a_mirror_is_a_card_with_its_beelds_title_and_the_title_is_escaped() -> None:
    state = SessionState(id="s1", step="romp")
    state.turns.append(
        Turn(
            role="assistant",
            text="Herken je dit? “Open zijn.”",
            phase=Phase.ROMP,
            kind=TurnKind.SPIEGEL,
            meta={"mirror_id": "b#1", "titel": "<b>Landing</b>"},
        )
    )
    (card,) = views.chat_messages(state)
    assert card["content"].startswith('<div class="spiegel-kaart"><strong>Spiegel · &lt;b&gt;')
    assert "Herken je dit?" in card["content"]


def test_the_stepper_marks_the_current_phase_and_those_before_it_as_done() -> None:
    html = views.steps(Phase.ROMP)
    assert '<li class="stap huidig" aria-current="step">Romp</li>' in html
    assert '<li class="stap klaar">Kop</li>' in html and '<li class="stap ">A4</li>' in html
    assert "aria-current" not in views.steps(None)


def test_the_a4_preview_never_contains_user_markup() -> None:
    html = views.a4_preview(state_with("x"), None, fits=False)
    assert "<script>" not in html and "<img src=x" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html
    assert "langer dan één pagina" in html


def test_the_perspective_map_shows_progress_and_the_current_perspective() -> None:
    state = SessionState(id="s1", step="romp", current=Perspectief.KENNIS)
    state.coverage[Perspectief.HANDELINGEN] = 2
    labels = views.map_labels(state)
    assert labels[0] == "Handelingen ●●○"
    assert labels[1].startswith("▶ Kennis")


def test_dismissed_mirrors_leave_the_chat_and_the_panel() -> None:
    state = SessionState(id="s1", step="romp")
    state.turns.append(
        Turn(
            role="assistant",
            text="Herken je dit? “Open zijn.”",
            phase=Phase.ROMP,
            kind=TurnKind.SPIEGEL,
            meta={"mirror_id": "beeld-1a#2", "titel": "Een goede landing", "bron": "004"},
        )
    )
    assert views.last_mirror_id(state) == "beeld-1a#2"
    assert "Een goede landing" in views.chat_messages(state)[0]["content"]
    assert "Een goede landing" not in views.mirror_panel(state, {})  # shown once, in the chat
    state.mirrors_dismissed.append("beeld-1a#2")
    assert views.chat_messages(state) == []
    assert views.last_mirror_id(state) is None
