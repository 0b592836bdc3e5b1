"""The facilitator listens: it asks on the user's own words, goes into a story already told,
acknowledges a feeling, repairs meta-talk, hands a dilemma back, and keeps tense and form."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app import build_service
from assistant.domain.perspectives import Perspectief
from assistant.domain.session import TurnKind
from assistant.facilitator.attuning import already_told
from assistant.facilitator.events import Mirror, Notice, Question
from assistant.facilitator.listening import Kind, feeling, largely_repeats, phrases
from assistant.retrieval.setup import Knowledge, build_knowledge
from assistant.service import ChoosePerspective, ChooseSituation, ReflectionService

from .conftest import make_settings

STORY = (
    "Vorige week zat ik in het overleg met de provincie over de subsidie. Ik zei niks toen de "
    "gedeputeerde het plan afschoot, en daarna ook niet meer."
)


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return build_knowledge(make_settings(tmp_path_factory.mktemp("kennis")))


@pytest.fixture
def service(tmp_path: Path, knowledge: Knowledge) -> ReflectionService:
    return build_service(make_settings(tmp_path / "data"), knowledge=knowledge)


def questions(events: list) -> list[str]:  # type: ignore[type-arg]
    return [e.text for e in events if isinstance(e, Question)]


def in_the_kop(
    service: ReflectionService, description: str, wie: str = "ik", moment: str = "achteraf"
) -> tuple[str, list]:  # type: ignore[type-arg]  # noqa: E501
    session_id, _ = service.start(wie, moment)  # type: ignore[arg-type]
    service.send(session_id, description)
    return session_id, service.act(session_id, ChooseSituation(index=1))


def in_the_romp(service: ReflectionService, perspective: Perspectief) -> str:
    """A session past the kop of STORY (its ending told), on `perspective`; the session id."""
    session_id, _ = in_the_kop(service, STORY)
    service.send(session_id, "Het liep af met een nieuw overleg, over drie weken, zonder mij.")
    assert service.state(session_id).step == "romp"
    service.act(session_id, ChoosePerspective(perspective=perspective))
    return session_id


def test_a_story_in_the_description_is_gone_into_not_asked_for_again(
    service: ReflectionService,
) -> None:
    _, events = in_the_kop(service, STORY)
    (question,) = questions(events)
    assert "eerdere ervaring" not in question
    assert question.startswith(
        "Neem me mee naar dat moment: ‘Vorige week zat ik in het overleg met de provincie over "
        "de subsidie.’ Wat deed jij daar precies"
    )


def test_a_story_without_its_ending_is_asked_how_it_ended(service: ReflectionService) -> None:
    session_id, _ = in_the_kop(
        service,
        "Vorige week zat ik in het overleg met de provincie over de subsidie. De gedeputeerde "
        "schoot het plan af en ik zei niks.",
    )
    events = service.send(
        session_id, "De gedeputeerde, twee collega's en ik zaten aan tafel in het provinciehuis."
    )
    assert questions(events) == ["En hoe liep het af?"]


def test_a_short_answer_is_followed_up_in_the_users_own_words(service: ReflectionService) -> None:
    session_id, _ = in_the_kop(service, "Overleg met de provincie over een subsidie. Ging mis.")
    events = service.send(session_id, "Ik zei niks. Daarna ook niet meer.")
    (question,) = [e.text for e in events if getattr(e, "kind", None) == TurnKind.DOORVRAAG]
    assert question.startswith("Je zegt: ‘Ik zei niks.’")


def test_a_short_answer_that_names_its_topic_is_asked_on_with_those_words(
    service: ReflectionService,
) -> None:
    """Read from b06: "Politiek vooral." got "Waar gaan jullie op bouwen?"; the follow-up now
    quotes the words and asks what the team wants to know about them."""
    session_id, _ = in_the_kop(
        service,
        "Over drie weken hebben wij een startbijeenkomst met huisartsen en de corporatie.",
        wie="wij",
        moment="vooruit",
    )
    for answer in (
        "We verwachten veel enthousiasme, iedereen ziet dat het nu misgaat.",
        "We zijn bang voor de vraag wie dit betaalt, want het geld is nog niet zeker.",
        "We hopen dat ze meedoen, ook als het eerst klein begint.",
    ):
        if service.state(session_id).step == "kop":
            service.send(session_id, answer)
    # The hope completes the story ahead: no second "wat verwachten jullie" in the kop.
    assert service.state(session_id).step == "romp"
    kop = [t.text for t in service.state(session_id).turns if t.role == "assistant"]
    assert sum("verwachten jullie" in q for q in kop) <= 1
    service.act(session_id, ChoosePerspective(perspective=Perspectief.KENNIS))
    events = service.send(session_id, "Politiek vooral.")
    (question,) = [e.text for e in events if getattr(e, "kind", None) == TurnKind.DOORVRAAG]
    assert question.startswith("Jullie zeggen: ‘Politiek vooral’.")
    assert "weten" in question
    events = service.send(session_id, "Weet niet.")
    asked = [e.text for e in events if getattr(e, "kind", None) == TurnKind.DOORVRAAG]
    assert not any("‘Weet niet" in q for q in asked)


def test_a_role_one_names_oneself_is_taken_up_on_identity(service: ReflectionService) -> None:
    session_id = in_the_romp(service, Perspectief.IDENTITEIT)
    events = service.send(session_id, "Grenswerker? Ik ben gewoon ingenieur, ik reken en teken.")
    asked = [e.text for e in events if getattr(e, "perspective", None) is Perspectief.IDENTITEIT]
    assert any("‘Ik ben gewoon ingenieur" in q for q in asked), asked


def test_a_heavy_feeling_is_acknowledged_first_and_gets_no_mirror(
    service: ReflectionService,
) -> None:
    session_id, _ = in_the_kop(service, STORY)
    events = service.send(
        session_id,
        "Mijn vader was net overleden en ik voelde me een verrader tegenover het gezin. "
        "Ik zat in de auto en heb daarna gehuild.",
    )
    first = next(e for e in events if not isinstance(e, (Question,)) and hasattr(e, "text"))
    assert isinstance(first, Notice) and "pauzeren" in first.text
    assert not [e for e in events if isinstance(e, Mirror)]


@pytest.mark.parametrize(
    "remark", ["Dat vroeg je al.", "Je hoort me niet.", "Wat is dit voor vraag?", "Wat bedoel je?"]
)
def test_meta_talk_is_repaired_and_never_stored_as_an_answer(
    service: ReflectionService, remark: str
) -> None:
    session_id, _ = in_the_kop(service, STORY)
    service.send(session_id, remark)
    state = service.state(session_id)
    assert all(a.text != remark for a in state.answers)
    assert state.turns[-1].role == "assistant"


@pytest.mark.parametrize("request_", ["Moet ik stoppen?", "Wat vind jij?", "Heb je tips?"])
def test_an_advice_request_gets_a_warm_no_and_the_dilemma_back(
    service: ReflectionService, request_: str
) -> None:
    session_id, _ = in_the_kop(service, STORY)
    events = service.send(session_id, request_)
    assert isinstance(events[0], Notice) and "advies" in events[0].text.lower()
    assert questions(events)
    if request_ == "Moet ik stoppen?":
        assert questions(events) == ["Wat zou ‘stoppen’ voor je oplossen, en wat niet?"]


def test_a_meeting_ahead_is_asked_in_the_future_tense_and_a_team_in_wij_form(
    service: ReflectionService,
) -> None:
    session_id, _ = in_the_kop(
        service,
        "Volgende week hebben wij als wijkteam een overleg met de corporatie en de zorg over "
        "een gezin dat tussen wal en schip valt.",
        wie="wij",
        moment="vooruit",
    )
    for answer in ("Geen idee.", "Weet ik niet."):
        service.send(session_id, answer)
    asked = [
        t.text
        for t in service.state(session_id).turns
        if t.kind in (TurnKind.VRAAG, TurnKind.DOORVRAAG)
    ]
    for question in asked[1:]:  # after the situation offer
        assert "jullie" in question
        assert not any(w in question for w in ("deed je", "deden jullie", "zagen en hoorden"))


def test_the_golden_mean_question_does_not_answer_itself(service: ReflectionService) -> None:
    session_id = in_the_romp(service, Perspectief.WAARDEN_DEUGDEN)
    events = service.send(session_id, "Moed en geduld kwamen bij mij op spanning te staan.")
    asked = " ".join(questions(events))
    assert "moed" in asked.lower() and "lafheid" not in asked


def test_phrases_are_found_by_their_kind() -> None:
    kinds = {p.kind for p in phrases("Ik zei niks. Ik wilde loyaal zijn, maar ook eerlijk.")}
    assert {Kind.STILTE, Kind.CONTRAST} <= kinds
    assert Kind.CITAAT in {
        p.kind for p in phrases("Ze zei: “jullie hebben het over ons, zonder ons”.")
    }


def test_a_question_that_largely_repeats_an_earlier_one_is_recognised() -> None:
    earlier = ["Als je alles overweegt, wat is voor jou goed werk in deze situatie?"]
    assert largely_repeats("Wat zou goed werk in deze situatie voor jou betekenen?", earlier)
    assert not largely_repeats("Welke ruimte had je om het anders te doen?", earlier)


def test_a_feeling_in_the_kop_is_acknowledged_and_the_moment_still_invited(
    service: ReflectionService,
) -> None:
    session_id, _ = in_the_kop(service, STORY)
    events = service.send(session_id, "Sorry, ik ben er eigenlijk nog steeds heel boos over.")
    assert isinstance(events[0], Notice) and "pauzeren" in events[0].text
    (question,) = questions(events)
    assert question.startswith("Als je wilt, vertel dan wat er op dat moment gebeurde")
    assert service.state(session_id).step == "kop"


def test_nothing_more_ends_the_perspective_without_a_follow_up_or_an_answer(
    service: ReflectionService,
) -> None:
    session_id = in_the_romp(service, Perspectief.KENNIS)
    service.send(session_id, "Ik wist niet dat de gedeputeerde al met de raad had gesproken.")
    events = service.send(session_id, "Meer weet ik er niet over.")
    state = service.state(session_id)
    assert all(a.text != "Meer weet ik er niet over." for a in state.answers)
    assert not [e for e in events if getattr(e, "kind", None) == TurnKind.DOORVRAAG]
    assert state.current is not Perspectief.KENNIS


def test_a_skipped_perspective_is_offered_once_before_the_close(
    service: ReflectionService,
) -> None:
    session_id, _ = in_the_kop(service, STORY)
    service.send(session_id, "Het liep af met een nieuw overleg, over drie weken, zonder mij.")
    offered = []
    for _ in range(40):
        state = service.state(session_id)
        if state.step != "romp" and state.step != "gulden_midden":
            break
        if state.current is Perspectief.VRIJHEID and Perspectief.VRIJHEID not in state.skipped:
            events = service.send(session_id, "Sla maar over.")
        else:
            events = service.send(
                session_id, "Ik heb toen de gedeputeerde na afloop apart gebeld, met moed."
            )
        offered += [q for q in questions(events) if "sloeg" in q]
    assert offered == [
        "Je sloeg vrijheid over. Wil je daar nog even naar kijken, of gaan we naar de afronding?"
    ]
    events = service.send(session_id, "Ja.")
    assert service.state(session_id).current is Perspectief.VRIJHEID
    assert Perspectief.VRIJHEID not in service.state(session_id).skipped


def test_the_dilemma_is_handed_back_also_after_a_word_in_front(
    service: ReflectionService,
) -> None:
    session_id, _ = in_the_kop(service, STORY)
    events = service.send(session_id, "Eerlijk, moet ik niet gewoon stoppen met dit project?")
    assert questions(events) == ["Wat zou ‘stoppen met dit project’ voor je oplossen, en wat niet?"]


def test_the_extremes_of_a_golden_mean_are_not_taken_for_a_feeling(
    service: ReflectionService,
) -> None:
    session_id = in_the_romp(service, Perspectief.WAARDEN_DEUGDEN)
    service.send(session_id, "Geduld kwam bij mij op spanning te staan.")
    events = service.send(
        session_id,
        "Te weinig geduld: alles erdoor drukken en dan boos worden als het niet lukt. Te veel: "
        "wachten tot na de verkiezingen.",
    )
    assert not [e for e in events if isinstance(e, Notice) and "pauzeren" in e.text]


def test_dat_zeiden_we_al_at_the_close_still_asks_for_the_view_in_a_few_words(
    service: ReflectionService,
) -> None:
    session_id, _ = in_the_kop(service, STORY)
    service.send(session_id, "Het liep af met een nieuw overleg, over drie weken, zonder mij.")
    for _ in range(40):
        if service.state(session_id).step not in ("romp", "gulden_midden", "overgeslagen"):
            break
        service.send(session_id, "Ik heb toen de gedeputeerde na afloop apart gebeld, met moed.")
    assert service.state(session_id).step == "afronding"
    events = service.send(session_id, "Dat heb ik toch al gezegd?")
    (question,) = questions(events)
    assert "in één of twee zinnen samen" in question
    assert service.state(session_id).step == "afronding"


def test_an_opinion_in_inverted_order_is_asked_back_to_a_moment(service: ReflectionService) -> None:
    session_id, _ = in_the_kop(service, STORY)
    events = service.send(
        session_id,
        "Eerlijk gezegd vind ik dat er veel te makkelijk over 'de bedoeling' wordt gepraat.",
    )
    (question,) = questions(events)
    assert "concreet moment" in question
    assert service.state(session_id).step == "kop"


def test_a_story_without_what_one_did_asks_for_it_before_the_ending(
    service: ReflectionService,
) -> None:
    session_id, _ = in_the_kop(
        service,
        "Vorige maand kwam een jongen van 21 uit beschermd wonen en trok hij in bij zijn moeder. "
        "Door de kostendelersnorm zou haar uitkering omlaag gaan.",
    )
    events = service.send(
        session_id, "Het wijkteam en de corporatie zaten aan tafel, de regels spraken elkaar tegen."
    )
    assert questions(events) == ["En wat deed jij op dat moment?"]


def test_is_that_not_the_same_gets_the_difference_and_the_question_again(
    service: ReflectionService,
) -> None:
    session_id = in_the_romp(service, Perspectief.IDENTITEIT)
    events = service.send(session_id, "Is dat niet hetzelfde als wat je net bij waarden vroeg?")
    (question,) = questions(events)
    assert question.startswith("Ze raken elkaar zeker; hier kijken we naar wie je bent.")
    assert "al verteld" not in question
    assert question.endswith("?")
    state = service.state(session_id)
    assert state.current is Perspectief.IDENTITEIT
    assert all("hetzelfde" not in a.text for a in state.answers)


@pytest.mark.parametrize(
    ("text", "heavy"),
    [
        ("Ik voel me eenzaam in dit project.", True),
        ("Ik ben er kapot van.", True),
        # Read from b06: a topic, not a feeling ("Dat is zwaar om te vertellen" was answered).
        ("Vorig jaar hadden we een pilot rond eenzaamheid en toen werd hij geschrapt.", False),
        ("De koffieautomaat was weer kapot.", False),
    ],
)
def test_a_feeling_is_a_whole_word_not_part_of_a_topic(text: str, heavy: bool) -> None:
    assert feeling(text) is heavy


@pytest.mark.parametrize(
    ("sentence", "quoted"),
    [
        # Read from b02: the quote must show both sides, or "die twee kanten" means nothing.
        (
            "Ik wil donderdag niet alleen de diplomaat zijn, maar wel iemand die het zo zegt "
            "dat mensen het nog kunnen horen.",
            "Ik wil donderdag niet alleen de diplomaat zijn, maar wel iemand die het zo zegt "
            "dat mensen het nog kunnen horen.",
        ),
        ("Onze wethouder is positief maar de coalitie is verdeeld.", None),
        # A correction and the particle are no two sides (b02, b04).
        ("Ik ga bij mijn directeur langs, niet per mail maar echt even bij hem zitten.", ""),
        ("Ze had gezegd dat hij maar bij vrienden op de bank moest slapen.", ""),
    ],
)
def test_a_contrast_is_quoted_with_both_its_sides(sentence: str, quoted: str | None) -> None:
    found = [p.text for p in phrases(sentence) if p.kind is Kind.CONTRAST]
    if quoted == "":
        assert found == []
    else:
        assert found == [quoted or sentence]


def test_a_feeling_wondered_about_in_someone_else_is_not_asked_on() -> None:
    """Read from b02: "Vragen waar hij precies bang voor is." got "Wat maakt het zo
    spannend?"; a feeling the user saw in someone ("Ze was zo bang…", b04) still counts."""
    assert not [
        p for p in phrases("Vragen waar hij precies bang voor is.") if p.kind is Kind.GEVOEL
    ]
    seen = phrases("Ze was zo bang haar huis kwijt te raken.")
    assert [p.kind for p in seen if p.kind is Kind.GEVOEL] == [Kind.GEVOEL]


