"""SQLite files in WAL mode with secure delete: connections and all-or-nothing writes."""

from __future__ import annotations

import errno
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from assistant.errors import Unavailable


class StoreError(Unavailable, RuntimeError):
    """The sessions database cannot be opened or written; the message is Dutch, for the user."""


_REASONS = (
    ("full", "de schijf is vol"),
    ("readonly", "het bestand is alleen-lezen"),
    ("read-only", "het bestand is alleen-lezen"),
    ("locked", "de database is bezet"),
    ("disk i/o", "de schijf gaf een fout"),
)


_ERRNO_REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijf is vol",
    errno.EROFS: "het bestand is alleen-lezen",
    errno.EACCES: "geen toegang tot het bestand",
}


def failure_reason(exc: sqlite3.Error | OSError) -> str:
    """A Dutch reason for a failed write, from SQLite's or the system's English one."""
    if isinstance(exc, OSError) and exc.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[exc.errno]
    text = str(exc).lower()
    for needle, reason in _REASONS:
        if needle in text:
            return reason
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


class SqliteFile:
    """One SQLite file: created with its schema, opened per operation, written atomically."""

    schema = ""
    description = "De database"

    def __init__(self, path: Path) -> None:
        self.path = path
        # One connection per thread, opened on first use and kept: opening one (and setting
        # its pragmas) costs more than most of the queries a turn makes.
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._connect() as db:
                db.executescript(self.schema)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.description} {path} is beschadigd of onleesbaar: {exc}"
            ) from exc

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened (with its pragmas) on first use."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._local.db = db
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA secure_delete=ON")
        return db

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection; a failure closes it so the next use opens a fresh one."""
        try:
            yield self._connection()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close this thread's connection (the next use opens a new one)."""
        db = getattr(self._local, "db", None)
        self._local.db = None
        if db is not None:
            with suppress(sqlite3.Error):
                if db.in_transaction:
                    db.execute("ROLLBACK")
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole, or rolled back and raised as StoreError."""
        try:
            with self._connect() as db:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                    db.execute("COMMIT")
                    # The connection stays open, so SQLite would keep old versions of the
                    # text in the WAL; move them into the main file and empty the WAL now.
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except BaseException:
                    if db.in_transaction:
                        with suppress(sqlite3.Error):
                            db.execute("ROLLBACK")
                    raise
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"Opslaan is niet gelukt: {failure_reason(exc)}.") from exc

    def purge(self) -> None:
        """Move the WAL into the main file and truncate it, so deleted text is not left there."""
        try:
            with self._connect() as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"Opruimen is niet gelukt: {failure_reason(exc)}.") from exc
