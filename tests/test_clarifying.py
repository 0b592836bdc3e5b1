"""One clarifying question before the offer, when a description is very short or fits two
situations almost equally; asked at most once per session, then the offer reads both texts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.app import build_service
from assistant.facilitator.events import Question
from assistant.facilitator.language import gives_advice
from assistant.retrieval.setup import Knowledge, build_knowledge
from assistant.service import ChooseSituation, ReflectionService
from assistant.settings import PROJECT_ROOT

from .conftest import make_settings

BANK = yaml.safe_load((PROJECT_ROOT / "prompts" / "v1" / "vragen.yaml").read_text("utf-8"))
CLARIFYING = BANK["voorbereiding"]["verduidelijking"]
SHORT = "Gedoe met partners."
ANSWER = (
    "Binnen mijn eigen directie krijg ik geen steun voor de aanpak, terwijl de partners "
    "buiten juist enthousiast zijn."
)
CLEAR = "Mijn eigen directie steunt het idee niet, de partners buiten wel, en ik sta ertussen."


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return build_knowledge(make_settings(tmp_path_factory.mktemp("verduidelijking")))


def service_with(tmp_path: Path, knowledge: Knowledge, **facilitator: object) -> ReflectionService:
    settings = make_settings(tmp_path / "data", facilitator=facilitator)
    return build_service(settings, knowledge=knowledge)


def questions(events: list) -> list[Question]:  # type: ignore[type-arg]
    return [e for e in events if isinstance(e, Question)]


@pytest.mark.parametrize("wie", ["ik", "wij"])
def test_a_very_short_description_gets_one_clarifying_question_in_the_users_form(
    tmp_path: Path, knowledge: Knowledge, wie: str
) -> None:
    service = service_with(tmp_path, knowledge)
    session_id, _ = service.start(wie, "achteraf")  # type: ignore[arg-type]
    asked = questions(service.send(session_id, SHORT))
    assert len(asked) == 1 and not asked[0].options
    assert asked[0].text in CLARIFYING["kort"][wie]
    assert asked[0].text.endswith("?") and not gives_advice(asked[0].text)
    state = service.state(session_id)
    assert state.step == "situatie" and state.offered == []


def test_the_offer_after_the_answer_reads_the_description_and_the_answer(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    service = service_with(tmp_path, knowledge)
    session_id, _ = service.start("ik", "achteraf")
    service.send(session_id, SHORT)
    offered = questions(service.send(session_id, ANSWER))
    state = service.state(session_id)
    assert state.step == "keuze" and offered[0].options
    assert state.beschrijving == f"{SHORT}\n\n{ANSWER}"
    expected = [m.situation for m in knowledge.retriever.match_situations(state.beschrijving)]
    assert state.offered == expected
    service.act(session_id, ChooseSituation(index=1))
    assert service.state(session_id).step == "kop"


def test_two_situations_scoring_almost_the_same_get_the_doubt_question_once(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    # A margin of 1.0: every offer counts as a doubt, so only "once" stops a second question.
    service = service_with(tmp_path, knowledge, clarify_margin=1.0)
    session_id, _ = service.start("wij", "vooruit")
    asked = questions(service.send(session_id, CLEAR))
    assert [q.text for q in asked][0] in CLARIFYING["twijfel"]["wij"]
    offered = questions(service.send(session_id, ANSWER))
    assert offered and offered[0].options
    assert service.state(session_id).asked.count("voorbereiding.verduidelijking") == 1


def test_a_clear_description_is_offered_at_once(tmp_path: Path, knowledge: Knowledge) -> None:
    service = service_with(tmp_path, knowledge)
    session_id, _ = service.start("ik", "achteraf")
    offered = questions(service.send(session_id, CLEAR))
    assert offered[0].options and service.state(session_id).step == "keuze"


def test_ahead_of_a_meeting_the_kop_takes_up_the_answer_to_the_clarifying_question(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    """Read from a04: the user answered "what is the core" with what they expect; the kop
    quotes that answer, and does not ask who will be at the table when the description said."""
    service = service_with(tmp_path, knowledge, clarify_margin=1.0)
    session_id, _ = service.start("ik", "vooruit")
    service.send(
        session_id,
        "Volgende week dinsdag zit ik met twee corporaties, het zorgkantoor en drie wethouders "
        "om tafel om een regiodeal te starten. Of er rijksgeld komt, weet ik pas in mei.",
    )
    service.send(
        session_id,
        "Ik verwacht dat de corporaties vrij snel gaan vragen: hoeveel geld en wanneer.",
    )
    (kop,) = questions(service.act(session_id, ChooseSituation(index=1)))
    assert "‘Ik verwacht dat de corporaties vrij snel gaan vragen" in kop.text
    assert "Wie zitten er aan tafel" not in kop.text
    assert kop.text.endswith("Wat wil jij daar bereiken?")
