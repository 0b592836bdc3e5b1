"""The lexical half of retrieval: BM25 (bm25s) over Dutch-stemmed tokens, kept in memory.

It is rebuilt from the nodes at start-up (milliseconds for this corpus), so the vector store
and the lexical index can never disagree about what exists.
"""

from __future__ import annotations

import re

import bm25s
import numpy as np

from assistant.retrieval.nodes import Node
from assistant.retrieval.typos import Speller
from assistant.text import _TERM, analyse, fold, stem_terms

# A compound's parts are at least this long ("zorg", "wijk").
MIN_PART = 4


class LexicalIndex:
    """BM25 over the nodes' texts."""

    def __init__(self, nodes: list[Node], synonyms: dict[str, str] | None = None) -> None:
        self.nodes = list(nodes)
        # How users write what the corpus calls otherwise ("schepen" → "wethouder"), folded.
        self._synonyms = {fold(k): fold(v) for k, v in (synonyms or {}).items()}
        # One pattern for all of them (longest first), searched once per text.
        keys = sorted(self._synonyms, key=len, reverse=True)
        self._synonym_pattern = (
            re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(k) for k in keys)})(?!\w)")
            if keys
            else None
        )
        self._retriever = bm25s.BM25()
        corpus_tokens = [analyse(n.text) or ["_leeg_"] for n in self.nodes]
        # Each node's stems, in order (also read for the situations' term profiles).
        self.tokens = corpus_tokens
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in tokens] for tokens in corpus_tokens]
        self._vocab = vocab
        # In how many nodes each stem occurs: a stem in most nodes says little about any one.
        self._nodes_with: dict[str, int] = {}
        for tokens in corpus_tokens:
            for token in set(tokens):
                self._nodes_with[token] = self._nodes_with.get(token, 0) + 1
        self._speller = Speller.of_texts(w for n in self.nodes for w in _TERM.findall(fold(n.text)))
        if self.nodes:
            self._retriever.index(
                bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False
            )

    def share(self, stem: str) -> float:
        """The share of nodes whose text holds `stem` (0 for a stem the corpus lacks)."""
        return self._nodes_with.get(stem, 0) / max(1, len(self.nodes))

    def terms(self, query: str) -> list[str]:
        """The query's stems the index knows, with typing errors corrected ("entousiast")
        and the parts of unknown compounds ("woningcorporatiemedewerker" →
        "woningcorporatie", "medewerker")."""
        folded = fold(query)
        widened = []
        if self._synonym_pattern is not None:
            matched = {m.group() for m in self._synonym_pattern.finditer(folded)}
            widened = [v for k, v in self._synonyms.items() if k in matched]
        found = _TERM.findall(" ".join([folded, *widened]))
        # One stemmer call for the whole text (a call per word costs more than the stemming).
        stems = stem_terms(found)
        known = []
        # Compounds split in this call: a long story repeats its words, and a user's words
        # are never kept beyond it.
        split: dict[str, list[str]] = {}
        for word, stem in zip(found, stems, strict=True):
            if stem is None:
                continue
            if stem in self._vocab:
                known.append(stem)
            elif (meant := self._speller.correct(word)) is not None:
                known += [s for s in analyse(meant) if s in self._vocab]
            elif len(word) >= 2 * MIN_PART:
                if word not in split:
                    split[word] = self._parts(word)
                known += split[word]
        return known

    def _parts(self, word: str) -> list[str]:
        """The longest known head, then the rest (itself split again); [] when no split."""
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            head_stem = analyse(head)
            if not head_stem or head_stem[0] not in self._vocab:
                continue
            for link in ("", "s", "e", "en"):
                rest = tail[len(link) :] if tail.startswith(link) else None
                if rest is None or len(rest) < MIN_PART:
                    continue
                rest_stem = analyse(rest)
                if rest_stem and rest_stem[0] in self._vocab:
                    return [head_stem[0], rest_stem[0]]
                if len(rest) >= 2 * MIN_PART and (more := self._parts(rest)):
                    return [head_stem[0], *more]
        return []

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every node for `query` (zeros when no query word is known)."""
        return self.scores_of_terms(self.terms(query))

    def scores_of_terms(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every node for terms from `terms()` (zeros when there are none)."""
        if not tokens or not self.nodes:
            return np.zeros(len(self.nodes), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)
