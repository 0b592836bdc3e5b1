"""A full or read-only data disk, and damaged stores: Dutch messages on every action and at start.

The failing-disk double makes chosen SQLite statements fail as such a disk would; `/dev/full`
is a real file on which every write fails with "no space left on device".
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.serve_process import free_port
from assistant.sessions.store import SessionStore, StoreError
from assistant.startup import PROBE, check_disk

from .failing_disk import DISK_FULL, Trouble, install

READ_ONLY = sqlite3.OperationalError("attempt to write a readonly database")
ENGLISH = ("error", "database", "attempt", "readonly", "disk is full", "Traceback")


@pytest.fixture
def trouble(monkeypatch: pytest.MonkeyPatch) -> Trouble:
    return install(monkeypatch)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI on a temp data dir with the fake embedding; returns the data dir."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("GOEDWERK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GOEDWERK_EMBEDDING__MODE", "fake")
    return data_dir


@pytest.mark.parametrize("error", [READ_ONLY, DISK_FULL], ids=["read-only", "full"])
def test_opening_a_connection_on_a_bad_disk_is_a_dutch_store_error_on_reads_too(
    tmp_path: Path, trouble: Trouble, error: BaseException
) -> None:
    store = SessionStore(tmp_path / "sessions.sqlite3")
    store.close()  # the next use opens a fresh connection and sets WAL again
    trouble.arm("PRAGMA JOURNAL_MODE", error, times=5)
    with pytest.raises(StoreError) as raised:
        store.list()
    assert str(raised.value).startswith("Lezen is niet gelukt: ")
    assert not any(word in str(raised.value) for word in ENGLISH)


def test_serve_on_a_disk_where_nothing_can_be_written_says_so_and_exits_3(
    cli_env: Path, trouble: Trouble, capsys: pytest.CaptureFixture[str]
) -> None:
    trouble.arm("PRAGMA JOURNAL_MODE", READ_ONLY, times=100)
    assert main(["serve", "--port", "0"]) == 2  # the port is checked first, before the disk
    assert main(["serve", "--port", str(free_port())]) == 3
    err = capsys.readouterr().err
    assert "is niet gelukt: het bestand is alleen-lezen" in err
    assert "Traceback" not in err


def test_a_full_disk_is_found_at_start_by_writing_a_small_file(tmp_path: Path) -> None:
    (tmp_path / PROBE).symlink_to("/dev/full")  # every write there fails: no space left
    with pytest.raises(Exception, match="kan niet worden geschreven: de schijf is vol") as raised:
        check_disk(tmp_path)
    assert getattr(raised.value, "exit_code", None) == 3
    assert not (tmp_path / PROBE).exists()


def _zero_a_page(path: Path, page: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(4096 * page)
        handle.write(b"\0" * 4096)


def test_a_zeroed_page_in_the_sessions_file_stops_serve_with_a_dutch_message(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SessionStore(cli_env / "sessions.sqlite3")
    with store._transaction() as db:
        db.execute("CREATE TABLE filler (t TEXT)")
        db.executemany("INSERT INTO filler VALUES (?)", [("x" * 2000,) for _ in range(50)])
        db.execute("CREATE INDEX filler_t ON filler (t)")
    store.close()
    _zero_a_page(cli_env / "sessions.sqlite3", 5)
    assert main(["serve", "--port", str(free_port())]) == 3
    err = capsys.readouterr().err
    assert "sessions.sqlite3" in err and "beschadigd" in err
    assert "Traceback" not in err


def test_a_corrupt_collection_file_stops_serve_with_a_dutch_message(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.mkdir(parents=True)
    (cli_env / "collectie.sqlite3").write_bytes(b"geen database " * 500)
    assert main(["serve", "--port", str(free_port())]) == 3
    err = capsys.readouterr().err
    assert "collectie.sqlite3" in err and "beschadigd" in err


def test_a_deleted_sessions_file_is_noticed_at_start(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.mkdir(parents=True)
    SessionStore(cli_env / "sessions.sqlite3").close()
    from assistant.teams import TeamStore

    TeamStore(cli_env / "teams.sqlite3").close()
    (cli_env / "sessions.sqlite3").unlink()
    assert main(["serve", "--port", str(free_port())]) == 3
    err = capsys.readouterr().err
    assert "sessions.sqlite3 ontbreekt" in err and "touch" in err
