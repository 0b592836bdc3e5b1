"""Shared fixtures: settings with a temp data dir, a recording fake embedding, built services."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import platformdirs
import pytest

from assistant.components.deidentify import DeduceDeidentifier
from assistant.components.embedding import EncoderEmbedding, fake_encoder
from assistant.settings import PROJECT_ROOT, Settings, load_settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CORPUS_DIR = PROJECT_ROOT / "corpus"
EVALS_DIR = PROJECT_ROOT / "evals"


class RecordingEncoder:
    """The fake encoder, remembering every text it was asked to embed: passages in `texts`,
    queries in `queries`."""

    def __init__(self) -> None:
        self.inner = fake_encoder()
        self.texts: list[str] = []
        self.queries: list[str] = []

    def __call__(self, texts: list[str], is_query: bool) -> np.ndarray:
        (self.queries if is_query else self.texts).extend(texts)
        return self.inner(texts, is_query)


@pytest.fixture
def recording_embedding() -> tuple[EncoderEmbedding, RecordingEncoder]:
    """A fake embedding that records what it embeds."""
    encoder = RecordingEncoder()
    return EncoderEmbedding(encoder, model_name="fake/hashed-bow-512"), encoder


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Test settings: fake embedding, pattern de-identification (tests of sharing use the real
    one, `deduce_deidentifier`), data under `data_dir`, the real corpus and prompts.

    The clarifying question before the offer is off: most tests choose from the offer made
    right after the description. Tests of that question pass `facilitator={}` (the defaults).
    """
    values: dict[str, object] = {
        "data_dir": data_dir,
        "embedding": {"mode": "fake"},
        "deidentify": {"mode": "basic"},
        "facilitator": {"clarify_words": 0, "clarify_margin": 0.0},
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for one test, isolated in tmp_path."""
    return make_settings(tmp_path / "data")


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own settings file or data dir."""
    for key in list(os.environ):
        if key.startswith("GOEDWERK_"):
            monkeypatch.delenv(key)


@pytest.fixture(scope="session")
def deduce_deidentifier() -> DeduceDeidentifier:
    """The real Deduce de-identifier, one for the whole test run.

    Its lookup structures are built once into the user's cache (about a minute on a fresh
    machine; `DEDUCE_CACHE_DIR` names another folder) and then load in seconds.
    """
    cache = os.environ.get("DEDUCE_CACHE_DIR") or platformdirs.user_cache_dir("goedwerk-tests")
    deidentifier = DeduceDeidentifier(Path(cache) / "deduce")
    assert deidentifier.wait(timeout=900), "Deduce kon niet worden voorbereid"
    return deidentifier
