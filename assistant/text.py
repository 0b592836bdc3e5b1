"""Text helpers every layer shares: clean-up of user text, words, sentences, BM25 analysis."""

from __future__ import annotations

import importlib.util
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n\n"}
_NONCHARACTERS = frozenset("\ufffe\uffff")


def _printable(ch: str) -> bool:
    return unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _NONCHARACTERS


def clean_text(text: str) -> str:
    """User text as it is stored and printed: Unix newlines, no control characters other than
    newline and tab, no lone surrogates or noncharacters; then NFC.

    Dropping comes before NFC so the result is composed (a removed character between a letter
    and its accent would otherwise leave them apart). Lone surrogates (a broken client's
    "\\ud800") cannot be stored as UTF-8, and XML (DOCX) cannot hold control characters.
    """
    for old, new in _LINE_BREAKS.items():
        text = text.replace(old, new)
    kept = "".join(
        ch
        for ch in text
        if ch in "\n\t"
        or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _NONCHARACTERS)
    )
    return unicodedata.normalize("NFC", kept)


_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]*[A-ZÀ-Þ0-9])")


def words(text: str) -> list[str]:
    """The words of a text (hyphenated words and elisions stay whole)."""
    return _WORD.findall(text)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences (keeps the end punctuation)."""
    result: list[str] = []
    for block in re.split(r"\n\s*\n|\n", text.strip()):
        result += [s.strip() for s in _SENTENCE_END.split(block.strip()) if s.strip()]
    return result


def first_chars(text: str, max_chars: int) -> str:
    """`text` itself, or its first `max_chars` characters cut at a word boundary."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    return cut.rsplit(maxsplit=1)[0] if " " in cut.strip() else cut


def fold(text: str) -> str:
    """Lower-case and strip accents (`Consciëntieusheid` → `conscientieusheid`)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_TERM = re.compile(r"[^\W\d_]+", re.UNICODE)
_STOPWORDS = frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN) | {"je", "jij", "jou", "jouw"}


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def analyse(text: str) -> list[str]:
    """The stemmed content words of `text`, in order (BM25 terms: Dutch Snowball stems)."""
    terms = [w for w in _TERM.findall(fold(text)) if len(w) > 1 and w not in _STOPWORDS]
    return list(_stemmer().stemWords(terms))


def stem_terms(terms: list[str]) -> list[str | None]:
    """The stem of each folded term (a `_TERM` match) as `analyse` gives it, None for a
    stopword or a one-letter term; one stemmer call for all of them."""
    kept = [t for t in terms if len(t) > 1 and t not in _STOPWORDS]
    stems = iter(_stemmer().stemWords(kept))
    return [next(stems) if len(t) > 1 and t not in _STOPWORDS else None for t in terms]


def minutes_nl(seconds: float) -> str:
    """A wait in whole minutes, rounded up, in Dutch: "1 minuut", "15 minuten"."""
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minuut" if minutes == 1 else f"{minutes} minuten"


def enumerate_nl(items: list[str]) -> str:
    """Items as Dutch names them: "moed", "moed en geduld", "moed, geduld en openheid"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} en {items[-1]}"


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Dutch first names ("Peter", "Ilse"), from the name list Deduce ships (without the
    names it lists as also being common words); empty when that list is not installed."""
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    folder = Path(next(iter(spec.submodule_search_locations)))
    folder = folder / "data" / "lookup" / "src" / "names" / "lst_first_name"
    try:
        names = (folder / "items.txt").read_text(encoding="utf-8").split("\n")
        common = (folder / "exceptions.txt").read_text(encoding="utf-8").split("\n")
    except OSError:
        return frozenset()
    return frozenset(n.strip() for n in names if n.strip()) - {c.strip() for c in common}
