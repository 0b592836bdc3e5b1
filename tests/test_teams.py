"""Team sessions: joining with a code, hidden contributions, the coach's overview, the shared A4,
shared individual beelden and removal, against a real SQLite file under tmp_path."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.corpus.load import load_corpus
from assistant.domain.session import A4
from assistant.facilitator.questions import QuestionBank, load_question_bank
from assistant.settings import PROJECT_ROOT
from assistant.teams import PARTS, Team, TeamError, TeamService, TeamStore, TooManyAttempts
from assistant.teams.models import CLOSING_QUESTIONS

from .test_erasure import files_holding

NAMES = ("Anouk", "Bram", "Chantal", "Dirk")

# What each of four colleagues writes, per part; every handelingen text uses "vertrouwen".
TEXTS: dict[str, tuple[str, str, str, str]] = {
    "kop": (
        "Vorige maand lag er een klacht van een inwoner op ons bureau die bij geen enkele afdeling "
        "hoorde. Toen heb ik de wijkregisseur gebeld en samen hebben we een gesprek met de inwoner "
        "gepland.",
        "In het overleg met de provincie bleef een subsidieaanvraag liggen omdat niemand zich "
        "eigenaar voelde. Ik heb toen gezegd dat ik het zou oppakken tot er een eigenaar was.",
        "Bij de herinrichting van het stationsgebied viel de communicatie met de ondernemers "
        "tussen wal en schip. We hebben daar een avond georganiseerd met de ondernemersvereniging.",
        "Ik herken vooral de twijfel: pak ik het op of wacht ik op mijn leidinggevende?",
    ),
    "handelingen": (
        "We bouwen vertrouwen door de inwoner zelf te bellen en afspraken na te komen.",
        "Ik zoek eerst de mensen op die het zouden moeten oppakken en werk aan vertrouwen tussen "
        "de afdelingen.",
        "Vertrouwen groeit als je laat zien wat je doet en waarom, ook aan de ondernemers.",
        "Ik vraag mijn leidinggevende om ruimte en bouw vertrouwen op met de collega's van "
        "handhaving.",
    ),
    "kennis": (
        "Je moet weten welke afdeling formeel verantwoordelijk is en wie informeel de touwtjes "
        "in handen heeft.",
        "Kennis van de subsidieregels van de provincie hielp me om het gesprek concreet te maken.",
        "We moesten de geschiedenis van het stationsgebied kennen om de ondernemers te begrijpen.",
        "Ik wist niet goed wat mijn mandaat was en dat maakte me onzeker.",
    ),
    "waarden_deugden": (
        "Betrouwbaarheid en moed: iets oppakken wat niet van jou is vraagt moed.",
        "Verantwoordelijkheid nemen zonder de ander zijn werk af te pakken, met moed en tact.",
        "Openheid naar de ondernemers over wat we wel en niet konden beloven.",
        "Geduld met mezelf en met de organisatie, en eerlijkheid over wat ik niet wist.",
    ),
    "vrijheid": (
        "We hadden meer speelruimte dan we dachten zodra de wijkregisseur meedeed.",
        "Mijn leidinggevende gaf me de ruimte, maar ik moest me wel verantwoorden in het MT.",
        "De ruimte zat vooral in de manier waarop we het gesprek met de ondernemers voerden.",
        "Ik voelde weinig vrijheid omdat ik niet wist wie erover ging.",
    ),
    "identiteit": (
        "Ik wil laten zien dat ik een verbinder ben die doorpakt als het nodig is.",
        "Als grenswerker voeg ik toe dat ik de brug sla tussen provincie en gemeente.",
        "Mijn persoonlijke stijl is open en nieuwsgierig naar wat de ondernemers drijft.",
        "Ik wil iemand zijn die vragen durft te stellen in plaats van af te wachten.",
    ),
    "staart": (
        "Goed werk is dat we oppakken wat tussen wal en schip valt en daar open over zijn. "
        "Vertrouwen verdien je door te doen wat je zegt.",
        "Goed werk is tijdelijk eigenaarschap nemen en het daarna netjes overdragen. Een plaatje "
        "van een estafettestokje past daar goed bij.",
        "Goed werk is samen met de ondernemers zoeken naar wat er wel kan, met vertrouwen als "
        "basis.",
        "Goed werk is durven vragen wie erover gaat en dan zelf de eerste stap zetten.",
    ),
}


class FakeClock:
    """A clock the test moves forward by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_question_bank(PROJECT_ROOT / "prompts", "v1")


