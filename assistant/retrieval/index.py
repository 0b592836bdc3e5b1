"""The dense half of retrieval: llama-index's ChromaVectorStore over one Chroma collection.

`sync()` makes the collection equal to a list of nodes: nodes whose content hash is unchanged
are left alone, changed and new nodes are embedded and written, vanished nodes are deleted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import BaseNode, TextNode
from llama_index.core.vector_stores.types import VectorStoreQuery
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.components.vector_store import IndexUnavailable
from assistant.retrieval.nodes import Node

SCHEMA_VERSION = "1"
_READ_BATCH = 1000


@dataclass(frozen=True)
class SyncReport:
    """What one `sync()` changed."""

    added: int
    updated: int
    removed: int
    unchanged: int

    @property
    def embedded(self) -> int:
        """Nodes that had to be embedded."""
        return self.added + self.updated


@dataclass(frozen=True)
class DenseHit:
    """A node found by vector similarity (cosine in [-1, 1])."""

    id: str
    score: float
    text: str
    metadata: dict[str, Any]


class DenseIndex:
    """One Chroma collection holding goedwerk's nodes, written with one embedding model."""

    def __init__(self, client: Any, collection_name: str, embedding: BaseEmbedding) -> None:
        self._client = client
        self._embedding = embedding
        self._name = collection_name
        self._collection = self._open_collection()
        self._store = ChromaVectorStore(chroma_collection=self._collection)

    def _open_collection(self) -> Any:
        wanted = {
            "goedwerk_schema": SCHEMA_VERSION,
            "embedding": self._embedding.model_name,
            "hnsw:space": "cosine",
        }
        try:
            collection = self._client.get_or_create_collection(self._name, metadata=wanted)
        except Exception as exc:
            raise IndexUnavailable(
                f"De indexcollectie '{self._name}' kan niet worden geopend "
                f"({type(exc).__name__}: {exc})."
            ) from exc
        found = collection.metadata or {}
        if found.get("goedwerk_schema") != SCHEMA_VERSION:
            raise IndexUnavailable(
                f"De collectie '{self._name}' is niet door deze versie van goedwerk gemaakt."
            )
        if found.get("embedding") != self._embedding.model_name:
            raise IndexUnavailable(
                f"De index is gebouwd met embeddingmodel {found.get('embedding')!r}, "
                f"ingesteld is {self._embedding.model_name!r}."
            )
        return collection

    def count(self) -> int:
        """Number of nodes in the collection."""
        return int(self._collection.count())

    def stored_hashes(self) -> dict[str, str]:
        """Node id → content hash of everything in the collection."""
        hashes: dict[str, str] = {}
        offset = 0
        while True:
            page = self._collection.get(include=["metadatas"], limit=_READ_BATCH, offset=offset)
            for node_id, meta in zip(page["ids"], page["metadatas"] or [], strict=False):
                hashes[node_id] = str((meta or {}).get("hash", ""))
            if len(page["ids"]) < _READ_BATCH:
                return hashes
            offset += _READ_BATCH

    def sync(self, nodes: list[Node]) -> SyncReport:
        """Make the collection hold exactly `nodes`, embedding only what changed."""
        stored = self.stored_hashes()
        wanted = {n.id: n for n in nodes}
        changed = [n for n in nodes if n.id in stored and stored[n.id] != n.content_hash]
        new = [n for n in nodes if n.id not in stored]
        gone = [i for i in stored if i not in wanted]
        stale = gone + [n.id for n in changed]
        if stale:
            self._collection.delete(ids=stale)
        to_write = new + changed
        if to_write:
            vectors = self._embedding.get_text_embedding_batch([n.embed_text for n in to_write])
            text_nodes: list[BaseNode] = [
                TextNode(id_=n.id, text=n.text, metadata=n.metadata, embedding=vector)
                for n, vector in zip(to_write, vectors, strict=True)
            ]
            self._store.add(text_nodes)
        return SyncReport(
            added=len(new),
            updated=len(changed),
            removed=len(gone),
            unchanged=len(nodes) - len(new) - len(changed),
        )

    def search(
        self, query_vector: list[float], k: int, where: dict[str, Any] | None = None
    ) -> list[DenseHit]:
        """The `k` nodes most similar to `query_vector`, optionally filtered on metadata."""
        if self.count() == 0:
            return []
        kwargs = {"where": where} if where else {}
        result = self._store.query(
            VectorStoreQuery(query_embedding=query_vector, similarity_top_k=k), **kwargs
        )
        hits = []
        for node, similarity in zip(result.nodes or [], result.similarities or [], strict=False):
            # ChromaVectorStore reports exp(-distance); with cosine space distance = 1 - cos.
            cosine = 1.0 + math.log(max(similarity, 1e-12))
            hits.append(DenseHit(node.node_id, cosine, node.get_content(), dict(node.metadata)))
        return hits

    def vectors(self, node_ids: list[str]) -> np.ndarray:
        """The stored vectors of these nodes, in the given order."""
        if not node_ids:
            return np.zeros((0, 0), dtype=np.float32)
        found = self._collection.get(ids=node_ids, include=["embeddings"])
        by_id = dict(zip(found["ids"], found["embeddings"], strict=True))
        missing = [i for i in node_ids if i not in by_id]
        if missing:
            raise IndexUnavailable(f"De index mist {len(missing)} stukken (bijv. {missing[0]}).")
        return np.asarray([by_id[i] for i in node_ids], dtype=np.float32)

    def delete(self, node_ids: list[str]) -> None:
        """Remove nodes by id."""
        if node_ids:
            self._collection.delete(ids=node_ids)
