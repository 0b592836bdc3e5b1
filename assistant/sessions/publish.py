"""Preparing a beeld for the shared collection: names can be replaced by initials first."""

from __future__ import annotations

import re

from assistant.domain.beeld import SavedBeeld
from assistant.domain.session import A4
from assistant.text import split_sentences

_NAME = re.compile(r"\b[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?\b")
# Capitalised words that are not names of people (days, months, common title words).
_NOT_NAMES = frozenset(
    "Ik Wij We Je Jij Hij Zij Ze Het De Een Dat Die Dit Deze Toen Daar Maar En Of Als Want "
    "Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Januari Februari Maart April Mei "
    "Juni Juli Augustus September Oktober November December Nederland Nederlands".split()
)


def detect_names(text: str) -> list[str]:
    """Capitalised words inside sentences that may be names the user typed, in order."""
    names: list[str] = []
    for sentence in split_sentences(text):
        for match in _NAME.finditer(sentence):
            word = match.group(0)
            if match.start() == 0 or word in _NOT_NAMES or word in names:
                continue
            names.append(word)
    return names


def initials(word: str) -> str:
    """`Karin` → `K.`, `Gert-Jan` → `G.-J.`."""
    return "-".join(f"{part[0]}." for part in word.split("-"))


def replace_names(text: str, names: list[str]) -> str:
    """Replace each of `names` (whole words) by its initials."""
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", initials(name), text)
    return re.sub(r"\b([A-ZÀ-Þ])\.\.", r"\1.", text)


def prepare(a4: A4, situatie: int, use_initials: bool) -> tuple[SavedBeeld, list[str]]:
    """The beeld as it would be stored, and the names that were (or could be) replaced."""
    names = detect_names(f"{a4.titel}. {a4.kenmerkende_ervaring} {a4.beeld}")
    change = (lambda t: replace_names(t, names)) if use_initials else (lambda t: t)
    beeld = SavedBeeld(
        id="",
        titel=change(a4.titel),
        kenmerkende_ervaring=change(a4.kenmerkende_ervaring),
        beeld=change(a4.beeld),
        situatie=situatie,
    )
    return beeld, names
