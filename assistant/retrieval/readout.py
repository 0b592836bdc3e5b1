"""A learned readout of the dense vector: which situation a story's embedding belongs to.

The centroid of a situation's texts says what the booklet's wording of it is like; a user's
story is worded otherwise and lands near the centroid of whichever situation shares its
scene-setting. A multinomial logistic regression on example stories' vectors learns which
directions of the embedding space set the situations apart, and reads a query's vector by
them. Plain NumPy gradient descent, deterministic, fitted in well under a second.
"""

from __future__ import annotations

import numpy as np

# The vectors are unit length, so their differences are small: scaled up, the default step
# size converges in these iterations.
_SCALE = 10.0
_ITERATIONS = 800
_STEP = 0.5


class SituationReadout:
    """Per situation: the log-probability that a vector belongs to it."""

    def __init__(self, vectors: np.ndarray, situations: list[int], l2: float) -> None:
        """Fit on `vectors`, each of the example with the situation at the same position."""
        self.situations = sorted(set(situations))
        rows = np.array([self.situations.index(s) for s in situations], dtype=int)
        self._mean = vectors.mean(axis=0)
        features = (vectors - self._mean) * _SCALE
        count, width = features.shape
        targets = np.eye(len(self.situations))[rows]
        weights = np.zeros((width, len(self.situations)))
        bias = np.zeros(len(self.situations))
        for _ in range(_ITERATIONS):
            error = (_softmax(features @ weights + bias) - targets) / count
            weights -= _STEP * (features.T @ error + l2 * weights)
            bias -= _STEP * error.sum(axis=0)
        self._weights = weights
        self._bias = bias

    def log_probabilities(self, vector: np.ndarray, situations: list[int]) -> np.ndarray:
        """For each of `situations`: the log-probability of `vector` belonging to it (a
        situation the readout never saw gets the lowest the readout gives)."""
        logits = ((vector - self._mean) * _SCALE) @ self._weights + self._bias
        logits = logits - logits.max()
        log_p = logits - np.log(np.exp(logits).sum())
        by_situation = dict(zip(self.situations, log_p.tolist(), strict=True))
        lowest = float(log_p.min())
        return np.array([by_situation.get(s, lowest) for s in situations], dtype=np.float32)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
