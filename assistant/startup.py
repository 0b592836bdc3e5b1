"""Checks `goedwerk serve` makes before it builds anything: the port, the disk, every store.

Each problem found here is a Dutch `GoedwerkError` that `cli.main` prints with its exit code
(2 for a port the user chose badly, 3 for a disk or store that cannot be used), so a user
never waits for the index to be built only to see the server fail on something known at once.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
from pathlib import Path

from assistant.errors import GoedwerkError, Unavailable
from assistant.retrieval.setup import collection_store
from assistant.sessions.files import remove_unfinished
from assistant.sessions.sqlite import SqliteFile, failure_reason
from assistant.sessions.store import SessionStore
from assistant.settings import Settings
from assistant.teams import TeamStore

SESSIONS = "sessions.sqlite3"
TEAMS = "teams.sqlite3"
# Written and removed again at start: a full or read-only disk shows here, not in a user's turn.
PROBE = ".schrijftest"
PROBE_BYTES = 64 * 1024


def check_port(host: str, port: int) -> None:
    """The port must be 1–65535 and free on `host`; a Dutch GoedwerkError (exit 2) otherwise."""
    if not 1 <= port <= 65535:
        raise GoedwerkError(
            f"Poort {port} bestaat niet: kies een poort van 1 tot en met 65535 (standaard 7860)."
        )
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        # As the server will: a port left in TIME_WAIT is free, one with a listener is not.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise GoedwerkError(
                    f"Poort {port} op {host} is al in gebruik door een ander programma. "
                    "Kies een andere poort met --port, of stop dat programma."
                ) from exc
            if exc.errno == errno.EACCES:
                raise GoedwerkError(
                    f"Poort {port} vraagt beheerdersrechten; kies een poort boven 1023 met --port."
                ) from exc
            raise GoedwerkError(
                f"Adres {host} met poort {port} kan niet worden gebruikt: {failure_reason(exc)}."
            ) from exc


def check_disk(data_dir: Path) -> None:
    """Write and remove a small file in the data dir; a full or read-only disk is Unavailable."""
    probe = data_dir / PROBE
    try:
        with probe.open("wb") as handle:
            handle.write(b"\0" * PROBE_BYTES)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise Unavailable(
            f"In de datamap {data_dir} kan niet worden geschreven: {failure_reason(exc)}. "
            "Maak ruimte vrij of kies een andere datamap met GOEDWERK_DATA_DIR."
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)


def check_stores(settings: Settings) -> None:
    """A quick integrity check of every store; a missing sessions file is noticed too."""
    data_dir = settings.data_dir
    sessions = data_dir / SESSIONS
    # The sessions and teams files are made together, on the first start; one without the other
    # means the sessions file was removed, and starting would silently show an empty list.
    if (data_dir / TEAMS).exists() and not sessions.exists():
        raise Unavailable(
            f"De sessiedatabase {sessions} ontbreekt, terwijl deze datamap al eerder is "
            "gebruikt. Zet het bestand terug uit een reservekopie; wil je bewust zonder de "
            f"oude sessies verder, maak dan een leeg bestand aan: touch {sessions}"
        )
    stores: list[SqliteFile] = []
    try:
        stores.append(SessionStore(sessions))
        stores.append(TeamStore(data_dir / TEAMS))
        stores.append(collection_store(settings))
        for store in stores:
            store.check()
    finally:
        for store in stores:
            store.close()


def check_serving(settings: Settings) -> None:
    """Everything `serve` checks after taking the data dir's lock and before the index."""
    check_disk(settings.data_dir)
    check_stores(settings)
    # An export or upload killed midway (kill -9, a power cut) left a temporary or empty file.
    with contextlib.suppress(OSError):  # what cannot be removed is still never served
        remove_unfinished(settings.data_dir)
