"""Parse booklet 002 (A+O fonds Gemeenten): 28 practices of ontwikkeling en mobiliteit.

Each practice opens with front matter (a photo caption, a display title, a lead paragraph)
followed by fixed headings in capitals. An organisation case starts at "ONTWIKKELING EN
MOBILITEIT IN …" and ends with a contact block; an employee story starts at "HOE PAKTE … HET
AAN?". Both have "ENGELEN EN BEREN" and a researchers' reflection. Removed: vertical edge
text and page numbers, photo captions, pull quotes (short lines in quotation marks), display
titles that the extraction dropped into the running text, and every contact block.
The booklet's foreword is not a practice and is skipped; this file holds no research chapter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.corpus.models import Sectie, Tekst
from assistant.corpus.parse_cases import (
    Block,
    Heading,
    Vocabulary,
    block_text,
    capitalise,
    capitals_headings,
    checked,
    readable_heading,
    reflow,
    sectie,
    span,
    visible,
    with_next,
)

_ORGANISATIE = re.compile(r"^ONTWIKKELING EN MOBILITEIT (?:IN|BIJ) (?P<plaats>.+)$")
_MEDEWERKER = re.compile(r"^HOE PAKTE .+ HET AAN\?$")
_CONTACT = "CONTACTGEGEVENS"
_CAPTION = re.compile(r"^\s*Van links naar rechts", re.IGNORECASE)
_EMAIL_LINE = re.compile(r"^\s*E\s+\S+@\S+")
_PAGE_NUMBER = re.compile(r"^\s*\d+\s*$")
_COMPOUND = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b(?!-)")
_SPELLING = ((re.compile(r"[‘’]s[ -]hertogenbosch", re.IGNORECASE), "’s-Hertogenbosch"),)
_NAME_PARTICLES = frozenset({"van", "der", "den", "de", "ter", "te", "het"})
_SHORT = 32  # display titles and pull quotes are set in lines shorter than this
_INDENT = " " * 6  # display type is indented; running text is not
_EDGE_RUN = 4  # this many 1-3 character lines in a row are vertical edge text
_EDGE_TAIL = 12  # lines after such a run that may still belong to it (up to a page number)


@dataclass(frozen=True)
class _Case:
    """One practice: where its front matter starts, its headings and its end (exclusive)."""

    front: int
    headings: list[Heading]
    end: int

    @property
    def organisatie(self) -> bool:
        """Tell whether this is an organisation case (else an employee story)."""
        return bool(_ORGANISATIE.match(self.headings[0].text))


def parse(lines: list[str], bestand: str) -> list[Tekst]:
    """Parse the 28 practices (16 organisation cases, 12 employee stories) of booklet 002."""
    clean = strip_furniture(lines)
    headings = [_fix_typos(h) for h in capitals_headings(clean)]
    vocabulary = Vocabulary.from_lines(clean)
    lexicon = _hyphen_lexicon(clean)
    return [
        checked(_with_hyphens(_tekst(number, case, clean, vocabulary, bestand), lexicon))
        for number, case in enumerate(_cases(clean, headings), start=1)
    ]


def _with_hyphens(tekst: Tekst, lexicon: dict[str, str]) -> Tekst:
    secties = [
        s.model_copy(update={"tekst": _restore_hyphens(s.tekst, lexicon)}) for s in tekst.secties
    ]
    return tekst.model_copy(update={"secties": secties})


def strip_furniture(lines: Sequence[str]) -> list[str]:
    """Blank out edge text, page numbers and stray fragments, keeping line numbers."""
    fragments = [i for i, raw in enumerate(lines) if _is_fragment(raw)]
    noise = set(fragments)
    for run in _runs(lines, fragments):
        if len(run) >= _EDGE_RUN:
            noise |= _edge_tail(lines, run[-1])
    return ["" if i in noise else raw for i, raw in enumerate(lines)]


def _is_fragment(raw: str) -> bool:
    text = visible(raw)
    return 0 < len(text) <= 3 and not any(ch.islower() for ch in text)


def _runs(lines: Sequence[str], fragments: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in fragments:
        if runs and not any(visible(raw) for raw in lines[runs[-1][-1] + 1 : index]):
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _edge_tail(lines: Sequence[str], last: int) -> set[int]:
    """Word pieces of edge text after a letter run, up to the page number that closes it."""
    for index in range(last + 1, min(last + _EDGE_TAIL, len(lines))):
        if _PAGE_NUMBER.match(lines[index]):
            return set(range(last + 1, index + 1))
        if len(visible(lines[index])) > _SHORT:
            break
    return set()


def _hyphen_lexicon(lines: Iterable[str]) -> dict[str, str]:
    """Compounds the source writes with a hyphen inside a line, keyed by their joined form.

    A word broken at a line end loses its hyphen in `join_lines` unless it looks like a real
    compound; where the same text spells it with a hyphen elsewhere, that spelling is known.
    """
    lines = list(lines)
    found: dict[str, str] = {}
    for raw in lines:
        text = raw.rstrip()
        for match in _COMPOUND.finditer(text):
            if match.end() < len(text):
                found[(match.group(1) + match.group(2)).lower()] = match.group(0)
    words = {word.lower() for raw in lines for word in re.findall(r"\w+", raw)}
    return {joined: form for joined, form in found.items() if joined not in words}


def _restore_hyphens(text: str, lexicon: dict[str, str]) -> str:
    """Put back the hyphen of compounds that `_hyphen_lexicon` knows ("potentialtraject")."""

    def repl(match: re.Match[str]) -> str:
        form = lexicon.get(match.group(0).lower())
        if form is None:
            return match.group(0)
        return capitalise(form) if match.group(0)[0].isupper() else form

    return re.sub(r"\w+", repl, text)


def _fix_typos(heading: Heading) -> Heading:
    text = heading.text.replace("WAARZIT", "WAAR ZIT")  # a typo in the Margriet story
    return Heading(heading.first, heading.last, text)


def _cases(clean: Sequence[str], headings: list[Heading]) -> list[_Case]:
    starts = [
        k for k, h in enumerate(headings) if _ORGANISATIE.match(h.text) or _MEDEWERKER.match(h.text)
    ]
    fronts = [_front_start(clean, headings, k) for k in starts]
    cases = []
    for n, k in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(headings)
        end = fronts[n + 1] if n + 1 < len(starts) else len(clean)
        cases.append(_Case(fronts[n], _repair_headings(headings[k:stop]), end))
    return cases


def _front_start(clean: Sequence[str], headings: list[Heading], k: int) -> int:
    """Where a practice's front matter begins: its photo caption, or after the contact block."""
    start = headings[k - 1].last + 1 if k else 0
    region = range(start, headings[k].first)
    caption = next((i for i in region if _CAPTION.match(clean[i])), None)
    if caption is not None:
        return caption
    emails = [i for i in region if _EMAIL_LINE.match(clean[i])]
    return emails[-1] + 1 if emails else start