@pytest.fixture(scope="module")
def corpus_lists() -> tuple[dict[int, str], list[str]]:
    corpus = load_corpus(PROJECT_ROOT / "corpus")
    return {s.id: s.titel for s in corpus.situaties}, [d.naam for d in corpus.deugden]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(
    tmp_path: Path,
    bank: QuestionBank,
    corpus_lists: tuple[dict[int, str], list[str]],
    clock: FakeClock,
) -> TeamService:
    situations, virtues = corpus_lists
    store = TeamStore(tmp_path / "data" / "teams.sqlite3")
    return TeamService(store, bank, situations, virtues=virtues, clock=clock)


def team_of_four(
    service: TeamService, naming: str = "anoniem", coach: str = "coach-1"
) -> tuple[Team, list[str]]:
    """A wij-form team on situation 6 with four participants who wrote every part."""
    team = service.create(coach, 6, wie="wij", naming=naming)
    owners = [f"browser-{name.lower()}" for name in NAMES]
    for owner, name in zip(owners, NAMES, strict=True):
        service.join(team.code, owner, name)
    for part in PARTS:
        for owner, text in zip(owners, TEXTS[part], strict=True):
            service.contribute(team.id, owner, part, text)
    return team, owners


def test_four_participants_join_one_team_in_wij_form_and_see_its_questions(
    service: TeamService,
) -> None:
    team = service.create("coach-1", 6, wie="wij")
    joined = [service.join(team.code, f"browser-{i}", name) for i, name in enumerate(NAMES)]

    assert [p.label for p in joined] == [f"Deelnemer {i}" for i in range(1, 5)]
    assert service.join(team.code, "browser-2", "Chantal").id == joined[2].id  # again: the same
    views = service.view(team.id, "browser-0")
    assert [v.part for v in views] == list(PARTS)
    assert views[0].label == "Kop: de ervaring" and views[-1].label == "Staart: beeld van goed werk"
    kop = " ".join(views[0].questions)
    assert "Wie van jullie heeft een eerdere ervaring met deze situatie?" in kop
    assert "Wie pakt op wat nog bij niemand hoort?" in kop  # {situatie} rendered
    assert "Wat zijn voor jullie manieren om met deze situatie om te gaan?" in views[1].questions
    assert "Kunnen we komen tot een gedeeld beeld van goed werk?" in views[-1].questions
    assert {t.id for t in service.teams_of("browser-3")} == {team.id}
    assert service.team_for(team.id, "browser-3").coach == ""  # the coach's key stays hidden


def test_a_participant_sees_the_others_on_a_part_only_after_giving_their_own(
    service: TeamService,
) -> None:
    team = service.create("coach-1", 3)
    for owner in ("a", "b", "c"):
        service.join(team.code, owner, owner)
    service.contribute(team.id, "b", "kennis", "Ik wist hoe de begroting van de provincie werkt.")
    service.contribute(team.id, "c", "kennis", "We kenden de geschiedenis van het dossier.")

    before = {v.part: v for v in service.view(team.id, "a")}["kennis"]
    assert before.own is None and before.others == [] and before.hidden_count == 2

    service.contribute(team.id, "a", "kennis", "Eerst mijn eigen inbreng.")
    service.contribute(team.id, "a", "kennis", "Ik kende de wethouder van eerdere projecten.")
    after = {v.part: v for v in service.view(team.id, "a")}
    assert after["kennis"].own == "Ik kende de wethouder van eerdere projecten."  # replaced
    assert after["kennis"].hidden_count == 0
    assert after["kennis"].others == [
        ("Deelnemer 2", "Ik wist hoe de begroting van de provincie werkt."),
        ("Deelnemer 3", "We kenden de geschiedenis van het dossier."),
    ]
    assert after["vrijheid"].others == [] and after["vrijheid"].hidden_count == 0


@pytest.mark.parametrize("text", ["", "   \n\t ", "\x00\x07"])
def test_an_empty_contribution_is_refused(service: TeamService, text: str) -> None:
    team = service.create("coach-1", 1)
    service.join(team.code, "a", "Anouk")
    with pytest.raises(TeamError, match="eigen inbreng"):
        service.contribute(team.id, "a", "kop", text)


