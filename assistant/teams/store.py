"""Team sessions in SQLite (`teams.sqlite3`): teams, participants, contributions, shared beelden.

Every write is one transaction (all or nothing). Removing anything deletes its rows (with
secure_delete, so the text is overwritten) and checkpoints the WAL, so removed text is left
in no file.
"""

from __future__ import annotations

import uuid

from pydantic import TypeAdapter

from assistant.domain.session import A4, A4_FIELDS
from assistant.sessions.sqlite import SqliteFile, StoreError
from assistant.teams.codes import format_code
from assistant.teams.models import Contribution, Participant, SharedBeeld, Team, TraceItem

__all__ = ["StoreError", "TeamStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS teams (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    coach TEXT NOT NULL,
    situatie INTEGER NOT NULL,
    wie TEXT NOT NULL,
    naming TEXT NOT NULL,
    created TEXT NOT NULL,
    a4 TEXT NOT NULL,
    trace TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS teams_by_coach ON teams (coach);
CREATE TABLE IF NOT EXISTS participants (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    number INTEGER NOT NULL,
    UNIQUE (team_id, owner)
);
CREATE INDEX IF NOT EXISTS participants_by_owner ON participants (owner);
CREATE TABLE IF NOT EXISTS contributions (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    part TEXT NOT NULL,
    text TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (participant_id, part)
);
CREATE INDEX IF NOT EXISTS contributions_by_team ON contributions (team_id);
CREATE TABLE IF NOT EXISTS shares (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    titel TEXT NOT NULL,
    kenmerkende_ervaring TEXT NOT NULL,
    beeld TEXT NOT NULL,
    afbeelding TEXT NOT NULL,
    shared TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS shares_by_team ON shares (team_id);
CREATE INDEX IF NOT EXISTS shares_by_session ON shares (session_id);
"""

_TRACE = TypeAdapter(list[TraceItem])
_TEAM_COLUMNS = "id, code, coach, situatie, wie, naming, created, a4, trace"
_PARTICIPANT_COLUMNS = "id, team_id, owner, name, label"
_SHARE_SELECT = (
    "SELECT s.id, s.team_id, p.label, s.session_id, s.titel, s.kenmerkende_ervaring, s.beeld,"
    " s.afbeelding, s.shared FROM shares s JOIN participants p ON p.id = s.participant_id"
)


def new_id() -> str:
    """A fresh random id."""
    return uuid.uuid4().hex


def _team(row: tuple[str, ...]) -> Team:
    keys = ("id", "code", "coach", "situatie", "wie", "naming", "created", "a4", "trace")
    data = dict(zip(keys, row, strict=True))
    data["code"] = format_code(data["code"])
    return Team.model_validate(
        data
        | {"a4": A4.model_validate_json(data["a4"]), "trace": _TRACE.validate_json(data["trace"])}
    )


def _participant(row: tuple[str, ...]) -> Participant:
    id_, team_id, owner, name, label = row
    return Participant(id=id_, team_id=team_id, owner=owner, name=name, label=label)


def _share(row: tuple[str, ...]) -> SharedBeeld:
    keys = (
        "id",
        "team_id",
        "participant_label",
        "session_id",
        *A4_FIELDS,
        "shared",
    )
    return SharedBeeld(**dict(zip(keys, row, strict=True)))


def _unique_label(name: str, taken: set[str]) -> str:
    """The name itself, or `Name (2)`, `Name (3)`… when someone in the team has it already."""
    label, n = name, 1
    while label in taken:
        n += 1
        label = f"{name} ({n})"
    return label


class TeamStore(SqliteFile):
    """SQLite-backed store of team sessions."""

    schema = _SCHEMA
    description = "De teamdatabase"

    def add_team(self, team: Team, code: str) -> bool:
        """Insert a team under this canonical code; False (nothing stored) if the code is taken."""
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM teams WHERE code = ?", (code,)).fetchone():
                return False
            db.execute(
                f"INSERT INTO teams ({_TEAM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    team.id,
                    code,
                    team.coach,
                    team.situatie,
                    team.wie,
                    team.naming,
                    team.created,
                    team.a4.model_dump_json(),
                    _TRACE.dump_json(team.trace).decode(),
                ),
            )
        return True

    def team(self, team_id: str) -> Team | None:
        """The team with this id, or None."""
        with self._connect() as db:
            row = db.execute(
                f"SELECT {_TEAM_COLUMNS} FROM teams WHERE id = ?", (team_id,)
            ).fetchone()
        return _team(row) if row else None

    def team_by_code(self, code: str) -> Team | None:
        """The team with this canonical code, or None."""
        with self._connect() as db:
            row = db.execute(
                f"SELECT {_TEAM_COLUMNS} FROM teams WHERE code = ?", (code,)
            ).fetchone()
        return _team(row) if row else None

    def teams_of(self, owner: str) -> list[Team]:
        """The teams this owner coaches or joined, newest first."""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_TEAM_COLUMNS} FROM teams WHERE coach = ? OR id IN "
                "(SELECT team_id FROM participants WHERE owner = ?) ORDER BY created DESC, id",
                (owner, owner),
            ).fetchall()
        return [_team(row) for row in rows]

    def quiet_since(self, stamp: str) -> list[Team]:
        """Teams with nothing new since `stamp` (an ISO time): not created, no contribution,
        no copy shared after it. For the retention term."""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_TEAM_COLUMNS} FROM teams WHERE created < ? AND NOT EXISTS "
                "(SELECT 1 FROM contributions c WHERE c.team_id = teams.id AND c.updated >= ?) "
                "AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.team_id = teams.id "
                "AND s.shared >= ?) ORDER BY created, id",
                (stamp, stamp, stamp),
            ).fetchall()
        return [_team(row) for row in rows]

    def save_a4(self, team_id: str, a4: A4, trace: list[TraceItem]) -> None:
        """Replace the team's shared A4 and its trace."""
        with self._transaction() as db:
            db.execute(
                "UPDATE teams SET a4 = ?, trace = ? WHERE id = ?",
                (a4.model_dump_json(), _TRACE.dump_json(trace).decode(), team_id),
            )

    def add_participant(
        self, team_id: str, owner: str, name: str, anonymous: bool, limit: int
    ) -> Participant | None:
        """Add this owner to the team (or return them if already in); None when the team is full.

        The label is `Deelnemer N` by join order when anonymous, else the name (made unique).
        """
        with self._transaction() as db:
            row = db.execute(
                f"SELECT {_PARTICIPANT_COLUMNS} FROM participants WHERE team_id = ? AND owner = ?",
                (team_id, owner),
            ).fetchone()
            if row:
                return _participant(row)
            count, last, labels = db.execute(
                "SELECT COUNT(*), COALESCE(MAX(number), 0), COALESCE(json_group_array(label), '[]')"
                " FROM participants WHERE team_id = ?",
                (team_id,),
            ).fetchone()
            if count >= limit:
                return None
            number = int(last) + 1
            taken = set(TypeAdapter(list[str]).validate_json(labels)) if count else set()
            label = f"Deelnemer {number}" if anonymous else _unique_label(name, taken)
            participant = Participant(
                id=new_id(), team_id=team_id, owner=owner, name=name, label=label
            )
            db.execute(
                f"INSERT INTO participants ({_PARTICIPANT_COLUMNS}, number)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (participant.id, team_id, owner, name, label, number),
            )
        return participant

    def participants(self, team_id: str) -> list[Participant]:
        """The team's participants in join order."""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_PARTICIPANT_COLUMNS} FROM participants WHERE team_id = ?"
                " ORDER BY number",
                (team_id,),
            ).fetchall()
        return [_participant(row) for row in rows]

    def participant(self, team_id: str, owner: str) -> Participant | None:
        """This owner as a participant of the team, or None."""
        with self._connect() as db:
            row = db.execute(
                f"SELECT {_PARTICIPANT_COLUMNS} FROM participants WHERE team_id = ? AND owner = ?",
                (team_id, owner),
            ).fetchone()
        return _participant(row) if row else None

    def put_contribution(
        self, team_id: str, participant_id: str, part: str, text: str, updated: str
    ) -> Contribution:
        """Store a participant's text on a part, replacing their earlier text there (same id)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO contributions (id, team_id, participant_id, part, text, updated)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (participant_id, part)"
                " DO UPDATE SET text = excluded.text, updated = excluded.updated",
                (new_id(), team_id, participant_id, part, text, updated),
            )
            (contribution_id,) = db.execute(
                "SELECT id FROM contributions WHERE participant_id = ? AND part = ?",
                (participant_id, part),
            ).fetchone()
        return Contribution(
            id=contribution_id,
            team_id=team_id,
            participant_id=participant_id,
            part=part,
            text=text,
            updated=updated,
        )

    def contributions(self, team_id: str) -> list[Contribution]:
        """Every contribution in the team, by participant in join order."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT c.id, c.team_id, c.participant_id, c.part, c.text, c.updated"
                " FROM contributions c JOIN participants p ON p.id = c.participant_id"
                " WHERE c.team_id = ? ORDER BY p.number",
                (team_id,),
            ).fetchall()
        keys = ("id", "team_id", "participant_id", "part", "text", "updated")
        return [Contribution(**dict(zip(keys, row, strict=True))) for row in rows]

    def add_share(self, beeld: SharedBeeld, participant_id: str) -> None:
        """Store a snapshot of an individual A4 shared with the team's coach."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO shares (id, team_id, participant_id, session_id, titel,"
                " kenmerkende_ervaring, beeld, afbeelding, shared)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    beeld.id,
                    beeld.team_id,
                    participant_id,
                    beeld.session_id,
                    beeld.titel,
                    beeld.kenmerkende_ervaring,
                    beeld.beeld,
                    beeld.afbeelding,
                    beeld.shared,
                ),
            )

    def shares(self, team_id: str, participant_id: str | None = None) -> list[SharedBeeld]:
        """The beelden shared in a team (by one participant when given), oldest first."""
        query = _SHARE_SELECT + " WHERE s.team_id = ?"
        params: tuple[str, ...] = (team_id,)
        if participant_id is not None:
            query += " AND s.participant_id = ?"
            params += (participant_id,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY s.shared, s.id", params).fetchall()
        return [_share(row) for row in rows]

    def remove_share(self, team_id: str, participant_id: str, beeld_id: str) -> bool:
        """Delete one participant's shared beeld."""
        with self._transaction() as db:
            removed = db.execute(
                "DELETE FROM shares WHERE id = ? AND team_id = ? AND participant_id = ?",
                (beeld_id, team_id, participant_id),
            ).rowcount
        self.purge()
        return bool(removed)

    def remove_session_shares(self, session_id: str) -> int:
        """Delete every share made from one individual session."""
        with self._transaction() as db:
            removed = db.execute("DELETE FROM shares WHERE session_id = ?", (session_id,)).rowcount
        self.purge()
        return int(removed)

    def remove_participant(
        self, team_id: str, participant_id: str, a4: A4, trace: list[TraceItem]
    ) -> bool:
        """Delete a participant with their contributions and shares; save the A4 without them."""
        with self._transaction() as db:
            removed = db.execute(
                "DELETE FROM participants WHERE id = ? AND team_id = ?", (participant_id, team_id)
            ).rowcount
            db.execute("DELETE FROM contributions WHERE participant_id = ?", (participant_id,))
            db.execute("DELETE FROM shares WHERE participant_id = ?", (participant_id,))
            db.execute(
                "UPDATE teams SET a4 = ?, trace = ? WHERE id = ?",
                (a4.model_dump_json(), _TRACE.dump_json(trace).decode(), team_id),
            )
        self.purge()
        return bool(removed)

    def delete_team(self, team_id: str) -> bool:
        """Delete a team and everything in it."""
        with self._transaction() as db:
            removed = db.execute("DELETE FROM teams WHERE id = ?", (team_id,)).rowcount
            for table in ("participants", "contributions", "shares"):
                db.execute(f"DELETE FROM {table} WHERE team_id = ?", (team_id,))
        self.purge()
        return bool(removed)
