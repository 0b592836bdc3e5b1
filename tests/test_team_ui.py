"""Team sessions through the served page, with one `gradio_client` per person: two coaches,
two simultaneous teams (four and two participants), contributions hidden until one's own is
given, the coach's overview, a shared A4 traced to contributions, the session guide, consent
for the coach to see a beeld, and a summary file.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client

from assistant.corpus.load import load_corpus
from assistant.settings import PROJECT_ROOT
from assistant.ui.layout import named as page_named
from assistant.ui.team_coach import named as coach_named
from assistant.ui.team_participant import named

from .downloads import download_export, fetch
from .server import running_server

MARKER = re.compile(r"MARKER-[0-9a-f]{10}")
CODE = re.compile(r"`([0-9A-Z]{5}-[0-9A-Z]{5})`")
PERSPECTIVES = ("Handelingen", "Kennis", "Waarden en deugden", "Vrijheid", "Identiteit")
NAMES = ("Anneke", "Bastiaan", "Carlijn", "Dirkjan", "Evelien", "Frederik")


def marker() -> str:
    return f"MARKER-{uuid.uuid4().hex[:10]}"


def client(url: str) -> Client:
    return Client(url, verbose=False, download_files=False)


def text_of(result: Any) -> str:
    return str(result)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("teams") / "data") as url:
        yield url


def make_team(url: str, situatie: int, wie: str, naming: str) -> tuple[Client, str]:
    coach = client(url)
    result = coach.predict(situatie, wie, naming, api_name="/coach_maak")
    found = CODE.search(coach_named(result)["header"])
    assert found, coach_named(result)["header"]
    return coach, found.group(1)


def contribution(mark: str, part: str) -> str:
    """A contribution: one sentence all share (the wethouder) and one of one's own."""
    return (
        f"Wij spraken samen met de wethouder over {part}. "
        f"Ik hield daarbij vooral {mark} voor ogen, met geduld en moed."
    )


class Person:
    """One participant's client and everything the page showed them."""

    def __init__(self, url: str, name: str) -> None:
        self.client = client(url)
        self.name = name
        self.marks: dict[str, str] = {}
        self.seen: list[str] = []

    def call(self, *args: Any, api_name: str) -> Any:
        result = self.client.predict(*args, api_name=api_name)
        self.seen.append(text_of(result))
        return result

    def join(self, code: str) -> Any:
        return self.call(code, self.name, api_name="/team_doe_mee")

    def give(self, part: str) -> Any:
        self.marks[part] = marker()
        return self.call(part, contribution(self.marks[part], part), api_name="/team_inbreng")


