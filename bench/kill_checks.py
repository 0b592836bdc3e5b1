"""What the kill test checks in a data dir while the server is dead (see kill_test.py).

Through the service layer, in the checking process: the data dir lock is free, the sessions
and collection databases pass `PRAGMA integrity_check`, the service and its Chroma index open
and answer, every session row validates and its pending actions replay, and every action the
client got an acknowledgement for is there (each answer exactly once).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from assistant.app import build_service
from assistant.datadir import DataDirBusy, acquire_lock
from assistant.domain.session import SessionState
from assistant.settings import load_settings


@dataclass
class Sent:
    """One request of the scripted user, and whether its reply came back."""

    n: int
    kind: str  # start, antwoord, keuze, concept, bewerk_<part>, deel
    session: str | None
    value: str = ""
    acked: bool = False


@dataclass
class Check:
    """What one check of the data dir found."""

    failures: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    unacked_kept: int = 0
    replayed: int = 0
    states: dict[str, SessionState] = field(default_factory=dict)
    shared: set[str] = field(default_factory=set)


def integrity(path: Path) -> str:
    """SQLite's verdict on a database file ("ok" when sound)."""
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(r[0]) for r in rows)


def _drop_chroma_clients() -> None:
    # Chroma keeps one system per path in a process; drop it so each check really reopens.
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def check_data_dir(data_dir: Path, sent: list[Sent]) -> Check:
    """With the server dead: the data dir through the service layer, in this process."""
    found = Check()
    try:
        lock = acquire_lock(data_dir)
    except DataDirBusy:
        found.failures.append("de datamap is na SIGKILL nog vergrendeld")
        return found
    try:
        for name in ("sessions.sqlite3", "collectie.sqlite3"):
            if (data_dir / name).exists() and (verdict := integrity(data_dir / name)) != "ok":
                found.failures.append(f"{name}: integrity_check {verdict}")
        _drop_chroma_clients()
        settings = load_settings(data_dir=data_dir, embedding={"mode": "fake"})
        try:
            service = build_service(settings)
            if not service.knowledge.retriever.match_situations("samenwerking", k=1):
                found.failures.append("de index geeft geen antwoord")
        except Exception as exc:  # noqa: BLE001 - every way of not opening is a finding
            found.failures.append(f"service of index opent niet: {type(exc).__name__}: {exc}")
            return found
        with closing(sqlite3.connect(data_dir / "sessions.sqlite3")) as db:
            rows = db.execute("SELECT id, state FROM sessions").fetchall()
            orphans = db.execute(
                "SELECT COUNT(*) FROM pending WHERE session_id NOT IN (SELECT id FROM sessions)"
            ).fetchone()[0]
        if orphans:
            found.failures.append(f"{orphans} openstaande actie(s) zonder sessie")
        for session_id, raw in rows:
            try:
                owner = SessionState.model_validate_json(raw).owner
                pending = len(service.store.pending(session_id))
                # As its owner: replays what is pending.
                found.states[session_id] = service.state(session_id, owner)
            except Exception as exc:  # noqa: BLE001
                found.failures.append(f"sessie {session_id}: {type(exc).__name__}: {exc}")
                continue
            found.replayed += pending
            if service.store.pending(session_id):
                found.failures.append(f"sessie {session_id}: acties blijven openstaan")
        found.shared = {s for s in found.states if service.collection.of_session(s)}
        indexed = service.knowledge.dense.stored_hashes()
        for beeld in service.collection.all():
            if f"eigen_beeld-{beeld.id}" not in indexed:
                found.failures.append(f"gedeeld beeld {beeld.id} ontbreekt in de index")
        compare(sent, found)
        return found
    finally:
        _drop_chroma_clients()
        lock.release()


def compare(sent: list[Sent], found: Check) -> None:
    """Every acknowledged action must be in the data; count the unacknowledged that are too."""
    edits: dict[tuple[str, str], list[Sent]] = defaultdict(list)
    for s in sent:
        state = found.states.get(s.session or "")
        if s.kind.startswith("bewerk_") and state is not None:
            edits[(state.id, s.kind.removeprefix("bewerk_"))].append(s)
            continue
        if state is None:
            if s.acked:
                found.lost.append(f"#{s.n} {s.kind}: sessie {s.session} ontbreekt")
            continue
        match s.kind:
            case "start":
                present = 1
            case "antwoord":
                present = sum(s.value in t.text for t in state.turns if t.role == "user")
            case "keuze":
                present = sum(1 for t in state.turns if t.meta.get("keuze"))
            case "concept":
                present = int(state.step == "concept")
            case "deel":
                present = int(state.id in found.shared)
            case _:
                raise ValueError(s.kind)
        if s.acked and not present:
            found.lost.append(f"#{s.n} {s.kind} {s.value}".strip())
        elif present > 1 and s.kind in ("antwoord", "keuze"):
            found.duplicated.append(f"#{s.n} {s.kind} {s.value} ({present}x)".strip())
        elif present and not s.acked:
            found.unacked_kept += 1
    for (session_id, part), tries in edits.items():
        value = getattr(found.states[session_id].a4, part)
        acked = [i for i, s in enumerate(tries) if s.acked]
        if acked and value not in {s.value for s in tries[acked[-1] :]}:
            found.lost.append(f"#{tries[acked[-1]].n} bewerk_{part}: staat er niet")
        found.unacked_kept += sum(
            1 for s in tries[acked[-1] + 1 if acked else 0 :] if s.value == value
        )