def test_a_contrast_opened_by_maar_is_quoted_with_the_sentence_before() -> None:
    """Read from a03 and a02: "‘Maar niemand heeft gezegd…’ Hoe hield je die twee kanten toen
    bij elkaar?" showed one side only; a label ("zien ze me als een activist") is no picture."""
    text = (
        "Formeel heb ik weinig ruimte, het MT beslist. Maar niemand heeft gezegd dat ik niet "
        "met de partners mag blijven praten."
    )
    assert [p.text for p in phrases(text) if p.kind is Kind.CONTRAST] == [text]
    label = "Daar ben ik trots op, maar binnen zien ze me als een beetje een activist."
    assert not [p for p in phrases(label) if p.kind is Kind.METAFOOR]


def test_a_clause_from_the_middle_of_a_sentence_is_quoted_as_an_excerpt(
    service: ReflectionService,
) -> None:
    session_id = in_the_romp(service, Perspectief.KENNIS)
    events = service.send(
        session_id,
        "Ik weet alles van die polders en van de mensen daar en van het water, maar ik weet "
        "eigenlijk heel weinig van hoe het bij ons in het MT werkt.",
    )
    quoted = [e.text for e in events if "‘" in getattr(e, "text", "")]
    assert quoted and all("‘…maar" in q or "‘Ik weet" in q for q in quoted), quoted


