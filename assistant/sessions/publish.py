"""Preparing a beeld for the shared collection: names become initials, and places,
organisations, contact details and other traceable details a placeholder such as `[plaats]`.

What `prepare` returns is exactly what is stored; the page shows it before anything is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.components.deidentify import Deidentifier, Found
from assistant.domain.beeld import SavedBeeld
from assistant.domain.session import A4

# Words in a name that stay as written: titles and forms of address (folded to lower case).
_TITLES = frozenset(
    "mevrouw meneer mevr mevr. dhr dhr. mw mw. hr hr. heer dr dr. drs drs. ir ir. ing ing. "
    "mr mr. prof prof. wethouder burgemeester dokter juffrouw juf meester collega".split()
)
_INITIALS = re.compile(r"^(?:[A-ZÀ-Þ]\.)+(?:-(?:[A-ZÀ-Þ]\.)+)*$")


@dataclass(frozen=True)
class Replacement:
    """One identifying stretch found in the beeld, and what it becomes when replaced."""

    text: str
    kind: str
    replacement: str


def initials(name: str) -> str:
    """`Karin` → `K.`, `Gert-Jan` → `G.-J.`, `Jan de Vries` → `J. de V.`, `mevrouw Bakker` →
    `mevrouw B.` (titles, interfixes and initials stay)."""
    parts = re.split(r"(\s+)", name)
    out: list[str] = []
    for part in parts:
        if not part or part.isspace() or part.casefold() in _TITLES or _INITIALS.match(part):
            out.append(part)
        elif part[0].isupper():
            out.append("-".join(f"{piece[0]}." for piece in part.split("-") if piece))
        else:
            out.append(part)  # de, van, ter, 't
    return "".join(out)


def replacement_for(found: Found) -> str:
    """A name becomes its initials, anything else its kind in brackets."""
    if found.kind == "naam":
        shortened = initials(found.text)
        return shortened if shortened != found.text else "[naam]"
    return f"[{found.kind}]"


def deidentify(text: str, deidentifier: Deidentifier) -> tuple[str, list[Replacement]]:
    """`text` with every identifying stretch replaced, and the replacements in order."""
    pieces: list[str] = []
    made: list[Replacement] = []
    at = 0
    for found in deidentifier.find(text):
        new = replacement_for(found)
        pieces.append(text[at : found.start])
        rest = text[found.end :]
        # "…belde Gert-Jan." → "…belde G.-J." (no double full stop)
        if new.endswith(".") and rest.startswith("."):
            new = new[:-1]
        pieces.append(new)
        made.append(Replacement(found.text, found.kind, replacement_for(found)))
        at = found.end
    pieces.append(text[at:])
    return "".join(pieces), made


def prepare(
    a4: A4, situatie: int, replace: bool, deidentifier: Deidentifier
) -> tuple[SavedBeeld, list[Replacement]]:
    """The beeld as it would be stored, and what was (with `replace`) or could be replaced.

    Raises the de-identifier's `NotReady` while it is still being prepared.
    """
    fields = (a4.titel, a4.kenmerkende_ervaring, a4.beeld)
    results = [deidentify(text, deidentifier) for text in fields]
    found: list[Replacement] = []
    for _, made in results:
        found += [r for r in made if r not in found]
    titel, ervaring, beeld = (new for new, _ in results) if replace else fields
    stored = SavedBeeld(
        id="", titel=titel, kenmerkende_ervaring=ervaring, beeld=beeld, situatie=situatie
    )
    return stored, found
