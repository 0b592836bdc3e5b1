"""A disk that fails on cue: chosen SQLite statements raise, as a full or broken disk would."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from assistant.sessions.sqlite import SqliteFile

DISK_FULL = sqlite3.OperationalError("database or disk is full")


class FailingConnection:
    """A real SQLite connection whose next statement(s) starting with `prefix` fail."""

    def __init__(self, inner: sqlite3.Connection, trouble: Trouble) -> None:
        self._inner = inner
        self._trouble = trouble

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self._trouble.hits(sql):
            raise self._trouble.error
        return self._inner.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class Trouble:
    """Which statement fails, with what error, how many more times."""

    def __init__(self) -> None:
        self.prefix = ""
        self.error: BaseException = DISK_FULL
        self.times = 0

    def arm(self, prefix: str, error: BaseException = DISK_FULL, times: int = 1) -> None:
        self.prefix, self.error, self.times = prefix, error, times

    def hits(self, sql: str) -> bool:
        if self.times and sql.lstrip().upper().startswith(self.prefix):
            self.times -= 1
            return True
        return False


def install(monkeypatch: pytest.MonkeyPatch) -> Trouble:
    """Route every statement of the stores through FailingConnection; returns the switch.

    The stores keep one connection per thread, so the double wraps the connection each use
    hands out, whether it was opened before or after the switch was installed; a connection
    opened after it is wrapped from the start, so the pragmas set on opening can fail too.
    """
    armed = Trouble()
    connection: Callable[[SqliteFile], sqlite3.Connection] = SqliteFile._connection
    open_file: Callable[[SqliteFile], sqlite3.Connection] = SqliteFile._open

    def failing_connection(store: SqliteFile) -> Any:
        db = connection(store)
        # One opened under an earlier switch is rewrapped, so only this switch decides.
        inner = db._inner if isinstance(db, FailingConnection) else db
        return FailingConnection(inner, armed)

    def failing_open(store: SqliteFile) -> Any:
        return FailingConnection(open_file(store), armed)

    monkeypatch.setattr(SqliteFile, "_connection", failing_connection)
    monkeypatch.setattr(SqliteFile, "_open", failing_open)
    return armed
