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
    ("malformed", "het bestand is beschadigd"),
    ("not a database", "het bestand is beschadigd of geen database"),
    ("unable to open", "het bestand kan niet worden geopend"),
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
    # No English text reaches the user; the class name still helps whoever reads a bug report.
    return f"onverwachte fout van de opslag ({type(exc).__name__})"


class SqliteFile:
    """One SQLite file: created with its schema, opened per operation, written atomically."""

    schema = ""
    description = "De database"

    def __init__(self, path: Path) -> None:
        self.path = path
        # One connection per thread, opened on first use and kept: opening one (and setting
        # its pragmas) costs more than most of the queries a turn makes.
        self._local = threading.local()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{self.description} {path} kan niet worden gemaakt: {failure_reason(exc)}."
            ) from exc
        with self._connect(f"Openen van {self.description.lower()} {path}") as db:
            db.executescript(self.schema)

    def check(self) -> None:
        """A quick integrity check of the whole file; StoreError (Dutch) when it is damaged.

        Opening a file reads only its first pages, so a damaged page further on would show up
        only when a user's action touches it, as a failure of that action.
        """
        with self._connect(f"Controleren van {self.description.lower()} {self.path}") as db:
            rows = db.execute("PRAGMA quick_check").fetchall()
        if [tuple(row) for row in rows] != [("ok",)]:
            raise StoreError(
                f"{self.description} {self.path} is beschadigd (de controle vond "
                f"{len(rows)} fout{'en' if len(rows) != 1 else ''}). Zet een reservekopie "
                "terug, of verplaats het bestand om met een lege database te beginnen."
            )

    def _open(self) -> sqlite3.Connection:
        """A new connection to the file, in autocommit mode (transactions are explicit)."""
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened (with its pragmas) on first use."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._open()
            self._local.db = db
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA secure_delete=ON")
        return db

    @contextmanager
    def _connect(self, doing: str = "Lezen") -> Iterator[sqlite3.Connection]:
        """This thread's connection; a failure closes it so the next use opens a fresh one.

        Opening sets pragmas (WAL among them) that write to the disk, so a full or read-only
        disk fails here too: every SQLite or system error becomes a Dutch StoreError.
        """
        try:
            yield self._connection()
        except (sqlite3.Error, OSError) as exc:
            self.close()
            raise StoreError(f"{doing} is niet gelukt: {failure_reason(exc)}.") from exc
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
        with self._connect("Opslaan") as db:
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

    def purge(self) -> None:
        """Move the WAL into the main file and truncate it, so deleted text is not left there."""
        with self._connect("Opruimen") as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
