"""The composition root: everything is built here from typed settings, nothing at import time."""

from __future__ import annotations

from assistant.facilitator.engine import Facilitator, FacilitatorConfig
from assistant.facilitator.library import CorpusLibrary, MirrorSource
from assistant.facilitator.questions import load_question_bank
from assistant.retrieval.setup import Knowledge, build_knowledge, collection_store
from assistant.service import ReflectionService
from assistant.sessions.store import SessionStore
from assistant.settings import Settings


def build_service(settings: Settings, knowledge: Knowledge | None = None) -> ReflectionService:
    """Build the reflection service: corpus and index, question bank, facilitator, sessions."""
    knowledge = knowledge or build_knowledge(settings)
    collection = collection_store(settings)

    def saved_mirrors() -> list[MirrorSource]:
        return [
            MirrorSource(f"eigen_beeld-{b.id}", b.titel, b.beeld, "collectie")
            for b in collection.all()
        ]

    library = CorpusLibrary(knowledge, saved_mirrors)
    bank = load_question_bank(settings.prompts_dir, settings.prompts_version)
    facilitator = Facilitator(bank, library, FacilitatorConfig(**settings.facilitator.model_dump()))
    store = SessionStore(settings.data_dir / "sessions.sqlite3")
    return ReflectionService(facilitator, store, collection, knowledge)