def test_a_follow_up_does_not_ask_what_the_answer_just_said(service: ReflectionService) -> None:
    """Read from b05: after "…, en dat vind ik het zwaarst." the follow-up asked "Wat woog op
    dat moment voor je het zwaarst?"."""
    assert already_told("Wat woog op dat moment voor je het zwaarst?", "Dat vind ik het zwaarst.")
    assert not already_told("Wat woog op dat moment voor je het zwaarst?", "Dat was lastig.")
    session_id = in_the_romp(service, Perspectief.VRIJHEID)
    events = service.send(
        session_id,
        "Maar de politiek bepaalt de planning. Ik kan het proces anders maken, niet de uitkomst. "
        "Dat moet ik die boeren ook eerlijk zeggen, en dat vind ik het zwaarst.",
    )
    (question,) = questions(events)
    assert question.startswith("Je zegt:") and "zwaarst" not in question


def test_a_plan_said_plainly_is_no_judgement() -> None:
    """Read from a04: "Ik ga aan het begin gewoon zeggen hoe het zit." was taken for a
    judgement and asked "Waaraan merk je dat nu al?"; it is what the user will do."""
    assert Kind.OORDEEL not in {p.kind for p in phrases("Ik ga gewoon zeggen hoe het zit.")}
    assert Kind.OORDEEL in {p.kind for p in phrases("Dat was gewoon laf van me.")}
    assert Kind.OORDEEL in {p.kind for p in phrases("Dat systeem past gewoon niet bij ons.")}