def test_two_simultaneous_teams_stay_isolated(service: TeamService) -> None:
    team_a = service.create("coach-a", 1, naming="naam")
    team_b = service.create("coach-b", 2, naming="naam")
    service.join(team_a.code, "anouk", "Anouk")
    service.join(team_b.code, "bram", "Bram")
    service.contribute(team_b.id, "bram", "kop", "Een geheim verhaal uit team B over de haven.")
    service.contribute(team_a.id, "anouk", "kop", "Mijn verhaal in team A over de wijk.")

    for call in (
        lambda: service.team_for(team_b.id, "anouk"),
        lambda: service.view(team_b.id, "anouk"),
        lambda: service.contribute(team_b.id, "anouk", "kop", "Ik schrijf mee."),
        lambda: service.coach_view(team_b.id, "coach-a"),
        lambda: service.draft_a4(team_b.id, "coach-a"),
        lambda: service.edit_a4(team_b.id, "anouk", "titel", "Overgenomen"),
        lambda: service.shared_beelden(team_b.id, "coach-a"),
        lambda: service.delete_team(team_b.id, "coach-a"),
    ):
        with pytest.raises(TeamError) as refused:
            call()
        assert str(refused.value) == "Dit team bestaat niet of je hebt er geen toegang toe."
    with pytest.raises(TeamError) as missing:
        service.team_for("no-such-team", "anouk")
    assert str(missing.value) == "Dit team bestaat niet of je hebt er geen toegang toe."

    assert service.participant(team_b.id, "anouk") is None
    assert [t.id for t in service.teams_of("anouk")] == [team_a.id]
    seen_by_a = repr(service.view(team_a.id, "anouk"))
    seen_by_a += repr(service.coach_view(team_a.id, "coach-a"))
    assert "haven" not in seen_by_a and "Bram" not in seen_by_a
    assert "Mijn verhaal in team A" in seen_by_a


def test_the_coach_sees_everything_side_by_side_with_agreement_and_differences(
    service: TeamService,
) -> None:
    team, _ = team_of_four(service, naming="naam")
    overview = service.coach_view(team.id, "coach-1")

    assert overview.closing_questions == list(CLOSING_QUESTIONS)
    assert "Hoe gaan we om met de verschillen die zichtbaar zijn geworden?" in CLOSING_QUESTIONS
    assert "Laat daarin iedereen iets inbrengen zonder meteen te reageren." in overview.tips
    assert [p.label for p in overview.participants] == list(NAMES)
    assert all(p.owner == "" for p in overview.participants)
    parts = {p.part: p for p in overview.parts}
    handelingen = parts["handelingen"]
    assert [label for label, _ in handelingen.contributions] == list(NAMES)
    assert [text for _, text in handelingen.contributions] == list(TEXTS["handelingen"])
    assert handelingen.agreement[0] == "vertrouwen"  # all four used it, as they wrote it
    waarden = parts["waarden_deugden"]
    assert "moed" in waarden.agreement  # a virtue from the booklet's list, named by two
    differences = dict(waarden.differences)
    assert "openheid" in differences["Chantal"]
    assert "geduld" in differences["Dirk"]
    assert all("moed" not in terms for terms in differences.values())


def test_the_draft_a4_traces_every_sentence_to_a_contribution_that_contains_it(
    service: TeamService,
) -> None:
    team, _ = team_of_four(service)
    drafted = service.draft_a4(team.id, "coach-1")
    texts = {c.id: c.text for c in service.store.contributions(team.id)}

    a4, trace = drafted.a4, drafted.trace
    assert a4.kenmerkende_ervaring and a4.beeld and a4.titel
    for item in trace:
        assert item.sentence in texts[item.contribution_id]
        assert item.label.startswith("Deelnemer ")
    for field in ("kenmerkende_ervaring", "beeld"):
        traced = [t.sentence for t in trace if t.field == field]
        assert " ".join(traced) == " ".join(getattr(a4, field).split("\n\n"))
    titel = [t.sentence for t in trace if t.field == "titel"]
    assert titel and a4.titel.casefold() == titel[0].casefold()
    assert "estafettestokje" in a4.afbeelding  # from a staart contribution about a picture
    assert len({t.label for t in trace if t.field == "beeld"}) >= 3  # many voices
    assert service.team_for(team.id, "browser-anouk").a4 == a4  # stored for the group


