"""The lexical half of retrieval: BM25 (bm25s) over Dutch-stemmed tokens, kept in memory.

It is rebuilt from the nodes at start-up (milliseconds for this corpus), so the vector store
and the lexical index can never disagree about what exists.
"""

from __future__ import annotations

import bm25s
import numpy as np

from assistant.retrieval.nodes import Node
from assistant.text import analyse


class LexicalIndex:
    """BM25 over the nodes' texts."""

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = list(nodes)
        self._retriever = bm25s.BM25()
        corpus_tokens = [analyse(n.text) or ["_leeg_"] for n in self.nodes]
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in tokens] for tokens in corpus_tokens]
        self._vocab = vocab
        if self.nodes:
            self._retriever.index(
                bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False
            )

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every node for `query` (zeros when no query word is known)."""
        tokens = [t for t in analyse(query) if t in self._vocab]
        if not tokens or not self.nodes:
            return np.zeros(len(self.nodes), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)
