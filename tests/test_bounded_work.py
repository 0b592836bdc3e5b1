"""Bounded work per turn: a very long text is stored whole but searched by a bounded part."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.app import build_service
from assistant.retrieval.setup import Knowledge, build_knowledge

from .conftest import make_settings

SENTENCE = "De samenwerking met de gemeente loopt vast omdat niemand de klussen oppakt. "


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return build_knowledge(make_settings(tmp_path_factory.mktemp("bounded") / "data"))


def _recording(knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lengths of the texts retrieval embeds and scores from now on."""
    seen: list[int] = []
    retriever = knowledge.retriever
    kind = type(retriever._embedding)  # a pydantic model: patched on its class
    embed = kind.get_query_embedding
    score = retriever._lexical.scores

    def embedding(self: Any, query: str) -> list[float]:
        seen.append(len(query))
        return embed(self, query)

    def scores(query: str) -> np.ndarray:
        seen.append(len(query))
        return score(query)

    monkeypatch.setattr(kind, "get_query_embedding", embedding)
    monkeypatch.setattr(retriever._lexical, "scores", scores)
    return seen


def test_a_200000_character_text_is_searched_by_a_bounded_part(
    knowledge: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _recording(knowledge, monkeypatch)
    bound = knowledge.settings.retrieval.max_query_chars
    long_text = SENTENCE * (200_000 // len(SENTENCE))
    long = knowledge.retriever.match_situations(long_text, k=3)
    assert seen and max(seen) <= bound
    assert [m.situation for m in long] == [
        m.situation for m in knowledge.retriever.match_situations(long_text[:bound], k=3)
    ]


def test_a_short_query_is_searched_as_it_is(
    knowledge: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _recording(knowledge, monkeypatch)
    knowledge.retriever.match_situations(SENTENCE, k=3)
    assert set(seen) == {len(SENTENCE)}


def test_a_long_first_answer_is_stored_whole(tmp_path: Path, knowledge: Knowledge) -> None:
    service = build_service(make_settings(tmp_path / "data"), knowledge=knowledge)
    long_text = SENTENCE * 2000
    session_id, _ = service.start("ik", "achteraf")
    began = time.perf_counter()
    service.send(session_id, long_text)
    elapsed = time.perf_counter() - began
    state = service.state(session_id)
    stored = [t.text for t in state.turns if t.role == "user"]
    assert max(len(text) for text in stored) >= len(long_text.strip()) - 10
    print(f"first answer of {len(long_text)} characters: {elapsed:.2f} s")