def test_a_fact_told_in_two_steps_is_no_dilemma_and_could_have_is_regret() -> None:
    """Read from a06: "Die zat erop maar stond uit." (the bodycam) was asked "Hoe hield je die
    twee kanten toen bij elkaar?"; "Wat ik anders had kunnen doen: mijn bodycam aanzetten."
    is the regret to take up, quoted with what follows its colon."""
    assert Kind.CONTRAST not in {p.kind for p in phrases("Die zat erop maar stond uit.")}
    positive = "Onze wethouder is positief maar de coalitie is verdeeld."
    assert Kind.CONTRAST in {p.kind for p in phrases(positive)}
    found = phrases("Wat ik anders had kunnen doen: mijn bodycam aanzetten.")
    assert ("Wat ik anders had kunnen doen: mijn bodycam aanzetten.", Kind.SPIJT) in {
        (p.text, p.kind) for p in found
    }


def test_who_sent_the_user_here_is_not_the_moment(service: ReflectionService) -> None:
    """Read from b04: the kop quoted "Mijn teamleider stuurde me hierheen na een casus waarin
    we van de kostendelersnorm zijn…"; the moment is the casus, quoted as the excerpt it is."""
    _, events = in_the_kop(
        service,
        "Ik ben jurist bij de gemeente, sociaal domein. Mijn teamleider stuurde me hierheen na "
        "een casus waarin we van de kostendelersnorm zijn afgeweken. Dat zit me nog dwars.",
    )
    (question,) = questions(events)
    assert "‘…een casus waarin we van de kostendelersnorm zijn afgeweken.’" in question
    assert "hierheen" not in question
