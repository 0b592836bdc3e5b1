"""Hybrid retrieval: BM25 and dense scores, each scaled to [0, 1], fused by a weighted sum.

Situations are ranked by the best-scoring of their nodes (description, perspectives,
recognition signals, beelden); other searches rank nodes directly. No LLM is involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.errors import GoedwerkError
from assistant.retrieval.bm25 import LexicalIndex
from assistant.retrieval.examples import Example
from assistant.retrieval.index import DenseIndex
from assistant.retrieval.nodes import SITUATION_KINDS, Kind, Node
from assistant.retrieval.profile import TermProfile
from assistant.retrieval.readout import SituationReadout
from assistant.retrieval.salience import salient_core
from assistant.settings import RetrievalSettings
from assistant.text import first_chars, split_sentences


class EmptyQuery(GoedwerkError, ValueError):
    """The text to search for is empty or only whitespace."""

    def __init__(self) -> None:
        super().__init__("Lege tekst: beschrijf je situatie in een paar woorden.")


@dataclass(frozen=True)
class PreparedQuery:
    """A query ready for searching, with a note when it was shortened."""

    text: str
    truncated: bool
    original_length: int


def prepare_query(text: str, max_chars: int) -> PreparedQuery:
    """Strip, reject empty text, truncate very long text (at a word boundary)."""
    stripped = text.strip()
    if not stripped:
        raise EmptyQuery()
    if len(stripped) <= max_chars:
        return PreparedQuery(stripped, False, len(stripped))
    return PreparedQuery(first_chars(stripped, max_chars), True, len(stripped))


@dataclass(frozen=True)
class Passage:
    """A retrieved text with where it comes from and why it was found."""

    id: str
    kind: str
    title: str
    text: str
    source: str
    situation: int
    perspective: str
    score: float


@dataclass(frozen=True)
class SituationMatch:
    """A critical situation ranked for a user's description."""

    situation: int
    title: str
    score: float
    passage: Passage


def _scaled(values: np.ndarray) -> np.ndarray:
    """Scale scores to [0, 1] by their range; all-equal scores become zeros."""
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-9:
        return np.zeros_like(values)
    return (values - low) / (high - low)


@dataclass(frozen=True)
class _SituationIndex:
    """The situation nodes (rows into the node list), their vectors and the centroids."""

    situations: list[int]
    titles: list[str]
    members: np.ndarray
    node_situation: np.ndarray
    vectors: np.ndarray
    centroids: np.ndarray
    # How close each centroid is to the other situations' nodes on average: a general
    # situation is close to everything and would otherwise win vague matches.
    hubness: np.ndarray
    # Per situation, its nodes' positions in `members`, padded with -1 to one length.
    groups: np.ndarray
    # Per situation, how typical each stem is of all its texts together.
    profile: TermProfile


