"""A failing disk write: the store rolls back whole, the service keeps the user's text."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app import build_service
from assistant.domain.session import SessionState
from assistant.service import ChooseSituation, ReflectionService, SaveFailed
from assistant.sessions.store import SessionStore, StoreError

from .conftest import make_settings
from .failing_disk import DISK_FULL, Trouble, install

ANSWER = (
    "Toen ik vorige week in het overleg met Ahmed van de provincie zat, zei ik dat we drie "
    "weken nodig hadden. Ik heb daarna de notitie zelf geschreven en rondgestuurd."
)


@pytest.fixture
def trouble(monkeypatch: pytest.MonkeyPatch) -> Trouble:
    """Make chosen SQLite statements fail, as a full or broken disk would."""
    return install(monkeypatch)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[ReflectionService]:
    yield build_service(make_settings(tmp_path / "data"))


def started(service: ReflectionService) -> str:
    session_id, _ = service.start("ik", "achteraf")
    service.send(session_id, "De samenwerking met de gemeente loopt vast.")
    service.act(session_id, ChooseSituation(index=1))
    return session_id


@pytest.mark.parametrize("statement", ["UPDATE", "DELETE FROM PENDING", "COMMIT"])
@pytest.mark.parametrize(
    "error",
    [DISK_FULL, sqlite3.DatabaseError("disk I/O error"), OSError(28, "No space left on device")],
    ids=["disk-full", "database-error", "os-error"],
)
def test_a_failing_write_is_rolled_back_and_raised_as_a_dutch_store_error(
    tmp_path: Path, trouble: Trouble, statement: str, error: BaseException
) -> None:
    store = SessionStore(tmp_path / "sessions.sqlite3")
    before = SessionState(id="s1")
    store.create(before)
    seq = store.add_pending("s1", {"type": "text", "text": "mijn antwoord"})
    after = before.model_copy(update={"beschrijving": "nieuw", "step": "keuze"})
    trouble.arm(statement, error)
    with pytest.raises(StoreError, match="Opslaan is niet gelukt") as failed:
        store.save(after, handled_seq=seq)
    assert "schijf" in str(failed.value)  # "de schijf is vol" / "de schijf gaf een fout"
    assert store.load("s1") == before
    assert store.pending("s1") == [(seq, {"type": "text", "text": "mijn antwoord"})]
    store.save(after, handled_seq=seq)  # the disk is fine again: nothing was left half-done
    assert store.load("s1") == after and store.pending("s1") == []


def test_a_failing_delete_keeps_the_session(tmp_path: Path, trouble: Trouble) -> None:
    store = SessionStore(tmp_path / "sessions.sqlite3")
    store.create(SessionState(id="s1"))
    trouble.arm("DELETE FROM PENDING")
    with pytest.raises(StoreError):
        store.delete("s1")
    assert store.load("s1") is not None


def test_when_saving_the_answer_fails_it_waits_as_pending_and_the_old_state_stays(
    service: ReflectionService, trouble: Trouble
) -> None:
    session_id = started(service)
    before = service.store.load(session_id)
    trouble.arm("UPDATE")
    with pytest.raises(SaveFailed) as failed:
        service.send(session_id, ANSWER)
    assert failed.value.kept
    assert "schijf is vol" in str(failed.value) and "vastgelegd" in str(failed.value)
    assert service.store.load(session_id) == before  # on disk: the previous version
    assert [a["text"] for _, a in service.store.pending(session_id)] == [ANSWER]
    # Once writing works again the answer is handled, exactly once.
    user_texts = [t.text for t in service.state(session_id).turns if t.role == "user"]
    assert user_texts.count(ANSWER) == 1
    assert service.store.pending(session_id) == []


def test_when_even_the_action_cannot_be_stored_nothing_changes_and_the_error_says_so(
    service: ReflectionService, trouble: Trouble
) -> None:
    session_id = started(service)
    before = service.store.load(session_id)
    trouble.arm("INSERT INTO PENDING")
    with pytest.raises(SaveFailed) as failed:
        service.send(session_id, ANSWER)
    assert not failed.value.kept
    assert "Er is niets veranderd" in str(failed.value)
    assert service.store.load(session_id) == before
    assert service.store.pending(session_id) == []
    assert service.state(session_id) == before


def test_a_pending_answer_that_still_cannot_be_saved_is_shown_and_kept(
    service: ReflectionService, trouble: Trouble
) -> None:
    session_id = started(service)
    trouble.arm("UPDATE", times=2)  # the answer's save, and the replay's save on reading
    with pytest.raises(SaveFailed):
        service.send(session_id, ANSWER)
    state = service.state(session_id)
    assert [t.text for t in state.turns if t.role == "user"][-1] == ANSWER
    assert len(service.store.pending(session_id)) == 1  # still waiting on disk