def _repair_headings(headings: list[Heading]) -> list[Heading]:
    """A repeated "WAT LEVERT HET OP" stands where "WAAROM … AAN DE SLAG?" belongs (Emmen)."""
    place = _ORGANISATIE.match(headings[0].text)
    if not place or any(h.text.startswith("WAAROM") for h in headings):
        return headings
    seen: set[str] = set()
    repaired = []
    for heading in headings:
        if heading.text in seen:
            text = f"WAAROM IS {place.group('plaats')} MET O&M AAN DE SLAG?"
            heading = Heading(heading.first, heading.last, text)
        seen.add(heading.text)
        repaired.append(heading)
    return repaired


def _tekst(
    number: int, case: _Case, clean: Sequence[str], vocab: Vocabulary, bestand: str
) -> Tekst:
    title, lead = _front_matter(clean, case)
    secties: list[Sectie] = [sectie("Inleiding", [lead], bestand)]
    displays: list[str] = []  # titles the extraction dropped into the text (Zwolle, Brandweer)
    for heading, following in with_next(case.headings):
        if heading.text == _CONTACT:
            continue
        end = following.first if following else case.end
        blocks, display = _body(clean, heading.last + 1, end)
        displays += [display] if display else []
        kop = _spelled(readable_heading(heading.text, vocab))
        secties.append(sectie(kop, blocks, bestand, van=heading.first + 1))
    first = _spelled(readable_heading(case.headings[0].text, vocab))
    titel = _titel(case, first, title or (displays[0] if displays else ""), lead.text)
    soort = "organisatie" if case.organisatie else "medewerker"
    return Tekst(
        id=f"002-{number:02d}",
        kind="praktijk",
        soort=soort,
        titel=titel,
        secties=secties,
        bron=span(secties, bestand),
    )


def _spelled(text: str) -> str:
    for pattern, replacement in _SPELLING:
        text = pattern.sub(replacement, text)
    return text


