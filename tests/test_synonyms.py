"""The curated list of users' words (`corpus/synoniemen.yaml`) only names words the corpus has."""

from __future__ import annotations

from assistant.corpus.load import load_corpus
from assistant.retrieval.bm25 import LexicalIndex
from assistant.retrieval.nodes import build_nodes
from assistant.retrieval.setup import read_synonyms
from assistant.settings import default_corpus_dir
from assistant.text import analyse


def test_every_word_a_synonym_adds_is_a_word_the_corpus_uses() -> None:
    corpus_dir = default_corpus_dir()
    synonyms = read_synonyms(corpus_dir)
    index = LexicalIndex(build_nodes(load_corpus(corpus_dir), []))
    known = {stem for tokens in index.tokens for stem in tokens}
    unknown = {key: value for key, value in synonyms.items() if set(analyse(value)) - known}
    assert len(synonyms) >= 100
    assert not unknown, unknown


def test_a_flemish_word_or_jargon_widens_the_query_with_the_booklets_words() -> None:
    corpus_dir = default_corpus_dir()
    index = LexicalIndex(build_nodes(load_corpus(corpus_dir), []), read_synonyms(corpus_dir))
    assert set(analyse("wethouder")) <= set(index.terms("de schepen wil het niet"))
    assert set(analyse("weerstand")) <= set(index.terms("veel pushback van de juristen"))
    assert set(analyse("eigenaarschap")) <= set(index.terms("niemand voelt zich eigenaar"))
