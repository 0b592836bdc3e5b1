"""Sessions in SQLite (WAL): each action is written before it is handled, state after.

A user action goes into `pending` and is committed before the facilitator produces a reply;
the new state and the removal of the pending row are one transaction. After a crash, pending
actions are replayed on load, so nothing the user sent is lost and no session is half-written.
A write that fails (a full disk, a read-only file) is rolled back whole and raised as a
`StoreError` with a Dutch message; what was stored before stays as it was.
Deleting removes rows (with secure_delete, so the text is overwritten, not just unlinked).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from assistant.domain.session import SessionState
from assistant.sessions.sqlite import SqliteFile, StoreError

__all__ = ["SessionStore", "SessionSummary", "StoreError"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    label TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
"""


@dataclass(frozen=True)
class SessionSummary:
    """A line in the list of sessions."""

    id: str
    label: str
    created: str
    updated: str
    step: str


class SessionStore(SqliteFile):
    """SQLite-backed store of session states and not-yet-handled actions."""

    schema = _SCHEMA
    description = "De sessiedatabase"

    def create(self, state: SessionState) -> None:
        """Insert a new session."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO sessions (id, created, updated, label, owner, state)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    state.id,
                    state.created,
                    state.updated,
                    state.label(),
                    state.owner,
                    state.model_dump_json(),
                ),
            )

    def load(self, session_id: str) -> SessionState | None:
        """The stored state of a session, or None."""
        with self._connect() as db:
            row = db.execute("SELECT state FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return SessionState.model_validate_json(row[0]) if row else None

    def load_with_pending(
        self, session_id: str
    ) -> tuple[SessionState, list[tuple[int, dict[str, Any]]]] | None:
        """The stored state and its not-yet-handled actions, read together; None if absent."""
        with self._connect() as db:
            row = db.execute("SELECT state FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                return None
            rows = db.execute(
                "SELECT seq, action FROM pending WHERE session_id = ? ORDER BY seq", (session_id,)
            ).fetchall()
        pending = [(int(seq), json.loads(action)) for seq, action in rows]
        return SessionState.model_validate_json(row[0]), pending

    def owner_of(self, session_id: str) -> str | None:
        """The owner of a session, None when there is no such session."""
        with self._connect() as db:
            row = db.execute("SELECT owner FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return str(row[0]) if row else None

    def add_pending(self, session_id: str, action: dict[str, Any]) -> int:
        """Durably record an action before it is handled; returns its sequence number."""
        with self._transaction() as db:
            if not db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                raise KeyError(session_id)
            row = db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM pending WHERE session_id = ?", (session_id,)
            ).fetchone()
            seq = int(row[0]) + 1
            db.execute(
                "INSERT INTO pending (session_id, seq, action) VALUES (?, ?, ?)",
                (session_id, seq, json.dumps(action, ensure_ascii=False)),
            )
        return seq

    def pending(self, session_id: str) -> list[tuple[int, dict[str, Any]]]:
        """Actions recorded but not yet reflected in the state, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT seq, action FROM pending WHERE session_id = ? ORDER BY seq", (session_id,)
            ).fetchall()
        return [(int(seq), json.loads(action)) for seq, action in rows]

    def save(self, state: SessionState, handled_seq: int | None = None) -> None:
        """Write the new state and drop the handled action, atomically (or not at all)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE sessions SET updated = ?, label = ?, state = ? WHERE id = ?",
                (state.updated, state.label(), state.model_dump_json(), state.id),
            )
            if handled_seq is not None:
                db.execute(
                    "DELETE FROM pending WHERE session_id = ? AND seq <= ?", (state.id, handled_seq)
                )

    def idle_since(self, stamp: str) -> list[str]:
        """The ids of sessions (of every owner) last changed before `stamp` (an ISO time)."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id FROM sessions WHERE updated < ? ORDER BY updated, id", (stamp,)
            ).fetchall()
        return [row[0] for row in rows]

    def list(self, owner: str | None = None) -> list[SessionSummary]:
        """Sessions (of one owner when given), most recently updated first."""
        query = "SELECT id, label, created, updated, json_extract(state, '$.step') FROM sessions"
        params: tuple[str, ...] = ()
        if owner is not None:
            query += " WHERE owner = ?"
            params = (owner,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY updated DESC, id", params).fetchall()
        return [SessionSummary(*row) for row in rows]

    def delete(self, session_id: str) -> bool:
        """Remove a session and its pending actions for good."""
        with self._transaction() as db:
            deleted = db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount
            db.execute("DELETE FROM pending WHERE session_id = ?", (session_id,))
        self.purge()
        return bool(deleted)
