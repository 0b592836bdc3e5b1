"""The example stories: read and checked, embedded once, and taught to the situation matching."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from assistant.components.embedding import EncoderEmbedding
from assistant.corpus import yamlio
from assistant.corpus.load import CorpusError, load_corpus
from assistant.retrieval.examples import EXAMPLES_FILE, example_vectors, read_examples
from assistant.retrieval.setup import build_knowledge
from assistant.settings import PROJECT_ROOT, default_corpus_dir
from tests.conftest import RecordingEncoder, make_settings

CORPUS_DIR = default_corpus_dir()
SITUATIONS = {s.id for s in load_corpus(CORPUS_DIR).situaties}


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def test_the_corpus_examples_cover_every_situation_in_every_style() -> None:
    examples = read_examples(CORPUS_DIR, SITUATIONS)
    per_situation = Counter(e.situation for e in examples)
    assert set(per_situation) == SITUATIONS
    assert min(per_situation.values()) >= 40
    styles = Counter(e["stijl"] for e in yamlio.read(CORPUS_DIR / EXAMPLES_FILE))
    assert set(styles) == {"kort", "middel", "lang"} and styles["lang"] >= len(examples) / 2


def test_no_eval_query_is_also_an_example() -> None:
    """The eval sets, held-out ones included, measure what the examples taught: a query that
    is (nearly) an example would measure nothing."""
    examples = [_shingles(e.text) for e in read_examples(CORPUS_DIR, SITUATIONS)]
    for path in (PROJECT_ROOT / "evals" / "retrieval").rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            query = _shingles(json.loads(line)["query"])
            if query:
                overlap = max(len(query & example) / len(query) for example in examples)
                assert overlap < 0.6, (path.name, line[:80])


@pytest.mark.parametrize(
    "content",
    [
        "situatie: 1\n",
        "- situatie: 11\n  verhaal: Iets.\n",
        "- situatie: 2\n  verhaal: '  '\n",
        "- verhaal: Geen situatie.\n",
        "- situatie: [\n",
    ],
)
def test_a_bad_example_file_is_refused_with_a_message_naming_it(
    tmp_path: Path, content: str
) -> None:
    (tmp_path / EXAMPLES_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=EXAMPLES_FILE):
        read_examples(tmp_path, SITUATIONS)


def test_a_corpus_without_examples_has_none(tmp_path: Path) -> None:
    assert read_examples(tmp_path, SITUATIONS) == []


def test_vectors_are_embedded_once_per_model_and_text(
    tmp_path: Path, recording_embedding: tuple[EncoderEmbedding, RecordingEncoder]
) -> None:
    embedding, encoder = recording_embedding
    cache = tmp_path / "voorbeelden.npz"
    first = example_vectors(["een verhaal", "nog een"], embedding, cache)
    assert len(encoder.queries) == 2
    encoder.queries.clear()
    again = example_vectors(["een verhaal", "nog een"], embedding, cache)
    assert encoder.queries == [] and np.array_equal(first, again)
    # A changed example is embedded again, and the cache keeps only the current ones.
    example_vectors(["een verhaal", "iets nieuws"], embedding, cache)
    assert encoder.queries == ["iets nieuws"]
    with np.load(cache) as data:
        assert len(data["keys"]) == 2
    # Another model's vectors are no use.
    other = EncoderEmbedding(encoder, model_name="fake/other")
    encoder.queries.clear()
    example_vectors(["een verhaal"], other, cache)
    assert encoder.queries == ["een verhaal"]


def test_a_damaged_cache_is_embedded_again(
    tmp_path: Path, recording_embedding: tuple[EncoderEmbedding, RecordingEncoder]
) -> None:
    embedding, encoder = recording_embedding
    cache = tmp_path / "voorbeelden.npz"
    cache.write_bytes(b"geen npz")
    vectors = example_vectors(["een verhaal"], embedding, cache)
    assert encoder.queries == ["een verhaal"] and vectors.shape[0] == 1
    encoder.queries.clear()
    example_vectors(["een verhaal"], embedding, cache)
    assert encoder.queries == []


def _corpus_with_examples(tmp_path: Path, examples: list[dict[str, object]]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in CORPUS_DIR.glob("*.yaml"):
        (corpus / path.name).write_bytes(path.read_bytes())
    yamlio.write(corpus / EXAMPLES_FILE, examples)
    return corpus


PINGPONG = [
    {"situatie": 6, "verhaal": "Het is één groot pingpongspel tussen de partners."},
    {"situatie": 6, "verhaal": "Wij pingpongen de vraag heen en weer, niemand pakt hem."},
    {"situatie": 6, "verhaal": "Weer pingpong: de casus gaat van loket naar loket."},
]
OTHERS = [
    {"situatie": s, "verhaal": f"Een gewoon verhaal over situatie {s} en het overleg."}
    for s in sorted(SITUATIONS)
    if s != 6
]


def test_a_word_only_the_examples_know_finds_their_situation(tmp_path: Path) -> None:
    """Users' words for a situation, which the booklet never uses, are learned from the
    examples: the term profile alone (lexical only) puts the situation first."""
    corpus = _corpus_with_examples(tmp_path, PINGPONG + OTHERS)
    lexical_only = {"dense_weight": 0.0}
    settings = make_settings(tmp_path / "data", corpus_dir=corpus, retrieval=lexical_only)
    matches = build_knowledge(settings).retriever.match_situations("Het is weer pingpong.")
    assert matches[0].situation == 6


def test_the_readout_learns_the_examples_vectors(tmp_path: Path) -> None:
    """With only the readout deciding, a story close to a situation's examples finds it."""
    corpus = _corpus_with_examples(tmp_path, PINGPONG + OTHERS)
    readout_only = {"dense_weight": 1.0, "readout_weight": 1.0}
    settings = make_settings(tmp_path / "data", corpus_dir=corpus, retrieval=readout_only)
    knowledge = build_knowledge(settings)
    assert knowledge.retriever.readout is not None
    matches = knowledge.retriever.match_situations("Het pingpongspel van loket naar loket.")
    assert matches[0].situation == 6
    # Saving a beeld refreshes the index; the readout stays what the corpus taught.
    readout = knowledge.retriever.readout
    knowledge.refresh([])
    assert knowledge.retriever.readout is readout


def test_without_examples_matching_works_as_before(tmp_path: Path) -> None:
    corpus = _corpus_with_examples(tmp_path, [])
    (corpus / EXAMPLES_FILE).unlink()
    knowledge = build_knowledge(make_settings(tmp_path / "data", corpus_dir=corpus))
    assert knowledge.retriever.readout is None
    assert knowledge.retriever.match_situations("Niemand pakt het op.")