def test_two_teams_at_once_hidden_until_own_coach_overview_and_a_traced_shared_a4(
    server: str, tmp_path: Path
) -> None:
    coach_a, code_a = make_team(server, 3, "wij", "anoniem")
    coach_b, code_b = make_team(server, 5, "ik", "naam")
    team_a = [Person(server, name) for name in NAMES[:4]]
    team_b = [Person(server, name) for name in NAMES[4:]]
    with ThreadPoolExecutor(max_workers=6) as pool:
        joined = list(pool.map(lambda p: p[0].join(p[1]), [(p, code_a) for p in team_a]
                               + [(p, code_b) for p in team_b]))  # fmt: skip
    assert all(named(result)["status"] == "Je doet mee." for result in joined)

    # Contributions stay hidden until one's own is given.
    for person in team_a[1:]:
        person.give("handelingen")
    first = team_a[0]
    before = first.call("handelingen", api_name="/team_onderdeel")
    assert "3 anderen" in named(before)["group"]
    assert not MARKER.findall(named(before)["group"])
    after = first.give("handelingen")
    assert set(MARKER.findall(named(after)["group"])) == {
        p.marks["handelingen"] for p in team_a[1:]
    }
    assert first.marks["handelingen"] in named(after)["text"]["value"]  # own text stays

    # Both teams at the same time on the other parts.
    def give_all(person: Person) -> None:
        for part in ("kop", "waarden_deugden", "staart"):
            person.give(part)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(give_all, team_a + team_b))

    overview_a = coach_a.predict(api_name="/coach_overzicht")
    overview_b = coach_b.predict(api_name="/coach_overzicht")
    marks_a = {m for p in team_a for m in p.marks.values()}
    marks_b = {m for p in team_b for m in p.marks.values()}
    assert set(MARKER.findall(coach_named(overview_a)["overview"])) == marks_a
    assert set(MARKER.findall(coach_named(overview_b)["overview"])) == marks_b
    assert "wethouder" in coach_named(overview_a)["overview"].split("<b>Gedeeld:</b>")[2]
    # Anonymous team: labels, never the names people typed.
    assert "Deelnemer 4" in coach_named(overview_a)["overview"]
    for person in team_a:
        assert person.name not in coach_named(overview_a)["overview"]
        assert not any(person.name in seen for p in team_a for seen in p.seen)
    assert "Evelien" in coach_named(overview_b)["overview"]  # the other team works with names

    # Isolation: nobody of one team ever saw anything of the other.
    for person in team_a:
        assert not marks_b & set(MARKER.findall(" ".join(person.seen)))
    for person in team_b:
        assert not marks_a & set(MARKER.findall(" ".join(person.seen)))
    team_a_id = coach_named(overview_a)["coached"]["value"]
    intruder = team_b[0]
    try:
        refused = intruder.client.predict(team_a_id, api_name="/team_open")
        assert not marks_a & set(MARKER.findall(text_of(refused)))
        assert (
            "geen toegang" in named(refused)["status"] or "Kies eerst" in named(refused)["status"]
        )
    except Exception:  # noqa: BLE001 - Gradio refuses a value that is not among the choices
        pass

    # The coach drafts the shared A4; every sentence in it comes from a contribution.
    drafted = coach_a.predict(api_name="/coach_concept")
    fields = coach_named(drafted)
    titel, ervaring, beeld = fields["titel"], fields["kenmerkende_ervaring"], fields["beeld"]
    assert titel and ervaring and beeld
    written = [contribution(m, part) for p in team_a for part, m in p.marks.items()]
    for sentence in re.split(r"(?<=[.!?])\s+", f"{ervaring} {beeld}".strip()):
        assert any(sentence.rstrip("…") in text for text in written), sentence
    assert (
        "Deelnemer" in coach_named(drafted)["trace"] and "Herkomst" in coach_named(drafted)["trace"]
    )
    assert not marks_b & set(MARKER.findall(text_of(drafted)))

    # The group edits it; the coach sees the edit; a participant exports it.
    team_a[2].call("Samen voorbij de intenties", api_name="/team_bewerk_titel")
    assert (
        coach_named(coach_a.predict(api_name="/coach_overzicht"))["titel"]
        == "Samen voorbij de intenties"
    )
    anchor, message = team_a[0].call(api_name="/team_export_pdf")
    assert "PDF" in message
    pdf = download_export(server, team_a[0].client, anchor, tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Samen voorbij de intenties" in text
    assert fetch(server, anchor, coach_b.cookies).status_code == 404
    assert fetch(server, anchor, team_b[0].client.cookies).status_code == 404
    assert team_b[0].call(api_name="/team_export_pdf")[0] == ""


def test_join_codes_are_random_and_wrong_guesses_are_rate_limited(server: str) -> None:
    codes = {make_team(server, 1, "wij", "anoniem")[1] for _ in range(3)}
    assert len(codes) == 3
    guesser = Person(server, "Gijs")
    messages = [named(guesser.join("AAAAA-AAAAA"))["status"] for _ in range(6)]
    assert "Bij deze code hoort geen team" in messages[0]
    assert "Te vaak een onjuiste code" in messages[-1]
    # Locked out: even a right code is refused for now, and nothing of the team is shown.
    result = guesser.join(next(iter(codes)))
    assert "Te vaak een onjuiste code" in named(result)["status"]
    assert named(result)["header"].startswith("_Nog geen teamsessie")
    # Typing the code in lower case, with spaces or O for 0 still works for someone else.
    code = next(iter(codes))
    sloppy = code.lower().replace("-", " ").replace("0", "o")
    assert named(Person(server, "Hanna").join(sloppy))["status"] == "Je doet mee."


def test_the_guide_button_gives_a_pdf_with_the_situation_and_the_five_perspectives(
    server: str, tmp_path: Path
) -> None:
    coach = client(server)
    anchor, message = coach.predict(4, 8, api_name="/coach_gids")
    assert "gemaakt" in message
    pdf = download_export(server, coach, anchor, tmp_path)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True)
    assert [p for p in tmp_path.glob("p-*.png") if p.stat().st_size > 1000]
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    title = load_corpus(PROJECT_ROOT / "corpus").situaties[3].titel
    assert "Situatie 4" in text and " ".join(title.split()[:5]) in text
    for name in PERSPECTIVES:
        assert name in text
    assert fetch(server, anchor, client(server).cookies).status_code == 404


