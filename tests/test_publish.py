"""Sharing into the collection with the real Deduce de-identifier: names (also opening a
sentence), places, organisations, phone numbers and e-mail addresses are replaced in the
preview, what is stored is the preview, and the page shows exactly that."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from assistant.app import build_service
from assistant.components import deidentify
from assistant.components.deidentify import DeduceDeidentifier, NotReady
from assistant.export.markdown import escape
from assistant.service import ChooseSituation, Edit, PreviewOutdated, ReflectionService, ToDraft
from assistant.sessions.publish import deidentify as replace_in
from assistant.sessions.publish import initials
from assistant.settings import PROJECT_ROOT, Settings
from assistant.ui.handlers import ReflectionHandlers
from assistant.ui.serving import PageContext

from .on_disk import files_holding

OWNER = "anna"
TITEL = "De zeilboot van Karin"
ERVARING = (
    "Pieter belde me op een maandag. Toen ik met Karin van de gemeente Dalfsen sprak, liep het "
    "vast. Jan de Vries van het UWV was bereikbaar op 06-12345678 en via jan.devries@uwv.nl."
)
BEELD = "Goed werk was laveren als een zeilboot, zoals Karin in Zwolle liet zien."
TRACEABLE = ("Karin", "Pieter", "Dalfsen", "Vries", "UWV", "Zwolle", "06-12345678", "devries@")


@pytest.fixture
def service(settings: Settings, deduce_deidentifier: DeduceDeidentifier) -> ReflectionService:
    service = build_service(settings)
    service.deidentifier = deduce_deidentifier
    return service


def drafted(service: ReflectionService) -> str:
    session_id, _ = service.start("ik", "achteraf", owner=OWNER)
    service.send(session_id, "De samenwerking met de gemeente loopt vast.", owner=OWNER)
    service.act(session_id, ChooseSituation(index=1), owner=OWNER)
    service.act(session_id, ToDraft(), owner=OWNER)
    for part, value in (("titel", TITEL), ("kenmerkende_ervaring", ERVARING), ("beeld", BEELD)):
        service.act(session_id, Edit(part=part, value=value), owner=OWNER)
    return session_id


def stored_text(beeld: Any) -> str:
    return f"{beeld.titel}\n{beeld.kenmerkende_ervaring}\n{beeld.beeld}"


def test_names_places_organisations_phone_and_email_are_replaced_and_stored_as_previewed(
    service: ReflectionService, settings: Settings
) -> None:
    session_id = drafted(service)
    preview, found = service.publication_preview(session_id, True, OWNER)

    text = stored_text(preview)
    for word in TRACEABLE:
        assert word not in text, word
    assert text.startswith("De zeilboot van K.\nP. belde me")  # also opening a sentence
    assert "gemeente [plaats]" in text and "[organisatie]" in text
    assert "[telefoonnummer]" in text and "[e-mailadres]" in text
    kinds = {r.text: r.kind for r in found}
    assert kinds["Karin"] == "naam" and kinds["Pieter"] == "naam"
    assert kinds["Dalfsen"] == "plaats" and kinds["06-12345678"] == "telefoonnummer"

    # Some of these words occur in the corpus (and so in the index) already.
    before = {word: files_holding(settings.data_dir, word) for word in TRACEABLE}
    stored = service.publish(session_id, consent=True, use_initials=True, owner=OWNER)
    assert stored_text(stored) == text
    assert [stored_text(b) for b in service.collection.all()] == [text]
    assert "collectie.sqlite3" in files_holding(settings.data_dir, "zeilboot van K.")
    for word in TRACEABLE:  # sharing put none of it in the collection's files or the index
        assert files_holding(settings.data_dir, word) == before[word], word


def test_without_replacing_the_preview_lists_what_was_found_and_stores_it_as_typed(
    service: ReflectionService,
) -> None:
    session_id = drafted(service)
    preview, found = service.publication_preview(session_id, False, OWNER)
    assert preview.kenmerkende_ervaring == ERVARING
    assert {"Karin", "Dalfsen", "06-12345678"} <= {r.text for r in found}


def test_the_page_shows_exactly_what_is_stored_and_refuses_a_changed_a4(
    service: ReflectionService, settings: Settings
) -> None:
    handlers = ReflectionHandlers(PageContext(service, settings), cast(Any, None))
    request = cast(Any, SimpleNamespace(username=OWNER, cookies={}))
    session_id = drafted(service)
    shown, _ = handlers.show_publication(session_id, True, request)
    assert "P. belde me" in shown and "Vervangen: Karin → K. (naam)" in shown
    assert "Pieter" in shown.split("Vervangen:")[1]  # the list tells what was replaced
    assert "Pieter" not in shown.split("Vervangen:")[0]

    service.act(session_id, Edit(part="beeld", value=BEELD + " Met Ahmed."), owner=OWNER)
    status, _, _, fresh = handlers.publish(session_id, True, True, shown, request)
    assert status == str(PreviewOutdated())
    assert service.collection.all() == []

    status, _, _, _ = handlers.publish(session_id, True, True, fresh, request)
    assert status.startswith("Gedeeld in de collectie")
    (stored,) = service.collection.all()
    assert f"**{escape(stored.titel)}**" in fresh and escape(stored.beeld) in fresh
    assert escape(stored.kenmerkende_ervaring) in fresh


def test_the_service_refuses_a_preview_that_is_no_longer_what_would_be_stored(
    service: ReflectionService,
) -> None:
    session_id = drafted(service)
    shown, _ = service.publication_preview(session_id, True, OWNER)
    service.act(session_id, Edit(part="titel", value="De zeilboot van Ahmed"), owner=OWNER)
    with pytest.raises(PreviewOutdated):
        service.publish(session_id, consent=True, use_initials=True, owner=OWNER, shown=shown)
    assert service.collection.all() == []


def test_while_deduce_is_prepared_nobody_waits_and_nothing_is_shared(
    service: ReflectionService, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    release = threading.Event()

    def slow_load(cache_dir: Path, street_list: bool = False) -> Any:
        release.wait(10)
        raise RuntimeError("niet nodig in deze test")

    monkeypatch.setattr(deidentify, "load_deduce", slow_load)
    service.deidentifier = DeduceDeidentifier(tmp_path / "deduce")
    session_id = drafted(service)
    with pytest.raises(NotReady):
        service.publication_preview(session_id, True, OWNER)
    with pytest.raises(NotReady):
        service.publish(session_id, consent=True, use_initials=True, owner=OWNER)
    handlers = ReflectionHandlers(PageContext(service, settings), cast(Any, None))
    request = cast(Any, SimpleNamespace(username=OWNER, cookies={}))
    shown, _ = handlers.show_publication(session_id, True, request)
    assert "wordt nog voorbereid" in shown
    release.set()
    assert service.collection.all() == []


def test_initials_keep_titles_interfixes_and_double_names() -> None:
    assert initials("Jan de Vries") == "J. de V."
    assert initials("mevrouw Bakker") == "mevrouw B."
    assert initials("Gert-Jan") == "G.-J."


def test_deduce_finds_a_name_at_the_start_of_a_sentence_and_a_care_institution(
    deduce_deidentifier: DeduceDeidentifier,
) -> None:
    text, made = replace_in(
        "Fatima belde vanuit het Antonius Ziekenhuis. Ze woont aan de Kerkstraat 12.",
        deduce_deidentifier,
    )
    assert text.startswith("F. belde vanuit het [organisatie].")
    assert "Kerkstraat" not in text
    assert {r.kind for r in made} >= {"naam", "organisatie"}


def test_deduces_lists_are_copied_private_and_without_the_street_list(tmp_path: Path) -> None:
    lookup = deidentify._lookup_dir(tmp_path, "test", street_list=False)
    files = [p for p in lookup.rglob("*") if p.is_file()]
    assert files and all(p.stat().st_mode & 0o077 == 0 for p in files)
    streets = lookup / "src" / "locations" / "lst_street"
    assert (streets / "items.txt").read_text() == (streets / "streets_bag.txt").read_text() == ""
    assert (lookup / "src" / "names" / "lst_first_name" / "items.txt").stat().st_size > 0


def test_importing_deduce_changes_neither_logging_nor_warnings() -> None:
    """Deduce sets up DEBUG logging on stdout and shows every warning when imported."""
    check = (
        "import logging, warnings\n"
        "from assistant.components.deidentify import _import_deduce\n"
        "root = logging.getLogger()\n"
        "before = (list(root.handlers), root.level, list(warnings.filters))\n"
        "_import_deduce()\n"
        "assert (list(root.handlers), root.level, list(warnings.filters)) == before\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
