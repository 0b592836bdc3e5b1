"""Example stories: how users tell each situation in their own words (`voorbeelden.yaml`).

The booklet describes a situation in its own terms; users tell it through their commute, their
team and their feelings, and the situation comes halfway. The examples teach the situation
matching what such stories sound like: their words join each situation's term profile, and
their vectors train the readout (`readout`). They are never shown as a passage.

Their vectors are the query embeddings of what the dense half reads of them (their salient
core), so the readout learns from the same kind of vector a user's story becomes. Embedding
five hundred stories takes a while on two cores, so the vectors are kept in a file in the data
dir, per embedding model and text; only a new or changed example is embedded again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.corpus import yamlio
from assistant.corpus.load import CorpusError
from assistant.export.files import write_atomically

EXAMPLES_FILE = "voorbeelden.yaml"


@dataclass(frozen=True)
class Example:
    """One example story and the situation it is about."""

    situation: int
    text: str


def read_examples(corpus_dir: Path, situations: set[int]) -> list[Example]:
    """The corpus's example stories, each about one of `situations` (none when the corpus
    has no such file)."""
    path = corpus_dir / EXAMPLES_FILE
    if not path.is_file():
        return []
    try:
        data = yamlio.read(path) or []
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path} is niet te lezen: {exc}") from exc
    if not isinstance(data, list):
        raise CorpusError(f"{path}: verwacht een lijst van verhalen met 'situatie' en 'verhaal'.")
    examples = []
    for number, entry in enumerate(data, start=1):
        situation = entry.get("situatie") if isinstance(entry, dict) else None
        text = entry.get("verhaal") if isinstance(entry, dict) else None
        if (
            not isinstance(situation, int)
            or situation not in situations
            or not isinstance(text, str)
            or not text.strip()
        ):
            raise CorpusError(
                f"{path}, verhaal {number}: verwacht 'situatie' (een van "
                f"{', '.join(map(str, sorted(situations)))}) en een niet-lege 'verhaal'."
            )
        examples.append(Example(situation, text.strip()))
    return examples


def _key(model_name: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\0{text}".encode()).hexdigest()


def example_vectors(texts: list[str], embedding: BaseEmbedding, cache: Path | None) -> np.ndarray:
    """The query embedding of each text, read from `cache` where it was embedded before with
    the same model; the cache is rewritten with exactly these texts (an old one is dropped)."""
    model = embedding.model_name
    keys = [_key(model, text) for text in texts]
    known = _read_cache(cache)
    missing = [text for key, text in zip(keys, texts, strict=True) if key not in known]
    for text in missing:
        known[_key(model, text)] = np.asarray(embedding.get_query_embedding(text), dtype=np.float32)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = np.stack([known[key] for key in keys])
    if cache is not None and (missing or len(known) != len(set(keys))):
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(cache, lambda tmp: _write_cache(tmp, keys, vectors))
    return vectors


def _read_cache(cache: Path | None) -> dict[str, np.ndarray]:
    """The cached vectors by key; a missing or unreadable cache is an empty one (it is only
    a cache: the vectors are embedded again)."""
    if cache is None or not cache.is_file():
        return {}
    try:
        with np.load(cache, allow_pickle=False) as data:
            return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        return {}


def _write_cache(tmp: Path, keys: list[str], vectors: np.ndarray) -> None:
    with tmp.open("wb") as out:
        np.savez(out, keys=np.array(keys), vectors=vectors)
