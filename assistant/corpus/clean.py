"""Cleaning of text extracted from PDFs: broken words, page furniture, replacement characters.

The functions work on lists of raw lines so that callers keep line numbers for provenance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REPLACEMENT_CHAR = "\ufffd"

# Lower-case fragments that really end in a hyphen ("hbo-opleiding", "mbo-niveau").
_REAL_HYPHEN_PREFIXES = frozenset(
    {"hbo", "mbo", "wo", "vmbo", "havo", "vwo", "ict", "hr", "p&o", "e", "ex", "oud", "non", "co"}
)
_VOWELS = set("aeiouy")
# Words after "x- " that show an elided compound ("beleids- of speelveld"), not a broken word.
_ELISION_WORDS = frozenset({"en", "of", "tot", "noch", "als", "maar", "dan", "and", "or"})

_FUNCTION_WORDS = frozenset(
    "aan af al als bij dan dat de deze die dit door een en er het hij hun in is je kan "
    "maar met na naar niet nog of om op over te tot uit van voor wat we wel zich zij zo zou".split()
)
_MIDLINE_BREAK = re.compile(r"(\w+)- (\w+)")
_SPACES = re.compile(r"[ \t\u00a0]+")


def keeps_hyphen(before: str, after: str) -> bool:
    """Tell whether `before-` + `after` is a real hyphenated word rather than a line break.

    Real hyphens: the next part starts with a capital (`Oost-Watergraafsmeer`, `Sittard-Geleen`),
    the first part is an abbreviation in capitals (`OR-voorzitter`) or a known lower-case one
    (`hbo-opleiding`), or Dutch spelling needs the hyphen because two vowels collide
    (`zee-egel`, `hbo-opleiding`).
    """
    if not before or not after:
        return True
    if after[0].isupper() or after[0].isdigit():
        return True
    word = re.split(r"\W", before)[-1]
    if word.isupper() or any(ch.isdigit() for ch in word):
        return True
    if word.lower() in _REAL_HYPHEN_PREFIXES:
        return True
    last, first = word[-1].lower(), after[0].lower()
    return last in _VOWELS and first == last


def join_lines(lines: Iterable[str]) -> str:
    """Join the lines of one paragraph into one string, mending words broken over lines."""
    text = ""
    soft_break = False
    for raw in lines:
        line = raw.replace(REPLACEMENT_CHAR, "").strip()
        if not line:
            continue
        if not text:
            text = line
        elif soft_break and line[0].islower():
            # The PDF dropped a soft hyphen: "profes" + "sionals" on the next line.
            text = text + line
        elif text.endswith("-") and len(text) > 1 and text[-2].isalpha():
            before = text[:-1]
            text = text + line if keeps_hyphen(before, line) else before + line
        else:
            text = f"{text} {line}"
        soft_break = ends_in_word_fragment(raw)
    return normalise_spaces(mend_midline_breaks(text))


def ends_in_word_fragment(raw: str) -> bool:
    """Tell whether a raw line ends in a letter with no trailing space and no function word.

    In these extractions a normal line break keeps its trailing space; a word split at a soft
    hyphen does not. A final Dutch function word ("dit", "aan") is a whole word all the same.
    """
    stripped = raw.replace(REPLACEMENT_CHAR, "").rstrip("\n")
    if not stripped or not stripped[-1].isalpha() or stripped != stripped.rstrip():
        return False
    last = re.split(r"\W", stripped)[-1].lower()
    return bool(last) and last not in _FUNCTION_WORDS


def mend_midline_breaks(text: str) -> str:
    """Mend `samenwer- ken` (a break that survived reflow) but keep `beleids- of speelveld`."""

    def repl(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        if after.lower() in _ELISION_WORDS or keeps_hyphen(before, after):
            return match.group(0)
        return before + after

    return _MIDLINE_BREAK.sub(repl, text)


def normalise_spaces(text: str) -> str:
    """Collapse runs of spaces and tabs; strip the ends."""
    return _SPACES.sub(" ", text).strip()


def paragraphs(lines: list[str], start: int = 1) -> list[tuple[str, int, int]]:
    """Split lines into paragraphs at blank lines.

    Returns `(text, first_line, last_line)` with 1-based line numbers counted from `start`.
    """
    result: list[tuple[str, int, int]] = []
    block: list[str] = []
    first = 0
    for offset, line in enumerate(lines):
        number = start + offset
        if line.replace(REPLACEMENT_CHAR, "").strip():
            if not block:
                first = number
            block.append(line)
        elif block:
            result.append((join_lines(block), first, number - 1))
            block = []
    if block:
        result.append((join_lines(block), first, start + len(lines) - 1))
    return result
