"""The shared collection: beelden users chose to share (kind `eigen_beeld`).

This store, not the vector index, is the collection's source of truth: the index is rebuilt
from the corpus plus these rows. Removing a beeld deletes its row (secure_delete on).
"""

from __future__ import annotations

import uuid

from assistant.domain.beeld import SavedBeeld
from assistant.sessions.sqlite import SqliteFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS beelden (
    id TEXT PRIMARY KEY,
    titel TEXT NOT NULL,
    kenmerkende_ervaring TEXT NOT NULL,
    beeld TEXT NOT NULL,
    situatie INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (datetime('now'))
);
"""


class CollectionStore(SqliteFile):
    """SQLite-backed list of shared beelden."""

    schema = _SCHEMA
    description = "De collectie"

    def add(self, beeld: SavedBeeld, session_id: str) -> SavedBeeld:
        """Store a shared beeld under a new id; returns it with that id."""
        stored = SavedBeeld(
            id=uuid.uuid4().hex[:16],
            titel=beeld.titel,
            kenmerkende_ervaring=beeld.kenmerkende_ervaring,
            beeld=beeld.beeld,
            situatie=beeld.situatie,
        )
        with self._transaction() as db:
            db.execute(
                "INSERT INTO beelden (id, titel, kenmerkende_ervaring, beeld, situatie, session_id)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    stored.id,
                    stored.titel,
                    stored.kenmerkende_ervaring,
                    stored.beeld,
                    stored.situatie,
                    session_id,
                ),
            )
        return stored

    def all(self) -> list[SavedBeeld]:
        """Every shared beeld, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, titel, kenmerkende_ervaring, beeld, situatie FROM beelden "
                "ORDER BY created, id"
            ).fetchall()
        return [SavedBeeld(*row) for row in rows]

    def of_session(self, session_id: str) -> list[SavedBeeld]:
        """The beelden shared from one session."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, titel, kenmerkende_ervaring, beeld, situatie FROM beelden "
                "WHERE session_id = ? ORDER BY created, id",
                (session_id,),
            ).fetchall()
        return [SavedBeeld(*row) for row in rows]

    def remove(self, beeld_id: str) -> bool:
        """Delete a shared beeld for good."""
        with self._transaction() as db:
            removed = db.execute("DELETE FROM beelden WHERE id = ?", (beeld_id,)).rowcount
        self.purge()
        return bool(removed)
