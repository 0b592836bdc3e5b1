"""The readout: which situation a vector belongs to, learned from example stories' vectors."""

from __future__ import annotations

import numpy as np

from assistant.retrieval.readout import SituationReadout


def _clusters(seed: int) -> tuple[np.ndarray, list[int]]:
    """Three situations, each a cloud of unit vectors around its own direction."""
    rng = np.random.default_rng(seed)
    centres = np.eye(8)[:3]
    vectors, situations = [], []
    for situation, centre in zip((2, 5, 9), centres, strict=True):
        cloud = centre + 0.3 * rng.standard_normal((20, 8))
        vectors.append(cloud / np.linalg.norm(cloud, axis=1, keepdims=True))
        situations += [situation] * 20
    return np.vstack(vectors), situations


def test_a_vector_near_one_situations_examples_puts_that_situation_first() -> None:
    vectors, situations = _clusters(seed=1)
    readout = SituationReadout(vectors, situations, l2=0.01)
    query = np.eye(8)[1] + 0.1 * np.eye(8)[0]
    scores = readout.log_probabilities(query / np.linalg.norm(query), [2, 5, 9])
    assert int(np.argmax(scores)) == 1
    assert np.isclose(np.exp(scores).sum(), 1.0, atol=1e-5)


def test_a_situation_without_examples_scores_the_lowest() -> None:
    vectors, situations = _clusters(seed=2)
    readout = SituationReadout(vectors, situations, l2=0.01)
    scores = readout.log_probabilities(vectors[0], [2, 5, 7, 9])
    assert scores[2] == scores.min()
    assert int(np.argmax(scores)) == 0


def test_fitting_the_same_examples_twice_reads_the_same() -> None:
    vectors, situations = _clusters(seed=3)
    first = SituationReadout(vectors, situations, l2=0.01)
    second = SituationReadout(vectors, situations, l2=0.01)
    query = vectors[25]
    assert first.log_probabilities(query, [2, 5, 9]).tolist() == (
        second.log_probabilities(query, [2, 5, 9]).tolist()
    )