def test_the_group_edits_the_a4_and_the_trace_follows_the_edit(service: TeamService) -> None:
    team, owners = team_of_four(service)
    drafted = service.draft_a4(team.id, "coach-1")
    kept = [t for t in drafted.trace if t.field == "beeld"][0]

    edited = service.edit_a4(team.id, owners[1], "beeld", f"{kept.sentence} Ons eigen slot.")
    assert edited.a4.beeld == f"{kept.sentence} Ons eigen slot."
    assert [t.sentence for t in edited.trace if t.field == "beeld"] == [kept.sentence]
    assert edited.coach == ""  # a participant edited
    assert service.team_for(team.id, "coach-1").a4.beeld.endswith("Ons eigen slot.")
    with pytest.raises(TeamError):
        service.edit_a4(team.id, owners[0], "onzin", "x")


def test_the_draft_uses_no_sentence_of_a_coach_who_does_not_take_part(
    service: TeamService,
) -> None:
    team = service.create("coach-1", 6)
    with pytest.raises(TeamError, match="deelnemer"):
        service.contribute(team.id, "coach-1", "staart", "Het verhaal van de begeleider.")
    service.join(team.code, "a", "")
    service.contribute(team.id, "a", "staart", TEXTS["staart"][0])
    assert all(t.label == "Deelnemer 1" for t in service.draft_a4(team.id, "coach-1").trace)

    service.join(team.code, "coach-1", "")  # now the coach takes part too
    service.contribute(team.id, "coach-1", "staart", TEXTS["staart"][3])
    labels = {t.label for t in service.draft_a4(team.id, "coach-1").trace}
    assert labels == {"Deelnemer 1", "Deelnemer 2"}


def test_anonymous_naming_never_leaks_a_name_in_trace_or_views(service: TeamService) -> None:
    team, owners = team_of_four(service, naming="anoniem")
    service.share_beeld(team.id, owners[0], "sessie-1", A4(titel="Mijn beeld"), consent=True)
    drafted = service.draft_a4(team.id, "coach-1")

    shown = [
        drafted,
        service.coach_view(team.id, "coach-1"),
        service.shared_beelden(team.id, "coach-1"),
        *(service.view(team.id, owner) for owner in owners),
        *(service.participant(team.id, owner) for owner in owners),
    ]
    for name in NAMES:
        assert all(name not in repr(item) for item in shown)
    assert {t.label for t in drafted.trace} <= {f"Deelnemer {i}" for i in range(1, 5)}
    for owner in owners:  # nor anyone's owner key, except one's own participant record
        assert owner not in repr(shown[:3])


def test_sharing_an_individual_beeld_needs_explicit_consent(service: TeamService) -> None:
    team = service.create("coach-1", 4)
    service.join(team.code, "a", "")
    with pytest.raises(TeamError, match="toestemming"):
        service.share_beeld(team.id, "a", "sessie-1", A4(titel="Mijn beeld"), consent=False)
    assert service.shared_beelden(team.id, "coach-1") == []


def test_the_coach_sees_shared_beelden_and_another_teams_coach_does_not(
    service: TeamService,
) -> None:
    team = service.create("coach-1", 4, naming="naam")
    other = service.create("coach-2", 4)
    service.join(team.code, "a", "Anouk")
    service.join(team.code, "b", "Bram")
    a4 = A4(titel="Vreemde eend", kenmerkende_ervaring="Toen ik...", beeld="Goed werk is...")
    shared = service.share_beeld(team.id, "a", "sessie-a", a4, consent=True)
    a4.titel = "Later veranderd"  # the share is a copy

    seen = service.shared_beelden(team.id, "coach-1")
    assert [(b.id, b.titel, b.participant_label) for b in seen] == [
        (shared.id, "Vreemde eend", "Anouk")
    ]
    assert seen[0].session_id == ""  # the coach does not learn the session's id
    assert service.shared_beelden(team.id, "a")[0].session_id == "sessie-a"
    assert service.shared_beelden(team.id, "b") == []
    assert service.shared_beelden(other.id, "coach-2") == []
    with pytest.raises(TeamError):
        service.shared_beelden(team.id, "coach-2")
    assert not service.unshare_beeld(team.id, "b", shared.id)  # not Bram's to take back
    assert service.unshare_beeld(team.id, "a", shared.id)
    assert service.shared_beelden(team.id, "coach-1") == []


