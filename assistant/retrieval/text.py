"""Text analysis for BM25: lower-case, accent folding, Dutch stop words, Snowball Dutch stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STOPWORDS = frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN) | {"je", "jij", "jou", "jouw"}


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def fold(text: str) -> str:
    """Lower-case and strip accents (`Consciëntieusheid` → `conscientieusheid`)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def analyse(text: str) -> list[str]:
    """The stemmed content words of `text`, in order."""
    words = [w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in _STOPWORDS]
    return list(_stemmer().stemWords(words))
