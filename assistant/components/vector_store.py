"""The Chroma client, chosen by `settings.vector_store.mode`: embedded on disk or a server."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from assistant.errors import Unavailable
from assistant.settings import Settings

REBUILD_HINT = "Bouw de index opnieuw op met: goedwerk index --rebuild"


class IndexUnavailable(Unavailable, RuntimeError):
    """The vector store cannot be opened or is not ours; `reason` says why, `hint` what to do."""

    def __init__(self, reason: str, hint: str = REBUILD_HINT) -> None:
        super().__init__(f"{reason} {hint}")
        self.reason = reason
        self.hint = hint


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def build_chroma_client(settings: Settings) -> Any:
    """Open the configured Chroma client; a broken store becomes `IndexUnavailable`."""
    import chromadb

    config = settings.vector_store
    match config.mode:
        case "embedded":
            path = settings.chroma_dir
            path.mkdir(parents=True, exist_ok=True)
            try:
                return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
            except Exception as exc:  # chromadb raises many kinds on a damaged directory
                raise IndexUnavailable(
                    f"De index in {path} kan niet worden geopend ({type(exc).__name__})."
                ) from exc
        case "server":
            try:
                return chromadb.HttpClient(
                    host=config.host, port=config.port, settings=_chroma_settings()
                )
            except Exception as exc:
                raise IndexUnavailable(
                    f"Geen Chroma-server bereikbaar op {config.host}:{config.port} "
                    f"({type(exc).__name__}).",
                    hint=f"Start hem met: chroma run --host {config.host} --port {config.port} "
                    "--path PAD",
                ) from exc


def wipe_embedded_store(path: Path) -> None:
    """Remove an embedded Chroma directory entirely (for `--rebuild` of a damaged store)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    # Chroma keeps one system per path in this process; drop it with the files.
    SharedSystemClient.clear_system_cache()
    if path.exists():
        shutil.rmtree(path)


# Chroma's log keeps every ADD with its whole document, also after the DELETE that follows;
# a row is dropped once a later row for the same id, or the id's removal, made it moot.
_MOOT_LOG_ROWS = """
DELETE FROM embeddings_queue
WHERE operation != 3
  AND (id NOT IN (SELECT embedding_id FROM embeddings)
       OR EXISTS (SELECT 1 FROM embeddings_queue AS later
                  WHERE later.topic = embeddings_queue.topic AND later.id = embeddings_queue.id
                    AND later.seq_id > embeddings_queue.seq_id))
"""


def scrub_embedded_store(path: Path) -> None:
    """Leave no byte of removed or replaced documents in an embedded Chroma directory.

    Chroma deletes a record from its tables but keeps the text in its log
    (`embeddings_queue`), in the full-text index's segments and in freed pages of
    `chroma.sqlite3`. This drops the moot log rows, merges the full-text index and rewrites
    the file (VACUUM with secure delete). The vector files hold numbers only.
    """
    database = path / "chroma.sqlite3"
    if not database.is_file():
        return
    with closing(sqlite3.connect(database, timeout=30, isolation_level=None)) as db:
        db.execute("PRAGMA secure_delete=ON")
        db.execute(_MOOT_LOG_ROWS)
        db.execute(
            "INSERT INTO embedding_fulltext_search(embedding_fulltext_search) VALUES('optimize')"
        )
        db.execute("VACUUM")