def test_forgetting_a_session_removes_the_beelden_shared_from_it(service: TeamService) -> None:
    team = service.create("coach-1", 4)
    service.join(team.code, "a", "")
    service.share_beeld(team.id, "a", "sessie-weg", A4(titel="Weg"), consent=True)
    service.share_beeld(team.id, "a", "sessie-blijft", A4(titel="Blijft"), consent=True)

    assert service.forget_session("sessie-weg") == 1
    assert [b.titel for b in service.shared_beelden(team.id, "coach-1")] == ["Blijft"]


MARKER = "KWALLENDANS-7731"


def test_deleting_a_team_leaves_its_text_in_no_file(service: TeamService) -> None:
    team = service.create("coach-1", 5)
    service.join(team.code, "a", "")
    service.contribute(team.id, "a", "kop", f"Toen ik {MARKER} in het overleg noemde, zweeg men.")
    service.contribute(team.id, "a", "staart", f"Goed werk is de {MARKER} serieus nemen, steeds.")
    service.draft_a4(team.id, "coach-1")
    service.edit_a4(team.id, "a", "titel", f"De {MARKER}")
    service.share_beeld(team.id, "a", "sessie-1", A4(beeld=f"Mijn {MARKER}."), consent=True)
    data_dir = service.store.path.parent
    assert files_holding(data_dir, MARKER)  # the check can see it

    with pytest.raises(TeamError, match="begeleider"):
        service.delete_team(team.id, "a")
    assert service.delete_team(team.id, "coach-1")
    assert files_holding(data_dir, MARKER) == []
    with pytest.raises(TeamError):
        service.team_for(team.id, "coach-1")
    assert service.teams_of("a") == []


def test_leaving_takes_ones_contributions_shares_and_a4_sentences_along(
    service: TeamService,
) -> None:
    team, owners = team_of_four(service)
    service.share_beeld(team.id, owners[1], "sessie-b", A4(titel="Bram's beeld"), consent=True)
    drafted = service.draft_a4(team.id, "coach-1")
    leaving = service.participant(team.id, owners[1])
    assert leaving is not None and any(t.label == leaving.label for t in drafted.trace)

    assert service.leave(team.id, owners[1])
    after = service.team_for(team.id, "coach-1")
    assert all(t.label != leaving.label for t in after.trace)
    for sentence in [t.sentence for t in drafted.trace if t.label == leaving.label]:
        assert sentence not in after.a4.beeld and sentence not in after.a4.kenmerkende_ervaring
    overview = service.coach_view(team.id, "coach-1")
    assert leaving.label not in [p.label for p in overview.participants]
    assert service.shared_beelden(team.id, "coach-1") == []
    with pytest.raises(TeamError):
        service.view(team.id, owners[1])
    assert not service.leave(team.id, "coach-1")  # the coach never joined as participant


def test_a_team_holds_at_most_twelve_participants(service: TeamService) -> None:
    team = service.create("coach-1", 5)
    for i in range(12):
        service.join(team.code, f"p{i}", "")
    with pytest.raises(TeamError, match="vol"):
        service.join(team.code, "p12", "")


def test_wrong_codes_are_rate_limited_and_a_right_code_is_refused_while_locked_out(
    service: TeamService, clock: FakeClock
) -> None:
    team = service.create("coach-1", 7)
    service.join(team.code, "member", "")
    wrong = "ZZZZZ-ZZZZZ" if team.code != "ZZZZZ-ZZZZZ" else "YYYYY-YYYYY"
    for _ in range(5):
        with pytest.raises(TeamError, match="Bij deze code hoort geen team"):
            service.join(wrong, "guesser", "")
    with pytest.raises(TooManyAttempts, match="Probeer het over 10 minuten opnieuw") as locked:
        service.join(team.code, "guesser", "")
    assert locked.value.retry_after == pytest.approx(600)
    assert service.participant(team.id, "guesser") is None
    assert service.join(team.code, "member", "").label == "Deelnemer 1"  # others are not locked

    clock.now += 601
    assert service.join(team.code, "guesser", "").label == "Deelnemer 2"


