"""The situations' term profiles: what each situation's texts are about, as stems."""

from __future__ import annotations

import numpy as np

from assistant.retrieval.profile import TermProfile

DOCUMENTS = [
    ["overleg", "directie", "weerstand", "intern"],
    ["overleg", "directie", "draagvlak", "intern"],
    ["overleg", "niemand", "oppakken", "taak"],
    ["overleg", "taak", "verdelen", "niemand"],
    ["overleg", "kritiek", "horen", "rapport"],
]
LABELS = [0, 0, 1, 1, 2]


def test_a_stem_every_situation_uses_weighs_nothing() -> None:
    profile = TermProfile(DOCUMENTS, LABELS, smoothing=1.0)
    assert all(profile.weight("overleg", row) == 0.0 for row in range(3))


def test_a_stem_typical_of_one_situation_puts_it_first() -> None:
    profile = TermProfile(DOCUMENTS, LABELS, smoothing=1.0)
    assert profile.weight("niemand", 1) > 0 > profile.weight("niemand", 0)
    assert int(np.argmax(profile.scores(["niemand", "oppakken"]))) == 1


def test_scene_setting_does_not_outweigh_the_core_of_a_story() -> None:
    profile = TermProfile(DOCUMENTS, LABELS, smoothing=1.0)
    # Words no situation knows, or every situation knows, do not move the ranking.
    story = ["koffie", "trein", "overleg", "overleg", "kritiek", "horen", "koffie"]
    assert int(np.argmax(profile.scores(story))) == 2


def test_no_known_stem_scores_zero_everywhere() -> None:
    profile = TermProfile(DOCUMENTS, LABELS, smoothing=1.0)
    assert profile.scores(["koffie", "trein"]).tolist() == [0.0, 0.0, 0.0]
    assert TermProfile([], [], smoothing=1.0).scores(["overleg"]).tolist() == []