def _front_matter(clean: Sequence[str], case: _Case) -> tuple[str, Block]:
    """The display title and the lead paragraph before the first heading."""
    caption = _caption_lines(clean, case.front, case.headings[0].first)
    numbered = [
        (i, clean[i])
        for i in range(case.front, case.headings[0].first)
        if i not in caption and visible(clean[i])
    ]
    numbered = _drop_garbled_duplicates(numbered)
    split = _title_length(numbered, case.organisatie)
    title = block_text([raw for _, raw in numbered[:split]])
    lead = numbered[split:]
    return title, Block(block_text([raw for _, raw in lead]), lead[0][0] + 1, lead[-1][0] + 1)


def _title_length(numbered: list[tuple[int, str]], organisatie: bool) -> int:
    """How many front lines form the title.

    Organisation titles are short lines before the long lines of the lead; an employee story's
    title and intro each start at a text box, a line beginning with one space.
    """
    if organisatie:
        return next((n for n, (_, raw) in enumerate(numbered) if len(visible(raw)) >= _SHORT), 0)
    boxes = [n for n, (_, raw) in enumerate(numbered) if raw.startswith(" ")]
    return boxes[1] if len(boxes) > 1 else 0


def _drop_garbled_duplicates(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop a line repeated (without its first letter) by the lines after it (Enschede)."""

    def squash(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalpha())

    kept = []
    for n, (index, raw) in enumerate(numbered):
        own = squash(raw)
        after = squash(" ".join(r for _, r in numbered[n + 1 : n + 4]))
        if len(own) < 15 or own not in after[: len(own) + 2]:
            kept.append((index, raw))
    return kept


def _caption_lines(clean: Sequence[str], start: int, end: int) -> set[int]:
    """Photo captions listing names: "Van links naar rechts: …" up to a blank or new box."""
    found: set[int] = set()
    for index in range(start, end):
        if _CAPTION.match(clean[index]):
            found.add(index)
            following = index + 1
            while following < end and visible(clean[following]) and clean[following][0] != " ":
                found.add(following)
                following += 1
    return found


def _body(clean: Sequence[str], start: int, end: int) -> tuple[list[Block], str]:
    """The section's paragraphs without captions, pull quotes and displaced display titles."""
    display = _display_lines(clean, start, end)
    skip = _caption_lines(clean, start, end) | _pull_quote_lines(clean, start, end) | display
    numbered = [(i, "" if i in skip else clean[i]) for i in range(start, end)]
    title = block_text([clean[i] for i in sorted(display)])
    return reflow(numbered, split_short=True), title


def _pull_quote_lines(clean: Sequence[str], start: int, end: int) -> set[int]:
    """Short lines from an opening “ to a closing ”: a quote repeated in large type."""
    found: set[int] = set()
    for index in range(start, end):
        text = visible(clean[index])
        if not text.startswith("“") or len(text) >= _SHORT:
            continue
        last = index
        while last < end and 0 < len(visible(clean[last])) < _SHORT:
            if visible(clean[last]).endswith("”"):
                if last > index:
                    found |= set(range(index, last + 1))
                break
            last += 1
    return found


def _display_lines(clean: Sequence[str], start: int, end: int) -> set[int]:
    """Indented display type and the short lines above it (a title dropped into the text)."""
    found: set[int] = set()
    for index in range(start, end):
        if not (clean[index].startswith(_INDENT) and visible(clean[index])):
            continue
        found.add(index)
        above = index - 1
        while above >= start:
            text = visible(clean[above])
            if text and (len(text) >= _SHORT or text.endswith((".", "!", "?", ";"))):
                break
            if text:
                found.add(above)
            above -= 1
    return found


def _titel(case: _Case, first_heading: str, own_title: str, lead: str) -> str:
    """The record title, e.g. "Oss: Wel werkgarantie, geen baangarantie"."""
    if case.organisatie:
        place = re.sub(r"^Ontwikkeling en mobiliteit (?:in|bij) ", "", first_heading)
        return f"{place[:1].upper()}{place[1:]}: {own_title}" if own_title else first_heading
    name = _person_name(lead)
    return f"{name}: {own_title}" if own_title else name


def _person_name(intro: str) -> str:
    """The name an employee story's intro starts with ("Carli van Heeswijk (43 jaar), …")."""
    words: list[str] = []
    for word in intro.split():
        if word[0].isupper() or (words and word in _NAME_PARTICLES):
            words.append(word.rstrip(",)"))
        else:
            break
    while words and words[-1] in _NAME_PARTICLES:
        words.pop()
    return " ".join(words)
