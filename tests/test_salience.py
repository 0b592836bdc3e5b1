"""The dense half reads a long story by its salient core; BM25 still reads the whole text."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.retrieval.salience import salient_core
from assistant.retrieval.setup import Knowledge, build_knowledge
from assistant.text import split_sentences

from .conftest import make_settings

SCENE = (
    "Gisteren stond ik een half uur in de file op de ring en mijn koffie was koud. "
    "Het regende de hele dag en de lift in het kantoor was weer eens kapot. "
    "In de kantine was de soep op, dus ik heb een broodje gegeten bij het raam. "
)
CORE = (
    "Binnen mijn eigen directie krijg ik geen steun, terwijl de partners buiten enthousiast zijn."
)


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return build_knowledge(make_settings(tmp_path_factory.mktemp("kern") / "data"))


def test_a_text_within_the_budget_is_its_own_core() -> None:
    assert salient_core(CORE, 300, lambda sentence: 0.0) == CORE


def test_the_core_keeps_the_most_salient_sentences_in_the_storys_order() -> None:
    story = "Eerst dit. Dan het belangrijke. Toen nog iets. En tot slot het andere belangrijke."
    salience = {"Dan het belangrijke.": 2.0, "En tot slot het andere belangrijke.": 1.0}
    core = salient_core(story, 60, lambda sentence: salience.get(sentence, 0.0))
    assert core == "Dan het belangrijke. En tot slot het andere belangrijke."


def test_a_single_sentence_longer_than_the_budget_is_cut_at_a_word() -> None:
    sentence = "woord " * 100
    core = salient_core(sentence.strip(), 50, lambda s: 1.0)
    assert len(core) <= 50 and core.endswith("woord")


def test_a_long_story_is_embedded_by_the_sentences_that_carry_the_situation(
    knowledge: Knowledge,
) -> None:
    story = SCENE * 3 + CORE + " " + SCENE
    core = knowledge.retriever.dense_text(story)
    sentences = split_sentences(story)
    salience = knowledge.retriever._salience(sentences)
    assert sentences[salience.index(max(salience))] == CORE
    # The budget is filled with the next best sentences; one no situation knows stays out.
    assert CORE in core and "soep" not in core
    assert len(core) <= knowledge.settings.retrieval.dense_query_chars


def test_the_dense_half_embeds_a_bounded_text_and_bm25_reads_the_whole(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    retriever = knowledge.retriever
    embedded: list[int] = []
    scored: list[int] = []
    kind = type(retriever._embedding)  # a pydantic model: patched on its class
    embed = kind.get_query_embedding
    terms = retriever.lexical.terms

    def embedding(self: Any, query: str) -> list[float]:
        embedded.append(len(query))
        return embed(self, query)

    def read(query: str) -> list[str]:
        scored.append(len(query))
        return terms(query)

    monkeypatch.setattr(kind, "get_query_embedding", embedding)
    monkeypatch.setattr(retriever.lexical, "terms", read)
    story = (SCENE * 12 + CORE)[:4000]
    retriever.match_situations(story, k=3)
    assert embedded == [len(retriever.dense_text(story))]
    assert max(embedded) <= knowledge.settings.retrieval.dense_query_chars
    assert max(scored) >= len(story.strip()) - 5


def test_a_short_query_is_embedded_whole(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert knowledge.retriever.dense_text(CORE) == CORE
