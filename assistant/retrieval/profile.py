"""What each situation is about, as words: all its texts taken as one bag of stems.

BM25 finds the situation whose best few texts share the query's words. A long story shares
words with many texts by chance ("overleg", "collega", "week"), and its scene-setting then
outweighs the one sentence that carries the situation. A term profile asks instead how much
more often each of the story's words occurs in one situation's texts than in the others'
(a smoothed log ratio, as naive Bayes does), and weighs the word by how few situations use
it at all: a word every situation uses says nothing and scores zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


class TermProfile:
    """Per situation and stem: how typical the stem is of that situation's texts."""

    def __init__(
        self, documents: Sequence[Sequence[str]], labels: Sequence[int], smoothing: float
    ) -> None:
        """`documents` are the stems of each text, `labels` the row (situation) it belongs to."""
        vocabulary: dict[str, int] = {}
        for stems in documents:
            for stem in stems:
                vocabulary.setdefault(stem, len(vocabulary))
        rows = max(labels, default=-1) + 1
        counts = np.zeros((rows, len(vocabulary)), dtype=np.float64)
        for stems, row in zip(documents, labels, strict=True):
            for stem in stems:
                counts[row, vocabulary[stem]] += 1
        self._vocabulary = vocabulary
        if not vocabulary or rows == 0:
            self._weights = np.zeros((rows, 0), dtype=np.float32)
            return
        totals = counts.sum(axis=1, keepdims=True)
        log_ratio = np.log((counts + smoothing) / (totals + smoothing * len(vocabulary)))
        # Relative to the average situation: only what sets a situation apart counts.
        log_ratio -= log_ratio.mean(axis=0, keepdims=True)
        situations_with = np.maximum(1, (counts > 0).sum(axis=0))
        rarity = np.log(rows / situations_with)
        self._weights = (log_ratio * rarity).astype(np.float32)

    def weight(self, stem: str, row: int) -> float:
        """How typical `stem` is of situation `row` (0 for a stem no situation uses)."""
        column = self._vocabulary.get(stem)
        return 0.0 if column is None else float(self._weights[row, column])

    def scores(self, stems: Sequence[str]) -> np.ndarray:
        """Per situation: the summed typicality of `stems`, divided by the square root of
        their number (a long story is not typical of anything by its length alone)."""
        columns = [self._vocabulary[s] for s in stems if s in self._vocabulary]
        if not columns:
            return np.zeros(self._weights.shape[0], dtype=np.float32)
        total = self._weights[:, columns].sum(axis=1)
        return (total / math.sqrt(len(columns))).astype(np.float32)
