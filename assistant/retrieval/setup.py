"""Builds the retrieval stack from settings: corpus, embedding, Chroma collection, BM25."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.components.embedding import build_embedding
from assistant.components.vector_store import (
    build_chroma_client,
    scrub_embedded_store,
    wipe_embedded_store,
)
from assistant.corpus.load import Corpus, CorpusError, load_corpus
from assistant.domain.beeld import SavedBeeld
from assistant.retrieval.bm25 import LexicalIndex
from assistant.retrieval.examples import Example, example_vectors, read_examples
from assistant.retrieval.index import DenseIndex, SyncReport
from assistant.retrieval.nodes import Node, build_nodes
from assistant.retrieval.readout import SituationReadout
from assistant.retrieval.search import HybridRetriever
from assistant.sessions.collection import CollectionStore
from assistant.settings import Settings


@dataclass
class Knowledge:
    """The corpus and a retriever over it (plus the saved beelden), ready to search."""

    corpus: Corpus
    retriever: HybridRetriever
    dense: DenseIndex
    embedding: BaseEmbedding
    last_sync: SyncReport
    settings: Settings

    def refresh(self, saved: list[SavedBeeld]) -> SyncReport:
        """Bring the index in line with the shared collection (after a save or a removal)."""
        nodes = build_nodes(self.corpus, saved)
        self.last_sync = self.dense.sync(nodes)
        if self.last_sync.removed or self.last_sync.updated:
            scrub_index(self.settings)
        # Swapped in one assignment, so a search running meanwhile sees the old or the new.
        lexical = LexicalIndex(nodes, read_synonyms(self.settings.corpus_dir))
        # The readout learned from the corpus's examples alone; saved beelden change nothing.
        old = self.retriever
        self.retriever = HybridRetriever(
            self.dense, lexical, self.embedding, self.settings.retrieval, old.examples, old.readout
        )
        return self.last_sync


def read_synonyms(corpus_dir: Path) -> dict[str, str]:
    """The curated list of users' words for the corpus's words (`synoniemen.yaml`; none
    when the corpus has no such file)."""
    path = corpus_dir / "synoniemen.yaml"
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path} is niet te lezen: {exc}") from exc
    if not isinstance(data, dict):
        raise CorpusError(f"{path}: verwacht woord: woorden per regel.")
    return {str(k): str(v) for k, v in data.items()}


def fit_readout(
    settings: Settings,
    corpus_nodes: list[Node],
    dense: DenseIndex,
    embedding: BaseEmbedding,
    examples: list[Example],
) -> SituationReadout | None:
    """The readout learned from the example stories' vectors (none without examples).

    Each example is embedded as a user's story would be: by what the dense half reads of it,
    chosen by a retriever over the corpus alone, so the readout does not change with what
    users save. The vectors are kept in the data dir (`voorbeelden.npz`).
    """
    if not examples:
        return None
    lexical = LexicalIndex(corpus_nodes, read_synonyms(settings.corpus_dir))
    reader = HybridRetriever(dense, lexical, embedding, settings.retrieval, examples)
    texts = [reader.dense_text(e.text) for e in examples]
    vectors = example_vectors(texts, embedding, settings.data_dir / "voorbeelden.npz")
    return SituationReadout(vectors, [e.situation for e in examples], settings.retrieval.readout_l2)


def scrub_index(settings: Settings) -> None:
    """Remove the text of removed records from the embedded index's files (no-op on a server)."""
    if settings.vector_store.mode == "embedded":
        scrub_embedded_store(settings.chroma_dir)


def collection_store(settings: Settings) -> CollectionStore:
    """The shared collection in the data dir."""
    return CollectionStore(settings.data_dir / "collectie.sqlite3")


def open_dense_index(
    settings: Settings, embedding: BaseEmbedding, rebuild: bool = False
) -> DenseIndex:
    """Open (or with `rebuild`, wipe and recreate) the configured Chroma collection."""
    if rebuild and settings.vector_store.mode == "embedded":
        wipe_embedded_store(settings.chroma_dir)
    client = build_chroma_client(settings)
    if rebuild and settings.vector_store.mode == "server":
        existing = {c if isinstance(c, str) else c.name for c in client.list_collections()}
        if settings.vector_store.collection in existing:
            client.delete_collection(settings.vector_store.collection)
    return DenseIndex(client, settings.vector_store.collection, embedding)


def build_knowledge(
    settings: Settings,
    saved: list[SavedBeeld] | None = None,
    rebuild: bool = False,
    embedding: BaseEmbedding | None = None,
) -> Knowledge:
    """Load the corpus, bring the index up to date (embedding only what changed), build BM25.

    `saved` defaults to the shared collection in the data dir (the index's source of truth).
    """
    corpus = load_corpus(settings.corpus_dir)
    if saved is None:
        saved = collection_store(settings).all()
    embedding = embedding or build_embedding(settings.embedding)
    dense = open_dense_index(settings, embedding, rebuild=rebuild)
    nodes = build_nodes(corpus, saved)
    report = dense.sync(nodes)
    # Also at every start: a data dir from before this scrub existed is cleaned too.
    scrub_index(settings)
    examples = read_examples(settings.corpus_dir, {s.id for s in corpus.situaties})
    readout = fit_readout(settings, build_nodes(corpus, []), dense, embedding, examples)
    lexical = LexicalIndex(nodes, read_synonyms(settings.corpus_dir))
    retriever = HybridRetriever(dense, lexical, embedding, settings.retrieval, examples, readout)
    return Knowledge(corpus, retriever, dense, embedding, report, settings)