def play_own_session(person: Person, mark: str) -> str:
    """An individual session up to the A4; returns its id."""
    c = person.client
    started = c.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    result = c.predict(
        f"Mijn eigen directie steunt het idee niet, de gemeenten buiten wel ({mark}).",
        api_name="/antwoord",
    )
    c.predict(
        page_named(result)["situation_choice"]["choices"][0][0], "", api_name="/kies_situatie"
    )
    c.predict(
        f"Toen ik in het MT over {mark} sprak, zei ik dat de gemeenten al meedoen. "
        "Ik heb daarna zelf een notitie van twee pagina's geschreven.",
        api_name="/antwoord",
    )
    c.predict("", api_name="/concept")
    c.predict(f"Mijn beeld {mark}", api_name="/bewerk_titel")
    return str(page_named(started)["sessions"]["value"])


def test_a_coach_sees_a_participants_beeld_only_with_consent_and_a_summary_is_a_file(
    server: str, tmp_path: Path
) -> None:
    coach, code = make_team(server, 2, "wij", "naam")
    other_coach, _ = make_team(server, 2, "wij", "naam")
    person = Person(server, "Iris")
    mark = marker()
    session_id = play_own_session(person, mark)
    person.join(code)

    refused = person.call(session_id, False, api_name="/team_deel_beeld")
    assert "toestemming" in named(refused)["status"].lower()
    assert mark not in coach_named(coach.predict(api_name="/coach_overzicht"))["shared"]

    shared = person.call(session_id, True, api_name="/team_deel_beeld")
    assert "gedeeld" in named(shared)["status"]
    assert mark in coach_named(coach.predict(api_name="/coach_overzicht"))["shared"]
    assert mark not in coach_named(other_coach.predict(api_name="/coach_overzicht"))["shared"]

    beeld_id = named(shared)["shared"]["choices"][0][1]
    person.call(beeld_id, api_name="/team_trek_in")
    assert mark not in coach_named(coach.predict(api_name="/coach_overzicht"))["shared"]

    # A summary of one's own session is a file to hand over, not a link to the server.
    anchor, message = person.client.predict(api_name="/samenvatting_md")
    assert "Samenvatting" in message
    summary = download_export(server, person.client, anchor, tmp_path).read_text()
    assert mark in summary  # a hyphen inside a word changes no rendering: not escaped
    assert "Gekozen situatie" in summary or "Situatie" in summary
    assert fetch(server, anchor, coach.cookies).status_code == 404

    # Shared again, then the session is deleted: the coach's copy goes with it.
    person.call(session_id, True, api_name="/team_deel_beeld")
    assert mark in coach_named(coach.predict(api_name="/coach_overzicht"))["shared"]
    person.client.predict(session_id, api_name="/hervat")
    person.client.predict(True, api_name="/verwijder")
    assert mark not in coach_named(coach.predict(api_name="/coach_overzicht"))["shared"]


def test_the_guide_button_without_a_situation_says_so_and_writes_nothing(server: str) -> None:
    coach = client(server)
    assert coach.predict(None, 6, api_name="/coach_gids") == ("", "Kies eerst een situatie.")
    with pytest.raises(Exception, match="minimum value 2"):  # the slider's own bound
        coach.predict(2, 1, api_name="/coach_gids")


def test_wiping_all_my_data_takes_my_team_contributions_and_my_teams_with_it(
    server: str,
) -> None:
    coach, code = make_team(server, 6, "wij", "anoniem")
    stays, leaves = Person(server, "Jan"), Person(server, "Kim")
    for person in (stays, leaves):
        person.join(code)
        person.give("kop")
    overview = coach_named(coach.predict(api_name="/coach_overzicht"))["overview"]
    assert leaves.marks["kop"] in overview and stays.marks["kop"] in overview

    leaves.client.predict(True, api_name="/wis_alles")
    overview = coach_named(coach.predict(api_name="/coach_overzicht"))["overview"]
    assert leaves.marks["kop"] not in overview and stays.marks["kop"] in overview

    coach.predict(True, api_name="/wis_alles")
    gone = stays.call("kop", api_name="/team_onderdeel")
    assert stays.marks["kop"] not in text_of(gone)
    assert "geen toegang" in named(gone)["status"]
