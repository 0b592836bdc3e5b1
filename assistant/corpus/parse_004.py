"""Parse booklet 004 ("Beelden van goed werk in samenwerking") into typed records.

Part 2 of the booklet holds the critical collaboration situations, each followed by its
five perspectives and two beelden van goed werk; part 3 ends with the Overzicht van deugden.
The numbered headings ("3. Kritische samenwerkingssituatie", "3. Perspectieven",
"3. Beeld van goed werk") are the anchors; line numbers are never hard-coded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.clean import REPLACEMENT_CHAR, join_lines, normalise_spaces, paragraphs
from assistant.corpus.models import Beeld, Bron, Deugd, Situatie
from assistant.domain.perspectives import PERSPECTIEF_LABELS, Perspectief

SITUATIE = "Kritische samenwerkingssituatie"
PERSPECTIEVEN = "Perspectieven"
BEELD = "Beeld van goed werk"
ERVARING = "Kenmerkende ervaring"
DEUGDENLIJST = "Overzicht van deugden"

_HEADING = re.compile(rf"^\s*(\d+)\.\s+({SITUATIE}|{PERSPECTIEVEN}|{BEELD})\s*$")
_PART_3 = re.compile(r"^\s*Deel\s+3\b")
_RUNNING_HEADER = re.compile(r"^\s*\d*\s*Beelden van goed werk in samenwerking\s+-")
_PAGE_NUMBER = re.compile(r"^\s*\d+\s*$")
_PERSPECTIEF_BY_LABEL = {label: p for p, label in PERSPECTIEF_LABELS.items()}
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_VIRTUE_ENUMERATION = re.compile(r",\s*zijn\s+(?:bijvoorbeeld\s+)?(.+?)\.?$", re.DOTALL)
_ENUMERATION_SEPARATOR = re.compile(r"\s*,\s*|\s+en\s+")
_NAME_AFTER_VOOR = re.compile(r"\b[Vv]oor ([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")
_MIDSENTENCE_CAPITAL = re.compile(r"(?<=[a-z,] )([A-Z][a-z]+)\b")
_QUOTE_MARKS = '“”"'


@dataclass(frozen=True)
class _Heading:
    """A numbered heading of part 2: its 0-based line index, number and kind."""

    index: int
    nummer: int
    soort: str


@dataclass(frozen=True)
class _Span:
    """Cleaned text with the 1-based first and last line it came from."""

    tekst: str
    van: int
    tot: int


def parse(lines: list[str], bestand: str) -> tuple[list[Situatie], list[Beeld], list[Deugd]]:
    """Parse the situations, beelden and the virtue list of booklet 004."""
    clean = strip_page_furniture(lines)
    headings, end = _part_2_headings(clean)
    situaties: list[Situatie] = []
    beelden: list[Beeld] = []
    for group in _group_by_situation(headings, end):
        situatie, (eerste, tweede) = _parse_group(clean, group, bestand)
        situaties.append(situatie)
        beelden += [eerste, tweede]
    return situaties, beelden, parse_deugdenlijst(clean, bestand)


def strip_page_furniture(lines: list[str]) -> list[str]:
    """Blank out running headers and page numbers, keeping the line count (for provenance)."""
    return [
        "" if _RUNNING_HEADER.match(line) or _PAGE_NUMBER.match(line) else line for line in lines
    ]


def _part_2_headings(lines: list[str]) -> tuple[list[_Heading], int]:
    """The numbered headings of part 2 and the index of the line where part 2 ends."""
    headings: list[_Heading] = []
    for index, line in enumerate(lines):
        if headings and _PART_3.match(line):
            return headings, index
        if match := _HEADING.match(line):
            headings.append(_Heading(index, int(match.group(1)), match.group(2)))
    return headings, len(lines)


def _group_by_situation(headings: list[_Heading], end: int) -> list[list[tuple[_Heading, int]]]:
    """Group each heading with the index where its section ends, four headings per situation."""
    ends = [h.index for h in headings[1:]] + [end]
    groups: list[list[tuple[_Heading, int]]] = []
    for heading, stop in zip(headings, ends, strict=True):
        if heading.soort == SITUATIE:
            groups.append([])
        if not groups:
            raise ValueError(f"heading before the first situation at line {heading.index + 1}")
        groups[-1].append((heading, stop))
    expected = [SITUATIE, PERSPECTIEVEN, BEELD, BEELD]
    for group in groups:
        nummer = group[0][0].nummer
        if [h.soort for h, _ in group] != expected or {h.nummer for h, _ in group} != {nummer}:
            raise ValueError(f"unexpected headings for situation {nummer}")
    return groups


def _parse_group(
    lines: list[str], group: list[tuple[_Heading, int]], bestand: str
) -> tuple[Situatie, tuple[Beeld, Beeld]]:
    """Build one situation and its two beelden from the four sections of a group."""
    (kop, kop_end), (persp, persp_end), (eerste, eerste_end), (tweede, tweede_end) = group
    situatie = _situatie(lines, kop.index, kop_end, persp.index, persp_end, kop.nummer, bestand)
    return situatie, (
        _beeld(lines, eerste.index, eerste_end, f"{kop.nummer}a", kop.nummer, bestand),
        _beeld(lines, tweede.index, tweede_end, f"{kop.nummer}b", kop.nummer, bestand),
    )


def _span(lines: list[str], start: int, end: int) -> _Span:
    """The cleaned text of lines[start:end], paragraphs separated by a blank line."""
    parts = [p for p in paragraphs(lines[start:end], start + 1) if p[0]]
    if not parts:
        raise ValueError(f"no text between lines {start + 1} and {end}")
    return _Span("\n\n".join(p[0] for p in parts), parts[0][1], parts[-1][2])


def _situatie(
    lines: list[str], kop: int, kop_end: int, persp: int, persp_end: int, nummer: int, bestand: str
) -> Situatie:
    """A situation: title (first paragraph), description (the rest) and perspectives."""
    blocks = [p for p in paragraphs(lines[kop + 1 : kop_end], kop + 2) if p[0]]
    perspectieven, laatste = _perspectieven(lines, persp + 1, persp_end)
    waarden = perspectieven[Perspectief.WAARDEN_DEUGDEN]
    return Situatie(
        id=nummer,
        titel=blocks[0][0],
        beschrijving="\n\n".join(text for text, _, _ in blocks[1:]),
        perspectieven=perspectieven,
        deugden=virtues_named_in(waarden),
        bron=Bron(bestand=bestand, van=kop + 1, tot=laatste),
    )


def _perspectieven(lines: list[str], start: int, end: int) -> tuple[dict[Perspectief, str], int]:
    """The text under each perspective sub-heading, and the last line of the block (1-based)."""
    starts = [
        (i, _PERSPECTIEF_BY_LABEL[lines[i].strip()])
        for i in range(start, end)
        if lines[i].strip() in _PERSPECTIEF_BY_LABEL
    ]
    if {p for _, p in starts} != set(Perspectief):
        raise ValueError(f"perspectives missing in lines {start + 1}-{end}")
    stops = [i for i, _ in starts[1:]] + [end]
    spans = {p: _span(lines, i + 1, stop) for (i, p), stop in zip(starts, stops, strict=True)}
    return {p: spans[p].tekst for p in Perspectief}, max(s.tot for s in spans.values())


def _beeld(lines: list[str], kop: int, end: int, ident: str, nummer: int, bestand: str) -> Beeld:
    """A beeld van goed werk: title, kenmerkende ervaring and the beeld itself."""
    ervaring_kop = _find_line(lines, ERVARING, kop + 1, end)
    beeld_kop = _find_line(lines, BEELD, ervaring_kop + 1, end)
    beeld = _span(lines, beeld_kop + 1, end)
    return Beeld(
        id=ident,
        situatie=nummer,
        titel=join_lines(lines[kop + 1 : ervaring_kop]),
        kenmerkende_ervaring=strip_outer_quotes(_span(lines, ervaring_kop + 1, beeld_kop).tekst),
        beeld=beeld.tekst,
        naam=person_named_in(beeld.tekst),
        bron=Bron(bestand=bestand, van=kop + 1, tot=beeld.tot),
    )


def _find_line(lines: list[str], text: str, start: int, end: int) -> int:
    """The index of the first line in [start, end) whose stripped text is `text`."""
    for index in range(start, end):
        if lines[index].strip() == text:
            return index
    raise ValueError(f"'{text}' not found in lines {start + 1}-{end}")


def strip_outer_quotes(text: str) -> str:
    """Drop the quote marks that open and close a quoted story, nothing inside it."""
    return text.strip().lstrip(_QUOTE_MARKS).rstrip(_QUOTE_MARKS).strip()


def virtues_named_in(text: str) -> list[str]:
    """The virtues listed in a Waarden en deugden text, without parenthetical glosses.

    "Deugden die hier in het spel zijn, zijn bijvoorbeeld openheid (achterste van de tong),
    empathie en moed." gives ["openheid", "empathie", "moed"].
    """
    match = _VIRTUE_ENUMERATION.search(_PARENTHESIS.sub("", text).strip())
    if not match:
        return []
    return [part for part in _ENUMERATION_SEPARATOR.split(match.group(1)) if part]


def person_named_in(text: str) -> str | None:
    """The first name of the person a beeld is about, or None when the text names nobody.

    The booklet writes "Voor Tobias is ..." or "goed werk voor Frank"; failing that, a
    capitalised word that recurs mid-sentence ("probeert Hankey", "steunt Hankey") is a name.
    """
    if match := _NAME_AFTER_VOOR.search(text):
        return match.group(1)
    words = _MIDSENTENCE_CAPITAL.findall(text)
    recurring = [word for word in words if words.count(word) > 1]
    return recurring[0] if recurring else None


def parse_deugdenlijst(lines: list[str], bestand: str) -> list[Deugd]:
    """The entries of the Overzicht van deugden, one per line, up to the next section heading.

    Section headings in this extraction start with a space (" Over het projectteam"); the
    entries do not.
    """
    start = _find_line(lines, DEUGDENLIJST, 0, len(lines))
    deugden: list[Deugd] = []
    for index in range(start + 1, len(lines)):
        line = lines[index].replace(REPLACEMENT_CHAR, "")
        if line[:1].isspace() and line.strip():
            break
        if naam := normalise_spaces(line):
            deugden.append(
                Deugd(naam=naam, bron=Bron(bestand=bestand, van=index + 1, tot=index + 1))
            )
    return deugden
