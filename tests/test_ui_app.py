"""The page when the disk fails: a Dutch message, and the typed text is not lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from gradio_client import Client

from assistant.ui.layout import named

from .conftest import make_settings
from .failing_disk import Trouble, install
from .inprocess import ServedPage, served_page

STORY = (
    "Toen ik vorige week in het MT met Ahmed sprak, zei ik dat de gemeenten al meedoen. "
    "Ik heb daarna zelf een notitie van twee pagina's geschreven."
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPage]:
    with served_page(make_settings(tmp_path_factory.mktemp("ui-disk") / "data")) as page:
        yield page


@pytest.fixture
def trouble(monkeypatch: pytest.MonkeyPatch) -> Trouble:
    return install(monkeypatch)


def in_the_kop(served: ServedPage) -> tuple[Client, str]:
    client = Client(served.url, verbose=False)
    result = client.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    session_id = named(result)["sessions"]["value"]
    result = client.predict("De samenwerking met de gemeente loopt vast.", api_name="/antwoord")
    client.predict(
        named(result)["situation_choice"]["choices"][0][1], "", api_name="/kies_situatie"
    )
    return client, session_id


def test_an_answer_that_cannot_be_saved_gets_a_dutch_status_and_stays_in_the_field(
    served: ServedPage, trouble: Trouble
) -> None:
    client, session_id = in_the_kop(served)
    before = served.service.store.load(session_id)
    trouble.arm("INSERT INTO PENDING")
    result = client.predict(STORY, api_name="/antwoord")
    assert "Opslaan is niet gelukt: de schijf is vol" in named(result)["status"]
    assert "Je tekst staat nog in het veld" in named(result)["status"]
    assert named(result)["text"]["value"] == STORY
    assert served.service.store.load(session_id) == before


def test_an_answer_whose_state_cannot_be_saved_is_kept_and_the_status_says_so(
    served: ServedPage, trouble: Trouble
) -> None:
    client, session_id = in_the_kop(served)
    trouble.arm("UPDATE")
    result = client.predict(STORY, api_name="/antwoord")
    assert "vastgelegd" in named(result)["status"]
    assert named(result)["text"]["value"] == STORY
    owner = served.service.store.owner_of(session_id) or ""
    turns = served.service.state(session_id, owner).turns
    user_texts = [t.text for t in turns if t.role == "user"]
    assert user_texts.count(STORY) == 1  # handled once, when the page was drawn again


def test_an_edit_that_cannot_be_saved_is_refused_with_a_dutch_message(
    served: ServedPage, trouble: Trouble
) -> None:
    client, session_id = in_the_kop(served)
    client.predict("", api_name="/concept")
    before = served.service.store.load(session_id)
    assert before is not None
    trouble.arm("INSERT INTO PENDING")
    with pytest.raises(Exception, match="Opslaan is niet gelukt: de schijf is vol"):
        client.predict("Een titel die niet opgeslagen wordt", api_name="/bewerk_titel")
    assert served.service.store.load(session_id) == before
    preview = client.predict("Een titel die wel opgeslagen wordt", api_name="/bewerk_titel")
    assert "Een titel die wel opgeslagen wordt" in preview


def test_an_export_that_fails_says_so_in_dutch_and_offers_no_file(
    served: ServedPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.export import writing as exports

    client, _ = in_the_kop(served)
    client.predict("", api_name="/concept")

    def no_space(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "a4_to_pdf", no_space)
    download, status = client.predict(api_name="/export_pdf")
    assert download is None
    assert status.startswith("Het exporteren is niet gelukt: de schijf is vol.")


def test_a_session_that_cannot_be_created_gets_a_dutch_status(
    served: ServedPage, trouble: Trouble
) -> None:
    client = Client(served.url, verbose=False)
    trouble.arm("INSERT INTO SESSIONS")
    result = client.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    assert named(result)["status"].startswith("Opslaan is niet gelukt: de schijf is vol.")
    assert named(result)["sessions"]["value"] is None  # no session to continue in


CANNOT_OPEN = sqlite3.OperationalError("unable to open database file")


@pytest.mark.parametrize(
    ("api_name", "args"),
    [
        ("/antwoord", (STORY,)),
        ("/hervat", ("{sessie}",)),
        ("/nieuwe_sessie", ("ik", "achteraf")),
        ("/bewerk_beeld", ("Een beeld dat niet opgeslagen wordt",)),
        ("/export_pdf", ()),
    ],
)
def test_a_store_that_cannot_be_opened_gives_its_dutch_message_and_keeps_the_page(
    served: ServedPage, trouble: Trouble, api_name: str, args: tuple[str, ...]
) -> None:
    client, session_id = in_the_kop(served)
    trouble.arm("SELECT", CANNOT_OPEN, times=1000)
    with pytest.raises(Exception) as raised:  # gr.Error: the page's outputs stay as they were
        client.predict(*(a.format(sessie=session_id) for a in args), api_name=api_name)
    message = str(raised.value)
    assert "is niet gelukt" in message and "Wat je typte, staat nog op de pagina." in message
    assert "unable to open" not in message and "None" not in message


@pytest.mark.parametrize(
    ("api_name", "args"),
    [
        ("/team_doe_mee", ("ABCDE-FGHIJ", "Ada")),
        ("/coach_maak", (1, "ik", "naam")),
    ],
)
def test_a_team_store_that_cannot_be_opened_gives_its_dutch_message_too(
    served: ServedPage, trouble: Trouble, api_name: str, args: tuple[object, ...]
) -> None:
    client = Client(served.url, verbose=False)
    trouble.arm("SELECT", CANNOT_OPEN, times=1000)
    with pytest.raises(Exception) as raised:
        client.predict(*args, api_name=api_name)
    message = str(raised.value)
    assert "is niet gelukt" in message and "Wat je typte, staat nog op de pagina." in message
    assert "unable to open" not in message and "None" not in message
