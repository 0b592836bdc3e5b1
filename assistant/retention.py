"""The retention term (`bewaartermijn_dagen`): what nobody changed for that long is erased.

A sweep deletes every session (of every owner) last changed before the cutoff, with all that
hangs on it, exactly as "Verwijderen" does: its uploads and exports, the copies shown to a coach
and the beelden it shared into the collection (out of the index too, scrubbed from Chroma's
files). Team sessions go when nothing was added to them since the cutoff, with their exports.
Files that belong to no living session or team (the user's own guides, anything left over)
go when they were last written before the cutoff. The term is off by default.

`goedwerk serve` sweeps at start and then once a day (`RetentionSweeper`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assistant.service import ReflectionService
from assistant.sessions.files import export_dir, upload_dir

log = logging.getLogger(__name__)

DAY_S = 24 * 60 * 60.0


@dataclass(frozen=True)
class Swept:
    """What one sweep removed."""

    sessions: int
    teams: int
    files: int


def sweep(service: ReflectionService, days: int, now: datetime | None = None) -> Swept:
    """Erase what was last changed more than `days` days before `now` (the service's clock)."""
    cutoff = (now or service.clock()) - timedelta(days=days)
    stamp = cutoff.astimezone(UTC).isoformat(timespec="seconds")
    sessions = sum(
        service.expire(session_id, stamp) for session_id in service.store.idle_since(stamp)
    )
    teams = 0
    for team in service.teams.store.quiet_since(stamp):
        teams += service.delete_team(team.id, team.coach)
    files = _sweep_files(service, cutoff.timestamp())
    return Swept(sessions, teams, files)


def _alive(service: ReflectionService, key: str) -> bool:
    """Does a folder key belong to a session or team that is still kept?"""
    if key.startswith("team-"):
        return service.teams.store.team(key.removeprefix("team-")) is not None
    if key.startswith("eigen-"):
        return False  # an owner's own files: aged file by file
    return service.store.owner_of(key) is not None


def _sweep_files(service: ReflectionService, cutoff: float) -> int:
    """Remove files older than `cutoff` (a POSIX time) under keys no session or team keeps."""
    data_dir = service.files.data_dir
    removed = 0
    for parent in (upload_dir(data_dir, "x").parent, export_dir(data_dir, "x").parent):
        if not parent.is_dir():
            continue
        for folder in sorted(parent.iterdir()):
            if folder.is_symlink() or not folder.is_dir() or _alive(service, folder.name):
                continue
            removed += _remove_older(folder, cutoff)
    return removed


def _remove_older(folder: Path, cutoff: float) -> int:
    """Remove the files under `folder` last written before `cutoff`; the folder when empty."""
    removed = 0
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_symlink() or path.is_file():
            if path.lstat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        elif path.is_dir():
            with contextlib.suppress(OSError):
                path.rmdir()  # only when empty
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when nothing newer is left in it
    return removed


class RetentionSweeper:
    """Sweeps once at start and then every `every_s` seconds in a background thread."""

    def __init__(
        self,
        service: ReflectionService,
        days: int,
        every_s: float = DAY_S,
        on_swept: Callable[[Swept], None] | None = None,
    ) -> None:
        self.service = service
        self.days = days
        self.every_s = every_s
        self.on_swept = on_swept
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep_once(self) -> Swept:
        """One sweep now."""
        swept = sweep(self.service, self.days)
        if self.on_swept is not None:
            self.on_swept(swept)
        return swept

    def start(self) -> Swept:
        """Sweep now (before the page is served), then keep sweeping in the background."""
        swept = self.sweep_once()
        self._thread = threading.Thread(target=self._run, name="bewaartermijn", daemon=True)
        self._thread.start()
        return swept

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                self.sweep_once()
            except Exception:  # a failed sweep is tried again next time; serving goes on
                log.exception("bewaartermijn: opruimen mislukt")

    def stop(self) -> None:
        """Stop the background sweeps."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
