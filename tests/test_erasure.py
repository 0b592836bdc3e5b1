"""Erasure: what a user removes is gone from search at once and from every file on disk.

Searched for in the raw bytes of every file under the data dir (sessions store with its WAL
and shared-memory files, the collection, the Chroma directory), not through the APIs.

Chroma keeps a removed record's text in `chroma.sqlite3` (its log table `embeddings_queue`,
the full-text index and freed pages); the index is scrubbed after every removal and at start
(`scrub_embedded_store`), so no rebuild by hand is needed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from assistant.app import build_service
from assistant.cli import main
from assistant.service import LOCAL_OWNER, ChooseSituation, Edit, ReflectionService, ToDraft
from assistant.settings import Settings

from . import on_disk

MARKER = "KWALLENDANS-5521"


def files_holding(directory: Path, marker: str = MARKER) -> list[str]:
    """The files under `directory` whose raw bytes contain the marker."""
    return on_disk.files_holding(directory, marker)


@pytest.fixture
def service(settings: Settings) -> ReflectionService:
    return build_service(settings)


def session_with_a_marked_beeld(service: ReflectionService) -> str:
    session_id, _ = service.start("ik", "achteraf")
    service.send(session_id, f"De samenwerking rond de {MARKER} met de gemeente loopt vast.")
    service.act(session_id, ChooseSituation(index=1))
    service.act(session_id, ToDraft())
    service.act(session_id, Edit(part="titel", value=f"De {MARKER}"))
    service.act(
        session_id,
        Edit(
            part="beeld", value=f"Goed werk was de {MARKER}: koers houden terwijl de wind draait."
        ),
    )
    return session_id


def found_by_match(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    """Ids that `goedwerk match --soort beelden` finds for the marker."""
    monkeypatch.setenv("GOEDWERK_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("GOEDWERK_EMBEDDING__MODE", "fake")
    capsys.readouterr()
    assert main(["match", f"{MARKER} koers wind", "--soort", "beelden", "--json"]) == 0
    return [m["id"] for m in json.loads(capsys.readouterr().out)]


def test_a_removed_beeld_leaves_search_and_every_file_at_once_and_after_a_restart(
    service: ReflectionService,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    session_id = session_with_a_marked_beeld(service)
    stored = service.publish(session_id, consent=True, use_initials=False)
    assert "chroma/chroma.sqlite3" in files_holding(settings.data_dir)  # the check can see it
    assert f"eigen_beeld-{stored.id}" in found_by_match(monkeypatch, settings, capsys)

    assert service.unpublish(session_id, stored.id)
    assert service.knowledge.retriever.similar(MARKER, kinds=("eigen_beeld",)) == []
    assert files_holding(settings.data_dir) == ["sessions.sqlite3"]  # only the session itself
    assert f"eigen_beeld-{stored.id}" not in found_by_match(monkeypatch, settings, capsys)

    assert service.delete(session_id)
    assert files_holding(settings.data_dir) == []
    restarted = build_service(settings)
    assert restarted.knowledge.retriever.similar(MARKER, kinds=("eigen_beeld",)) == []
    assert files_holding(settings.data_dir) == []


def test_wiping_everything_leaves_no_byte_of_a_shared_beeld_also_after_a_restart(
    service: ReflectionService, settings: Settings
) -> None:
    session_id = session_with_a_marked_beeld(service)
    service.publish(session_id, consent=True, use_initials=False)
    keep = service.publish(session_with_a_marked_beeld(service), consent=True, use_initials=False)
    assert keep.id
    other, _ = service.start("ik", "achteraf", owner="iemand-anders")
    service.send(other, "Een ander verhaal over de haven en de gemeente.", owner="iemand-anders")
    assert "chroma/chroma.sqlite3" in files_holding(settings.data_dir)

    assert service.erase(LOCAL_OWNER) == 2
    assert files_holding(settings.data_dir) == []
    assert files_holding(settings.data_dir, "haven en de gemeente") == ["sessions.sqlite3"]
    build_service(settings)
    assert files_holding(settings.data_dir) == []


def test_a_data_dir_with_text_left_in_the_index_log_is_cleaned_at_start(
    service: ReflectionService, settings: Settings
) -> None:
    """A data dir written before the scrub existed: the next start removes what was left."""
    session_id = session_with_a_marked_beeld(service)
    stored = service.publish(session_id, consent=True, use_initials=False)
    service.knowledge.dense.delete([f"eigen_beeld-{stored.id}"])  # Chroma's own delete only
    assert "chroma/chroma.sqlite3" in files_holding(settings.data_dir)
    service.collection.remove(stored.id)

    build_service(settings)
    assert "chroma/chroma.sqlite3" not in files_holding(settings.data_dir)


def test_deleting_a_session_leaves_its_text_in_no_file_of_the_sessions_store(
    service: ReflectionService, settings: Settings
) -> None:
    session_id = session_with_a_marked_beeld(service)
    for _ in range(3):  # several saves: old versions of the state pass through the WAL
        service.act(session_id, Edit(part="afbeelding", value=f"Een {MARKER} als plaatje."))
    assert files_holding(settings.data_dir) == ["sessions.sqlite3"]

    assert service.delete(session_id)
    assert files_holding(settings.data_dir) == []  # main file, -wal and -shm
    wal = settings.data_dir / "sessions.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and truncated


def test_a_session_deleted_while_another_request_reads_leaves_nothing_behind(
    service: ReflectionService, settings: Settings
) -> None:
    """A reader blocks the checkpoint that clears the WAL; the delete waits for it, not gives up."""
    session_id = session_with_a_marked_beeld(service)
    reader = sqlite3.connect(
        settings.data_dir / "sessions.sqlite3", isolation_level=None, check_same_thread=False
    )
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM sessions").fetchone()
    done_reading = threading.Timer(0.5, lambda: reader.execute("COMMIT"))
    done_reading.start()
    assert service.delete(session_id)
    assert files_holding(settings.data_dir) == []
    done_reading.join()
    reader.close()


def test_erasing_an_owner_also_removes_the_copies_of_their_sessions_shown_to_a_coach(
    service: ReflectionService, settings: Settings
) -> None:
    session_id = session_with_a_marked_beeld(service)
    teams = service.teams
    assert teams is not None
    team = teams.create("coach", 1)
    code = team.code
    teams.join(code, "deelnemer", "")
    teams.share_beeld(team.id, "deelnemer", session_id, service.state(session_id).a4, True)
    assert "teams.sqlite3" in files_holding(settings.data_dir)

    assert service.erase(LOCAL_OWNER) == 1
    assert teams.shared_beelden(team.id, "coach") == []
    assert files_holding(settings.data_dir) == []