def test_guessing_with_fresh_owners_hits_the_global_cap_but_never_locks_out_the_right_code(
    service: TeamService, clock: FakeClock
) -> None:
    team = service.create("coach-1", 8)
    service.join(team.code, "member", "")
    wrong = "ZZZZZ-ZZZZZ" if team.code != "ZZZZZ-ZZZZZ" else "YYYYY-YYYYY"
    for i in range(60):
        with pytest.raises(TeamError):
            service.join(wrong, f"fresh-{i}", "")
        clock.now += 1
    for i in range(60, 120):  # the probe's 120 fresh owners: now refused before any check
        with pytest.raises(TooManyAttempts):
            service.join(wrong, f"fresh-{i}", "")
    assert service.join(team.code, "fresh-new", "").label == "Deelnemer 2"
    assert service.join(team.code, "member", "").label == "Deelnemer 1"  # already in: no guess
    assert service.limiter.tracked()[1] <= service.limiter.global_limit  # memory stays bounded


def test_an_unknown_situation_or_form_is_refused(service: TeamService) -> None:
    with pytest.raises(TeamError, match="Situatie 11"):
        service.create("coach-1", 11)
    with pytest.raises(TeamError):
        service.create("coach-1", 1, wie="zij")
    with pytest.raises(TeamError):
        service.create("", 1)


def test_named_teams_need_a_name_and_keep_labels_apart(service: TeamService) -> None:
    team = service.create("coach-1", 2, naming="naam")
    with pytest.raises(TeamError, match="naam"):
        service.join(team.code, "a", "  ")
    assert service.join(team.code, "a", " Anouk ").label == "Anouk"
    assert service.join(team.code, "b", "Anouk").label == "Anouk (2)"


def test_participants_joining_and_writing_at_the_same_time_all_get_their_own_place(
    service: TeamService,
) -> None:
    team = service.create("coach-1", 9)
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def take_part(i: int) -> None:
        try:
            start.wait()
            service.join(team.code, f"owner-{i}", "")
            service.contribute(team.id, f"owner-{i}", "kop", f"Verhaal nummer {i} uit de praktijk.")
            service.edit_a4(team.id, f"owner-{i}", "afbeelding", f"Plaatje {i}")
        except BaseException as exc:  # collected and re-raised below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=take_part, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    overview = service.coach_view(team.id, "coach-1")
    assert sorted(p.label for p in overview.participants) == sorted(
        f"Deelnemer {i}" for i in range(1, 9)
    )
    assert len(overview.parts[0].contributions) == 8
    assert service.team_for(team.id, "coach-1").a4.afbeelding.startswith("Plaatje ")


def test_a_newcomer_sees_neither_the_shared_a4_nor_its_trace_before_giving_their_own(
    service: TeamService,
) -> None:
    team, owners = team_of_four(service)
    drafted = service.draft_a4(team.id, "coach-1")
    assert drafted.trace and any(t.label.startswith("Deelnemer") for t in drafted.trace)
    service.join(team.code, "browser-nieuw", "")

    for shown in (service.team_for(team.id, "browser-nieuw"), *service.teams_of("browser-nieuw")):
        assert shown.a4 == A4() and shown.trace == []
    with pytest.raises(TeamError, match="eigen|ingebracht"):
        service.edit_a4(team.id, "browser-nieuw", "beeld", "Overschreven door een nieuwkomer.")
    assert service.team_for(team.id, "coach-1").a4 == drafted.a4  # nothing overwritten

    service.contribute(team.id, "browser-nieuw", "kop", "Toen ik pas begon, zweeg iedereen.")
    assert service.team_for(team.id, "browser-nieuw").trace == []  # one part is not enough
    for part in PARTS:
        service.contribute(team.id, "browser-nieuw", part, f"Mijn eigen tekst over {part}.")
    assert service.team_for(team.id, "browser-nieuw").a4 == drafted.a4
    assert service.team_for(team.id, owners[0]).trace == drafted.trace
    edited = service.edit_a4(team.id, "browser-nieuw", "titel", "Samen verder")
    assert edited.a4.titel == "Samen verder"
