"""Parse whitepaper 003 on professionele identiteit into one record per chapter.

The extraction places each numbered chapter heading ("2. �Wat is dat nu eigenlijk, …") at
the end of the chapter's first page, often mid-sentence, sometimes followed by stray figure
text from another book ("hoofdStuk 9", "Figuur 9.6 …"). A chapter therefore starts at the
page start before its heading: a text box opening (one leading space) right after a finished
sentence, or the first line after a page number. Sub-headings in capitals split a chapter into
sections. Footnotes, page numbers, replacement characters and pull quotes that repeat the body
are dropped; after the last chapter only the book references are kept ("Verder lezen").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.corpus.clean import paragraphs
from assistant.corpus.models import Sectie, Tekst
from assistant.corpus.parse_cases import (
    Block,
    Vocabulary,
    capitals_headings,
    checked,
    readable_heading,
    reflow,
    sectie,
    span,
    visible,
    with_next,
)

SOORT = "whitepaper"
_CHAPTER = re.compile(r"^\s*(\d)\.\s+\ufffd?\s*(\S.*)$")
_PAGE_NUMBER = re.compile(r"^\s*\d+\s*$")
_FURNITURE = (
    _PAGE_NUMBER,
    re.compile(r"^\s*hoofdstuk\s+\d+\s*$", re.IGNORECASE),
    re.compile(r"^\s*Figuur\s+\d"),
    re.compile(r"^\s*https?://\S+\s*$"),
)
_FOOTNOTE = re.compile(r"^\s*\*+")
_FOOTNOTE_MARK = re.compile(r"(?<=[\w.!?)])\*+(?=\s|$)")
_SENTENCE_END = re.compile(r"[.!?…][”’\"')]*$")
_BOOK_REFERENCE = re.compile(r"\([^()]*\b(?:19|20)\d{2}\):")
_CONTINUATION = 40  # a chapter heading's second line is short and not a text-box opening
_CHUNK = 3000  # sections longer than this many characters are split at paragraph breaks


@dataclass(frozen=True)
class _Chapter:
    """A numbered chapter: its title, the line its text starts at and its heading's lines."""

    number: int
    titel: str
    start: int
    heading: range


def parse(lines: list[str], bestand: str) -> list[Tekst]:
    """Parse the whitepaper: the introduction, six chapters and the reading list."""
    clean = strip_furniture(lines)
    chapters = _chapters(clean, {i for i, raw in enumerate(lines) if _PAGE_NUMBER.match(raw)})
    for chapter in chapters:
        clean[chapter.heading.start : chapter.heading.stop] = [""] * len(chapter.heading)
    vocabulary = Vocabulary.from_lines(clean)
    back = _back_matter(clean, chapters[-1].heading.stop)
    bounds = [0, *(c.start for c in chapters), back]
    parts = [("Inleiding", bounds[0], bounds[1])] + [
        (c.titel, c.start, end) for c, end in zip(chapters, bounds[2:], strict=True)
    ]
    sections = [_sections(clean, titel, start, end, vocabulary) for titel, start, end in parts]
    sections = _without_repeats(sections)
    teksten = [
        _tekst(f"003-{n:02d}", titel, [sectie(kop, blocks, bestand) for kop, blocks in secs])
        for n, ((titel, _, _), secs) in enumerate(zip(parts, sections, strict=True))
    ]
    reading = [Block(*p) for p in paragraphs(clean[back:], start=back + 1)]
    books = [b for b in reading if _BOOK_REFERENCE.search(b.text)]
    if books:
        verder = sectie("Verder lezen", books, bestand)
        teksten.append(_tekst(f"003-{len(parts):02d}", "Verder lezen", [verder]))
    return [checked(t) for t in teksten]


def strip_furniture(lines: Sequence[str]) -> list[str]:
    """Blank out page numbers, running heads, figure captions, footnotes and bare links.

    A footnote runs from its asterisk to a blank line or an indented line (a new text box).
    """
    clean = list(lines)
    in_footnote = False
    for index, raw in enumerate(lines):
        continues = in_footnote and bool(visible(raw)) and not raw[:1].isspace()
        in_footnote = bool(_FOOTNOTE.match(raw)) or continues
        if in_footnote or any(pattern.match(raw) for pattern in _FURNITURE):
            clean[index] = ""
    return clean


def _chapters(clean: Sequence[str], page_numbers: set[int]) -> list[_Chapter]:
    chapters: list[_Chapter] = []
    lower = 0
    for index, raw in enumerate(clean):
        match = _CHAPTER.match(raw)
        if not match:
            continue
        end = index + 1
        while end < len(clean) and _continues_heading(clean[end]):
            end += 1
        resume = next((i for i in range(end, len(clean)) if _opens_box(clean[i])), len(clean))
        titel = " ".join(visible(line) for line in [match.group(2), *clean[index + 1 : end]])
        start = _page_start(clean, page_numbers, lower, index)
        chapters.append(_Chapter(int(match.group(1)), titel, start, range(index, resume)))
        lower = resume
    return chapters