class HybridRetriever:
    """Ranks situations and finds similar passages with BM25 plus dense vectors."""

    def __init__(
        self,
        dense: DenseIndex,
        lexical: LexicalIndex,
        embedding: BaseEmbedding,
        settings: RetrievalSettings,
        examples: Sequence[Example] = (),
        readout: SituationReadout | None = None,
    ) -> None:
        """`examples` join the situations' term profiles; `readout`, fitted on their vectors
        (`setup.fit_readout`), takes part of the dense score."""
        self._dense = dense
        self._lexical = lexical
        self._embedding = embedding
        self._settings = settings
        self.examples = list(examples)
        self.readout = readout
        self._by_id = {n.id: i for i, n in enumerate(lexical.nodes)}
        self._situation_cache: _SituationIndex | None = None
        self._term_cache: dict[str, np.ndarray] = {}

    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 half (also asked which words are salient in the corpus)."""
        return self._lexical

    @property
    def nodes(self) -> list[Node]:
        """Every node known to the retriever."""
        return self._lexical.nodes

    def _bounded(self, query: str) -> str:
        """A very long text (a whole report pasted in) is searched by its first part.

        Embedding costs grow with the text, and one turn must not hold the CPU for minutes
        while others wait; queries up to `max_query_chars` are searched as they are.
        """
        return first_chars(query, self._settings.max_query_chars)

    def dense_text(self, query: str) -> str:
        """What the dense half embeds: a short query whole, a long one by its salient core."""
        budget = self._settings.dense_query_chars
        if len(query) <= budget:
            return query
        sentences = split_sentences(query)
        salience = dict(zip(sentences, self._salience(sentences), strict=True))
        return salient_core(query, budget, lambda sentence: salience.get(sentence, 0.0))

    def _salience(self, sentences: list[str]) -> list[float]:
        """How much each sentence is about some situation: the best situation's BM25 match of
        the sentence alone, per known term (a long sentence is not salient by its length),
        plus how typical the sentence is of its most typical situation (the term profile),
        each scaled over the story's sentences."""
        index = self._situation_index()
        terms = [self._lexical.terms(sentence) for sentence in sentences]
        if not index.situations or not sentences:
            return [0.0] * len(sentences)
        rows = np.zeros((len(sentences), len(index.members)), dtype=np.float32)
        for row, found in enumerate(terms):
            for term in found:
                rows[row] += self._term_scores(term, index)
        best = self._per_situation(rows, index).max(axis=1)
        counts = np.sqrt(np.maximum(1, [len(found) for found in terms]))
        typical = np.array([index.profile.scores(found).max() for found in terms])
        return [float(v) for v in _scaled(best / counts) + _scaled(typical)]

    def _term_scores(self, term: str, index: _SituationIndex) -> np.ndarray:
        """One term's BM25 score on each situation node (BM25 adds up over query terms),
        remembered: the vocabulary is small and a long story repeats its words."""
        if term not in self._term_cache:
            self._term_cache[term] = self._lexical.scores_of_terms([term])[index.members]
        return self._term_cache[term]

    def _per_situation(self, node_lexical: np.ndarray, index: _SituationIndex) -> np.ndarray:
        """Per situation (last axis): the mean of the best `lexical_top` BM25 scores among its
        nodes, for one row of node scores or a matrix of rows."""
        top = self._settings.lexical_top
        padded = np.where(index.groups >= 0, node_lexical[..., index.groups], -np.inf)
        best = -np.sort(-padded, axis=-1)[..., :top]
        counts = np.minimum((index.groups >= 0).sum(axis=1), top)
        return (np.where(np.isfinite(best), best, 0.0).sum(axis=-1) / counts).astype(np.float32)

    def _node_scores(self, query: str, kinds: Iterable[Kind]) -> tuple[np.ndarray, np.ndarray]:
        """Dense and BM25 score per node (dense: -1 for nodes outside the dense top-n)."""
        kinds = list(kinds)
        query = self._bounded(query)
        vector = self._embedding.get_query_embedding(self.dense_text(query))
        where = {"kind": kinds[0]} if len(kinds) == 1 else {"kind": {"$in": kinds}}
        dense = np.full(len(self.nodes), -1.0, dtype=np.float32)
        for hit in self._dense.search(vector, self._settings.candidates, where):
            index = self._by_id.get(hit.id)
            if index is not None:
                dense[index] = hit.score
        lexical = self._lexical.scores(query)
        mask = np.array([n.kind in kinds for n in self.nodes])
        dense[~mask] = -1.0
        lexical = np.where(mask, lexical, 0.0)
        return dense, lexical

    def _passage(self, index: int, score: float) -> Passage:
        node = self.nodes[index]
        return Passage(
            id=node.id,
            kind=node.kind,
            title=node.title,
            text=node.text,
            source=node.source,
            situation=node.situation,
            perspective=node.perspective,
            score=round(score, 4),
        )

    def _situation_index(self) -> _SituationIndex:
        """The situation nodes' vectors and per-situation centroids, read once from the store."""
        if self._situation_cache is None:
            members = [i for i, n in enumerate(self.nodes) if n.kind in SITUATION_KINDS]
            vectors = self._dense.vectors([self.nodes[i].id for i in members])
            node_situation = np.array([self.nodes[i].situation for i in members], dtype=int)
            situations = sorted(set(node_situation.tolist()))
            centroids = np.array(
                [vectors[node_situation == s].mean(axis=0) for s in situations], dtype=np.float32
            ).reshape(len(situations), -1)
            norms = np.linalg.norm(centroids, axis=1, keepdims=True)
            titles = {n.situation: n.title for n in self.nodes if n.kind == "situatie"}
            unit = centroids / np.where(norms == 0, 1.0, norms)
            hubness = np.array(
                [
                    float((vectors[node_situation != s] @ unit[i]).mean())
                    if (node_situation != s).any()
                    else 0.0
                    for i, s in enumerate(situations)
                ],
                dtype=np.float32,
            )
            positions = [np.flatnonzero(node_situation == s) for s in situations]
            width = max((len(p) for p in positions), default=0)
            groups = np.full((len(situations), width), -1, dtype=int)
            for row, found in enumerate(positions):
                groups[row, : len(found)] = found
            # The example stories count as texts of their situation: they carry the words
            # users use for it, which the booklet's texts do not.
            examples = [e for e in self.examples if e.situation in situations]
            profile = TermProfile(
                [self._lexical.tokens[i] for i in members]
                + [self._lexical.terms(e.text) for e in examples],
                [situations.index(s) for s in node_situation.tolist()]
                + [situations.index(e.situation) for e in examples],
                self._settings.profile_smoothing,
            )
            self._situation_cache = _SituationIndex(
                situations=situations,
                titles=[titles.get(s, f"Situatie {s}") for s in situations],
                members=np.array(members, dtype=int),
                node_situation=node_situation,
                vectors=vectors,
                centroids=unit,
                hubness=hubness,
                groups=groups,
                profile=profile,
            )
        return self._situation_cache

    def match_situations(self, query: str, k: int = 3) -> list[SituationMatch]:
        """The `k` situations that best fit `query`, each with the passage that matched best.

        Dense: cosine to the centroid of each situation's node vectors, less its hubness,
        mixed with the readout learned from example stories (`readout_weight`); a long text
        is embedded by its salient core (`dense_query_chars`), BM25 reads it whole.
        Lexical: the mean of the best `lexical_top` BM25 scores among its nodes, mixed with
        the situation's term profile (`profile_weight`); the query is widened with users'
        words and split compounds. Each part scaled to [0, 1], then fused.
        """
        index = self._situation_index()
        if not index.situations:
            return []
        query = self._bounded(query)
        query_vector = np.asarray(
            self._embedding.get_query_embedding(self.dense_text(query)), dtype=np.float32
        )
        node_cosine = index.vectors @ query_vector
        terms = self._lexical.terms(query)
        node_lexical = self._lexical.scores_of_terms(terms)[index.members]
        dense = _scaled(
            index.centroids @ query_vector - self._settings.hub_correction * index.hubness
        )
        if self.readout is not None:
            learned = self.readout.log_probabilities(query_vector, index.situations)
            taken = self._settings.readout_weight
            dense = (1 - taken) * dense + taken * _scaled(learned)
        share = self._settings.profile_weight
        lexical = (1 - share) * _scaled(self._per_situation(node_lexical, index)) + share * (
            _scaled(index.profile.scores(terms))
        )
        weight = self._settings.dense_weight
        fused = weight * dense + (1 - weight) * _scaled(lexical)
        node_fused = weight * _scaled(node_cosine) + (1 - weight) * _scaled(node_lexical)
        matches = []
        for row in np.argsort(-fused, kind="stable")[:k]:
            mine = np.flatnonzero(index.node_situation == index.situations[row])
            position = int(mine[int(np.argmax(node_fused[mine]))])
            matches.append(
                SituationMatch(
                    situation=index.situations[row],
                    title=index.titles[row],
                    score=round(float(fused[row]), 4),
                    passage=self._passage(
                        int(index.members[position]), float(node_fused[position])
                    ),
                )
            )
        return matches

    def similar(self, query: str, kinds: Iterable[Kind], k: int = 3) -> list[Passage]:
        """The `k` passages of the given kinds most similar to `query`."""
        dense, lexical = self._node_scores(query, kinds)
        candidates = np.flatnonzero((dense > -1.0) | (lexical > 0))
        if candidates.size == 0:
            return []
        weight = self._settings.dense_weight
        fused = weight * _scaled(dense[candidates]) + (1 - weight) * _scaled(lexical[candidates])
        order = np.argsort(-fused, kind="stable")[:k]
        return [self._passage(int(candidates[i]), float(fused[i])) for i in order]
