"""The retention term: what nobody changed for `bewaartermijn_dagen` days is erased, byte for
byte (as "Verwijderen" erases it), and what is newer stays. Time is a fake clock."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.app import build_service
from assistant.cli import _start_retention
from assistant.retention import RetentionSweeper, sweep
from assistant.service import ChooseSituation, Edit, ReflectionService, ToDraft
from assistant.sessions.files import personal_key
from assistant.settings import Settings

from .conftest import make_settings
from .on_disk import files_holding

OLD, NEW = "OUDMERK-3317", "NIEUWMERK-8842"


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: float) -> None:
        self.now += timedelta(days=days)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(settings: Settings, clock: FakeClock) -> ReflectionService:
    service = build_service(settings)
    service.clock = clock
    return service


def session_with_files(service: ReflectionService, owner: str, mark: str) -> str:
    """A drafted session with `mark` in its text, an upload, an export and a shared beeld."""
    session_id, _ = service.start("ik", "achteraf", owner=owner)
    service.send(session_id, f"De samenwerking rond de {mark} loopt vast.", owner=owner)
    service.act(session_id, ChooseSituation(index=1), owner=owner)
    service.act(session_id, ToDraft(), owner=owner)
    service.act(session_id, Edit(part="titel", value=f"De {mark}"), owner=owner)
    service.act(session_id, Edit(part="beeld", value=f"Goed werk was de {mark}."), owner=owner)
    service.export(session_id, owner, "md")
    uploads = service.files.uploads(session_id)
    uploads.mkdir(parents=True)
    (uploads / "afbeelding.png").write_bytes(mark.encode())
    service.publish(session_id, consent=True, use_initials=False, owner=owner)
    return session_id


def test_an_old_session_is_gone_from_every_file_after_the_sweep_and_a_recent_one_stays(
    service: ReflectionService, settings: Settings, clock: FakeClock
) -> None:
    old = session_with_files(service, "anna", OLD)
    clock.advance(days=20)
    new = session_with_files(service, "bert", NEW)
    assert len(files_holding(settings.data_dir, OLD)) >= 3  # store, export, upload, index
    clock.advance(days=15)  # the old one is 35 days untouched, the new one 15

    swept = sweep(service, days=30)

    assert swept.sessions == 1
    assert files_holding(settings.data_dir, OLD) == []
    assert service.find(old, "anna") is None
    assert all(OLD not in b.titel for b in service.collection.all())
    assert service.state(new, "bert").a4.titel == f"De {NEW}"
    assert service.files.exports(new).is_dir() and service.files.uploads(new).is_dir()
    assert [b.titel for b in service.published(new, "bert")] == [f"De {NEW}"]
    # After a restart the old one is still nowhere, in no file.
    build_service(settings)
    assert files_holding(settings.data_dir, OLD) == []


def test_a_session_that_is_used_again_is_kept(
    service: ReflectionService, settings: Settings, clock: FakeClock
) -> None:
    session_id = session_with_files(service, "anna", OLD)
    clock.advance(days=29)
    service.act(session_id, Edit(part="beeld", value=f"Nog steeds de {OLD}."), owner="anna")
    clock.advance(days=29)
    assert sweep(service, days=30).sessions == 0
    assert service.find(session_id, "anna") is not None


def test_an_old_team_session_and_old_own_files_go_a_recent_team_stays(
    service: ReflectionService, settings: Settings
) -> None:
    # Teams are stamped by the real clock: sweep as if 31 days have passed since now.
    later = datetime.now(UTC) + timedelta(days=31)
    old_team = service.teams.create("coach", 1)
    service.teams.join(old_team.code, "deelnemer", "")
    service.teams.contribute(old_team.id, "deelnemer", "kop", f"Toen de {OLD} begon.")
    new_team = service.teams.create("coach", 2)
    joined = service.teams.join(new_team.code, "deelnemer", "")
    yesterday = (later - timedelta(days=1)).isoformat(timespec="seconds")
    service.teams.store.put_contribution(new_team.id, joined.id, "kop", NEW, yesterday)
    guide = service.files.exports(personal_key("anna"))
    guide.mkdir(parents=True)
    (guide / "gids.pdf").write_bytes(OLD.encode())
    written = (later - timedelta(days=40)).timestamp()
    os.utime(guide / "gids.pdf", (written, written))

    swept = sweep(service, days=30, now=later)

    assert (swept.teams, swept.files) == (1, 1)
    assert files_holding(settings.data_dir, OLD) == []
    assert not guide.exists()
    assert [t.id for t in service.teams.teams_of("coach")] == [new_team.id]
    assert "teams.sqlite3" in files_holding(settings.data_dir, NEW)


def test_a_recent_guide_of_ones_own_stays(service: ReflectionService, clock: FakeClock) -> None:
    guide = service.files.exports(personal_key("anna"))
    guide.mkdir(parents=True)
    (guide / "gids.pdf").write_bytes(NEW.encode())
    assert sweep(service, days=30, now=datetime.now(UTC)).files == 0
    assert (guide / "gids.pdf").exists()


def test_the_term_is_off_by_default(tmp_path: Path) -> None:
    assert make_settings(tmp_path / "data").bewaartermijn_dagen is None


def test_serving_with_a_term_sweeps_at_start(
    tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(tmp_path / "data", bewaartermijn_dagen=7)
    service = build_service(settings)
    service.clock = clock
    session_id, _ = service.start("ik", "achteraf")
    clock.advance(days=8)
    sweeper = _start_retention(service, settings)
    assert sweeper is not None
    sweeper.stop()
    assert service.find(session_id, "") is None
    assert "Bewaartermijn (7 dagen): 1 sessie(s)" in capsys.readouterr().out


def test_the_sweeper_keeps_sweeping_in_the_background(
    service: ReflectionService, clock: FakeClock
) -> None:
    sweeps: list[int] = []
    sweeper = RetentionSweeper(
        service, days=1, every_s=0.01, on_swept=lambda s: sweeps.append(s.sessions)
    )
    sweeper.start()
    session_id, _ = service.start("ik", "achteraf")
    clock.advance(days=2)
    try:
        for _ in range(500):
            if service.find(session_id, "") is None:
                break
            time.sleep(0.01)
    finally:
        sweeper.stop()
    assert service.find(session_id, "") is None
    assert 1 in sweeps