def _continues_heading(raw: str) -> bool:
    text = visible(raw)
    return bool(text) and not _opens_box(raw) and len(text) <= _CONTINUATION


def _opens_box(raw: str) -> bool:
    """A text box opens with exactly one leading space."""
    return raw.startswith(" ") and len(raw) > 1 and not raw[1].isspace()


def _page_start(clean: Sequence[str], page_numbers: set[int], lower: int, heading: int) -> int:
    """The nearest page start above a chapter heading (the heading itself if none)."""
    for index in range(heading - 1, lower, -1):
        if not visible(clean[index]):
            continue
        if _opens_box(clean[index]) and _after_sentence(clean, index):
            return index
        if _after_page_number(clean, page_numbers, index):
            return index
    return heading


def _after_sentence(clean: Sequence[str], index: int) -> bool:
    before = visible(clean[index - 1])
    return bool(_SENTENCE_END.search(before)) and visible(clean[index])[0].isupper()


def _after_page_number(clean: Sequence[str], page_numbers: set[int], index: int) -> bool:
    above = index - 1
    while above >= 0 and not visible(clean[above]):
        if above in page_numbers:
            return True
        above -= 1
    return False


def _back_matter(clean: Sequence[str], after: int) -> int:
    """Where the book list begins after the last chapter heading."""
    for text, first, _ in paragraphs(list(clean[after:]), start=after + 1):
        if _BOOK_REFERENCE.search(text):
            return first - 1
    return len(clean)


def _sections(
    clean: Sequence[str], titel: str, start: int, end: int, vocabulary: Vocabulary
) -> list[tuple[str, list[Block]]]:
    """Split a chapter at its sub-headings in capitals; the untitled opening gets the title."""
    headings = capitals_headings(clean[start:end])
    bounds = [(titel, start, start + (headings[0].first if headings else end - start))]
    for heading, following in with_next(headings):
        stop = start + following.first if following else end
        bounds.append((readable_heading(heading.text, vocabulary), start + heading.last + 1, stop))
    result = []
    for kop, first, stop in bounds:
        numbered = list(enumerate(clean))[first:stop]
        blocks = [_unmarked(b) for b in reflow(numbered, split_short=False)]
        result += _chunked(kop, blocks)
    return result


def _chunked(kop: str, blocks: list[Block]) -> list[tuple[str, list[Block]]]:
    """Split a long untitled stretch into retrieval chunks of a few paragraphs each."""
    total = sum(len(b.text) for b in blocks)
    parts = -(-total // _CHUNK)  # ceiling division
    chunks: list[list[Block]] = [[]]
    for block in blocks:
        if chunks[-1] and sum(len(b.text) for b in chunks[-1]) >= total / max(parts, 1):
            chunks.append([])
        chunks[-1].append(block)
    return [(kop if n == 0 else f"{kop} (vervolg)", c) for n, c in enumerate(chunks) if c]


def _unmarked(block: Block) -> Block:
    return Block(_FOOTNOTE_MARK.sub("", block.text), block.first, block.last)


def _without_repeats(
    parts: list[list[tuple[str, list[Block]]]],
) -> list[list[tuple[str, list[Block]]]]:
    """Drop paragraphs whose text recurs inside a longer paragraph: pull quotes."""
    texts = [b.text for part in parts for _, blocks in part for b in blocks]
    drop = {texts[i] for i in repeated(texts)}
    cleaned = []
    for part in parts:
        kept = [(kop, [b for b in blocks if b.text not in drop]) for kop, blocks in part]
        cleaned.append([(kop, blocks) for kop, blocks in kept if blocks])
    return cleaned


def repeated(texts: Sequence[str], min_chars: int = 40) -> set[int]:
    """Indices of texts whose words recur inside a longer (or earlier equal) text: pull quotes."""
    normal = [" ".join(re.findall(r"\w+", t.lower())) for t in texts]
    found: set[int] = set()
    for i, text in enumerate(normal):
        if len(text) < min_chars:
            continue
        for j, other in enumerate(normal):
            if j != i and text in other and (len(other) > len(text) or j < i):
                found.add(i)
                break
    return found


def _tekst(record_id: str, titel: str, secties: list[Sectie]) -> Tekst:
    bron = span(secties, secties[0].bron.bestand)
    return Tekst(
        id=record_id, kind="achtergrond", soort=SOORT, titel=titel, secties=secties, bron=bron
    )
