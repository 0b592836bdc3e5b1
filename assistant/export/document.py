"""What both documents share: the fixed wording, plain-text clean-up and the font's coverage.

The PDF is set in Bitstream Vera, the TrueType font bundled with reportlab, embedded in the
PDF. Vera covers Latin-1, part of Latin Extended-A and the usual typography (‘ ’ “ ” – — … €).
`to_font` handles the characters it lacks visibly, never dropping them silently and never
leaving them to be drawn as tofu boxes:

- compatibility forms become their plain letters (ĳ → ij, ﬀ → ff, fullwidth → ASCII),
- letters with an accent Vera lacks keep their base letter (ő → o, ę → e),
- anything else (emoji, CJK, Arabic, Hebrew, ...) becomes the placeholder ◊, one per run of
  such characters; zero-width joiners, variation selectors and skin tones join that run.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from assistant.text import clean_text, fold, words

PLACEHOLDER = "◊"
FOOTER = "Beeld van goed werk in samenwerking — gemaakt met goedwerk"
DEFAULT_TITLE = "Beeld van goed werk"
EMPTY = "(nog niet ingevuld)"
KICKER = "Beeld van goed werk"
NO_IMAGE = "Nog geen afbeelding"
MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()

_FONTS = {
    "GoedwerkVera": "Vera.ttf",
    "GoedwerkVera-Bold": "VeraBd.ttf",
    "GoedwerkVera-Italic": "VeraIt.ttf",
}
# Code points Vera lacks but that have an obvious stand-in it has.
_STAND_INS = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "–",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": "\u00a0",
    "\u2192": "->",
    "\u2190": "<-",
}


def image_description(afbeelding: str) -> str:
    """The user's description of the image; empty where the A4 still holds the app's own
    "Nog geen afbeelding: …" (an invitation on screen, not something to print or share)."""
    return "" if afbeelding.strip().lower().startswith(NO_IMAGE.lower()) else afbeelding


def _document_text(text: str) -> str:
    """Clean user text with tabs as spaces (neither font nor paragraph has a tab stop)."""
    return clean_text(text).replace("\t", " ")


def paragraphs(text: str) -> list[list[str]]:
    """Plain text as paragraphs (split on blank lines), each a list of its lines."""
    blocks = re.split(r"\n[ \t\u00a0]*\n+", _document_text(text).strip())
    out = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            out.append(lines)
    return out


@cache
def register_fonts() -> frozenset[int]:
    """Register Vera (regular, bold, italic) once; the code points all three cover."""
    font_dir = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    covered: frozenset[int] | None = None
    for name, filename in _FONTS.items():
        font = TTFont(name, os.path.join(font_dir, filename))
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(font)
        chars = frozenset(font.face.charToGlyph)
        covered = chars if covered is None else covered & chars
    assert covered is not None
    return covered


def to_font(text: str) -> tuple[str, int]:
    """Text with every character Vera cannot draw replaced (see the module docstring)."""
    covered = register_fonts()
    out: list[str] = []
    replaced = 0
    for ch in _document_text(text):
        if ord(ch) in covered or ch == "\n":
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if ch in _STAND_INS:
            out.append(_STAND_INS[ch])
        elif category.startswith("Z"):
            out.append(" ")
        elif category in ("Mn", "Me", "Cf") or 0x1F3FB <= ord(ch) <= 0x1F3FF:
            # Joiners, variation selectors, skin tones, combining marks, bidi controls: part
            # of the character before them (shown, or replaced), invisible on their own.
            if out and out[-1] == PLACEHOLDER:
                replaced += 1
        else:
            compat = unicodedata.normalize("NFKC", ch)
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            if compat and all(ord(c) in covered for c in compat):
                out.append(compat)
            elif base and all(ord(c) in covered for c in base):
                out.append(base)
            else:
                replaced += 1
                if not (out and out[-1] == PLACEHOLDER):
                    out.append(PLACEHOLDER)
    return "".join(out), replaced


@dataclass(frozen=True)
class A4Context:
    """What an A4 belongs to, printed in its quiet band: situation, virtues, ik/wij and date."""

    situatie: str = ""  # the situation's title; empty when none was chosen
    situatie_nr: int = 0
    deugden: tuple[str, ...] = ()
    deugden_label: str = "Deugden"  # "Genoemde deugden" where nobody chose them
    wie: str = ""  # "ik", "wij" or empty
    team: bool = False
    datum: str = ""  # ISO date or timestamp

    def rows(self) -> list[tuple[str, str]]:
        """The band's cells as (label, value), in reading order; empty values left out."""
        situatie = self.situatie
        if situatie and self.situatie_nr:
            situatie = f"{self.situatie_nr}. {situatie}"
        vorm = f"{self.wie}-vorm" if self.wie else ""
        if vorm and self.team:
            vorm += ", teamsessie"
        cells = [
            ("Situatie", situatie),
            (self.deugden_label, _sentence_case(", ".join(d.lower() for d in self.deugden))),
            ("Vorm", vorm),
            ("Datum", dutch_date(self.datum)),
        ]
        return [(label, value) for label, value in cells if value]


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def dutch_date(iso: str) -> str:
    """An ISO date or timestamp as a Dutch date ("1 december 2026"); empty when unreadable."""
    try:
        day: date = datetime.fromisoformat(iso).astimezone().date()
    except ValueError:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def named_virtues(text: str, virtues: Sequence[str]) -> tuple[str, ...]:
    """The virtues from the booklet's list a text names (whole words, accents folded), in list
    order."""
    folded = [fold(w) for w in words(text)]
    found = []
    for virtue in virtues:
        key = [fold(w) for w in words(virtue)]
        n = len(key)
        if n and any(folded[i : i + n] == key for i in range(len(folded) - n + 1)):
            found.append(virtue)
    return tuple(found)
