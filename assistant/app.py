"""The composition root: everything is built here from typed settings, nothing at import time."""

from __future__ import annotations

import contextlib
import threading

from llama_index.core.llms import LLM

from assistant.components.deidentify import build_deidentifier
from assistant.components.llm import FakeLLM, build_llm, complete_text
from assistant.facilitator import fake_llm
from assistant.facilitator.asking import FacilitatorConfig
from assistant.facilitator.engine import Facilitator
from assistant.facilitator.enrich import CachedAsker, Enricher, TokenSink
from assistant.facilitator.library import CorpusLibrary, MirrorSource
from assistant.facilitator.prompts import RenderedPrompt, load_prompt_set
from assistant.facilitator.questions import load_question_bank
from assistant.retrieval.setup import Knowledge, build_knowledge, collection_store
from assistant.service import ReflectionService
from assistant.sessions.files import SessionFiles
from assistant.sessions.store import SessionStore
from assistant.settings import Settings
from assistant.teams import TeamService, TeamStore


def build_enricher(settings: Settings, llm: LLM | None = None) -> Enricher | None:
    """The configured LLM (or the one given) as an `Enricher`; None without an LLM."""
    config = settings.llm
    if llm is None:
        llm = FakeLLM(responder=fake_llm.respond) if config.mode == "fake" else build_llm(config)
    if llm is None:
        return None

    # An in-process llama.cpp model is not safe to call from several threads at once.
    serial = threading.Lock() if config.mode == "llamacpp" else contextlib.nullcontext()

    def send(prompt: RenderedPrompt, on_token: TokenSink | None) -> str:
        with serial:
            return complete_text(
                llm,
                prompt.user,
                prompt.system,
                config.timeout_s,
                on_token,
                name=prompt.name,
                variables=prompt.variables,
            )

    model = config.model or (config.model_path.name if config.model_path else "")
    asker = CachedAsker(send, model_key=f"{config.mode}:{model}", cache_dir=config.cache_dir)
    return Enricher(asker, load_prompt_set(settings.prompts_dir, settings.prompts_version))


def build_service(
    settings: Settings, knowledge: Knowledge | None = None, llm: LLM | None = None
) -> ReflectionService:
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
    facilitator = Facilitator(
        bank,
        library,
        FacilitatorConfig(**settings.facilitator.model_dump()),
        enricher=build_enricher(settings, llm),
    )
    store = SessionStore(settings.data_dir / "sessions.sqlite3")
    corpus = knowledge.corpus
    teams = TeamService(
        TeamStore(settings.data_dir / "teams.sqlite3"),
        bank,
        {s.id: s.titel for s in corpus.situaties},
        virtues=[d.naam for d in corpus.deugden],
    )
    files = SessionFiles(settings.data_dir, settings.server.max_image_mb)
    deidentifier = build_deidentifier(settings.deidentify, settings.data_dir)
    return ReflectionService(facilitator, store, collection, knowledge, teams, files, deidentifier)
