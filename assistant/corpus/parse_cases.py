"""Parse the two team cases (000, 001); also the layout helpers that parse_002/003 share.

000 is a two-column PDF article with headings in capitals and a summary box ("DE REIS") that
interrupts the running text; 001 is a saved web page with navigation around the article.
The helpers reflow PDF lines into paragraphs, spell headings in capitals normally and refuse
records that would carry contact details.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from assistant.corpus.clean import REPLACEMENT_CHAR, join_lines, normalise_spaces
from assistant.corpus.models import Bron, Sectie, Tekst

T = TypeVar("T")
Numbered = Sequence[tuple[int, str]]
"""Raw lines with their 0-based index in the source file."""

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_NUMBER = re.compile(r"(?:\+31|\(0\d{1,3}\)|\b0\d{1,3})(?:[\s-]*\d){6,}")
_TERMINAL = re.compile(r"[.!?…:][”’\"')\]]*\s*$")
_SENTENCE_END = re.compile(r"[.!?…][”’\"')\]]*\s*$")
_BULLET = re.compile(r"^\s*[•\uf0a7▪]\s*")
_WORD = re.compile(r"[^\W\d_]+(?:&[^\W\d_]+)?")
_SHORT_LINE = 0.75  # a line ending a sentence below this share of the column width ends a paragraph
_FOOTER = re.compile(r"^\s*[A-ZÀ-Ý]{4,}:")
_ELISION_WORDS = frozenset({"en", "of", "tot", "noch", "als", "maar", "dan"})


@dataclass(frozen=True)
class Block:
    """A cleaned paragraph with the 1-based first and last source line."""

    text: str
    first: int
    last: int


@dataclass(frozen=True)
class Heading:
    """A heading in capitals over one or more lines (0-based, inclusive indices)."""

    first: int
    last: int
    text: str


# --- shared layout helpers -------------------------------------------------------------------


def with_next(items: Sequence[T]) -> list[tuple[T, T | None]]:
    """Each item with the one after it (None after the last)."""
    return [(item, items[i + 1] if i + 1 < len(items) else None) for i, item in enumerate(items)]


def visible(raw: str) -> str:
    """The line without replacement characters and surrounding whitespace."""
    return raw.replace(REPLACEMENT_CHAR, "").strip()


def is_capitals_line(raw: str) -> bool:
    """Tell whether a line is set in capitals (a heading), ignoring digits and punctuation."""
    text = visible(raw)
    return sum(ch.isalpha() for ch in text) >= 4 and not any(ch.islower() for ch in text)


def capitals_headings(lines: Sequence[str]) -> list[Heading]:
    """Headings in capitals; consecutive capital lines form one heading."""
    headings: list[Heading] = []
    for index, raw in enumerate(lines):
        if not is_capitals_line(raw):
            continue
        if headings and headings[-1].last == index - 1:
            previous = headings[-1]
            headings[-1] = Heading(previous.first, index, f"{previous.text} {visible(raw)}")
        else:
            headings.append(Heading(index, index, visible(raw)))
    return headings


def reflow(numbered: Numbered, *, split_short: bool) -> list[Block]:
    """Turn raw lines into paragraphs.

    Blank lines separate paragraphs unless the text clearly runs on (no sentence end before,
    or a lower-case start after: a page or column break). With `split_short`, a line that
    ends a sentence well before the column edge also ends a paragraph (PDFs without blank
    lines between paragraphs).
    """
    groups = _merge_run_ons(_groups(numbered))
    if split_short:
        width = _column_width(numbered)
        groups = [piece for group in groups for piece in _split_after_short_lines(group, width)]
    return [Block(block_text([raw for _, raw in g]), g[0][0] + 1, g[-1][0] + 1) for g in groups]


def block_text(raws: Sequence[str]) -> str:
    """Join the lines of one paragraph; bullet items each get their own line.

    A line in capitals after a short bullet line starts running text again ("• Achterstand
    wegwerken" / "Tijdens de overleggen …").
    """
    lines = _keep_elisions([raw for raw in raws if visible(raw)])
    width = max((len(visible(raw)) for raw in lines), default=0)
    items: list[list[str]] = []
    for raw in lines:
        if _BULLET.match(raw) or not items or _ends_list(items[-1], raw, width):
            items.append([raw])
        else:
            items[-1].append(raw)
    return "\n".join(_item_text(item) for item in items)


def _keep_elisions(lines: list[str]) -> list[str]:
    """Keep "doorstroom-" + "en uitstroom" apart: the hyphen there stands for a left-out word."""
    kept: list[str] = []
    for raw in lines:
        first_word = re.split(r"[^\w]", visible(raw), maxsplit=1)[0]
        if kept and visible(kept[-1]).endswith("-") and first_word in _ELISION_WORDS:
            joiner = "" if visible(raw)[len(first_word) :].startswith("-") else " "
            kept[-1] = f"{kept[-1].rstrip()}{joiner}{visible(raw)} "
        else:
            kept.append(raw)
    return kept


def _ends_list(item: list[str], raw: str, width: int) -> bool:
    previous = visible(item[-1])
    return (
        bool(_BULLET.match(item[0]))
        and visible(raw)[:1].isupper()
        and len(previous) < _SHORT_LINE * width
    )


def _item_text(lines: list[str]) -> str:
    text = join_lines(lines)
    bullet = _BULLET.match(text)
    return f"• {text[bullet.end() :]}" if bullet else text


def _groups(numbered: Numbered) -> list[list[tuple[int, str]]]:
    groups: list[list[tuple[int, str]]] = [[]]
    for index, raw in numbered:
        if visible(raw):
            groups[-1].append((index, raw))
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def _merge_run_ons(groups: list[list[tuple[int, str]]]) -> list[list[tuple[int, str]]]:
    merged: list[list[tuple[int, str]]] = []
    for group in groups:
        if merged and runs_on(merged[-1][-1][1], group[0][1]):
            merged[-1] = merged[-1] + group
        else:
            merged.append(group)
    return merged


def runs_on(before: str, after: str) -> bool:
    """Tell whether text broken between these two lines is one sentence (a page break)."""
    following = visible(after)
    if _BULLET.match(following):
        return False
    return following[:1].islower() or not _TERMINAL.search(visible(before))


def _column_width(numbered: Numbered) -> int:
    lengths = sorted(len(visible(raw)) for _, raw in numbered if visible(raw))
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _split_after_short_lines(
    group: list[tuple[int, str]], width: int
) -> list[list[tuple[int, str]]]:
    pieces: list[list[tuple[int, str]]] = [[]]
    for index, raw in group:
        pieces[-1].append((index, raw))
        text = visible(raw)
        if _SENTENCE_END.search(text) and len(text) < _SHORT_LINE * width:
            pieces.append([])
    return [p for p in pieces if p]


@dataclass(frozen=True)
class Vocabulary:
    """How words and word pairs are spelled in running text, to respell capitals headings."""

    spellings: dict[str, str]
    pairs: dict[str, str]

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Vocabulary:
        """Count spellings in running text: lines set in capitals do not count."""
        return cls.from_texts([" ".join(raw for raw in lines if not is_capitals_line(raw))])

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        """Count the spellings of each word and pair, ignoring sentence-initial capitals."""
        words: dict[str, Counter[str]] = {}
        pairs: dict[str, Counter[str]] = {}
        for text in texts:
            matches = list(_WORD.finditer(text))
            for match, following in with_next(matches):
                word, initial = match.group(0), _sentence_initial(text, match.start())
                if not initial:
                    words.setdefault(word.lower(), Counter())[word] += 1
                if not following or text[match.end() : following.start()] != " ":
                    continue
                if not initial or following.group(0)[0].isupper():  # a name ("Den Haag")
                    pair = f"{word} {following.group(0)}"
                    pairs.setdefault(pair.lower(), Counter())[pair] += 1
        return cls(
            {low: _preferred(low, forms) for low, forms in words.items()},
            {low: _preferred(low, forms) for low, forms in pairs.items()},
        )

    def spell(self, word: str) -> str:
        """The usual spelling of a word; a genitive "s" follows its name ("Lianes")."""
        low = word.lower()
        if low in self.spellings:
            return self.spellings[low]
        if low.endswith("s") and low[:-1] in self.spellings:
            return self.spellings[low[:-1]] + "s"
        return low

    def respell(self, text: str) -> str:
        """Respell every word of `text`; a known word pair ("Den Haag") wins over single words."""
        matches = list(_WORD.finditer(text))
        spelled = [
            self.spell(m.group(0)) if len(m.group(0)) > 1 else m.group(0).lower() for m in matches
        ]
        for i, (match, following) in enumerate(zip(matches, matches[1:], strict=False)):
            between = text[match.end() : following.start()]
            pair = self.pairs.get(f"{match.group(0)} {following.group(0)}".lower())
            if between == " " and pair:
                spelled[i], spelled[i + 1] = pair.split(" ")
        pieces, position = [], 0
        for match, word in zip(matches, spelled, strict=True):
            pieces += [text[position : match.start()], word]
            position = match.end()
        return "".join([*pieces, text[position:]])


def _preferred(low: str, forms: Counter[str]) -> str:
    return max(forms.items(), key=lambda item: (item[1], item[0] == low))[0]


def _sentence_initial(text: str, position: int) -> bool:
    before = text[:position].rstrip(" ‘“\"'(")
    return not before or before[-1] in ".!?:…\n"


def readable_heading(text: str, vocabulary: Vocabulary) -> str:
    """A heading in capitals in normal spelling: "WAT LEVERT HET OP IN OSS?" → "Wat … Oss?"."""
    cleaned = normalise_spaces(text.replace(REPLACEMENT_CHAR, ""))
    return capitalise(vocabulary.respell(cleaned))


def capitalise(text: str) -> str:
    """Upper-case the first letter, wherever it is ("4.1 onderzoek" → "4.1 Onderzoek")."""
    for position, char in enumerate(text):
        if char.isalpha():
            return text[:position] + char.upper() + text[position + 1 :]
    return text


def sectie(kop: str, blocks: Sequence[Block], bestand: str, van: int | None = None) -> Sectie:
    """A section from its paragraphs; `van` (1-based) lets the span start at the heading."""
    text = "\n\n".join(b.text for b in blocks)
    first = min(b.first for b in blocks) if van is None else van
    return Sectie(kop=kop, tekst=text, bron=Bron(bestand=bestand, van=first, tot=blocks[-1].last))


def checked(tekst: Tekst) -> Tekst:
    """Return the record, or raise when it carries an e-mail address or phone number."""
    for text in [tekst.titel, *(s.kop for s in tekst.secties), *(s.tekst for s in tekst.secties)]:
        for pattern in (EMAIL_ADDRESS, PHONE_NUMBER):
            if match := pattern.search(text):
                raise ValueError(f"{tekst.id}: contact detail in record text: {match.group(0)!r}")
    return tekst


def span(secties: Sequence[Sectie], bestand: str) -> Bron:
    """The provenance spanning all sections."""
    return Bron(
        bestand=bestand,
        van=min(s.bron.van for s in secties),
        tot=max(s.bron.tot for s in secties),
    )


# --- 000: "Professionals zelf weer aan het stuur" ---------------------------------------------


def parse_000(lines: list[str], bestand: str) -> list[Tekst]:
    """Parse the article on teamondernemerschap: title, lead, sections and the summary box."""
    headings = capitals_headings(lines)
    vocabulary = Vocabulary.from_lines(lines)
    title, sections = headings[0], headings[1:]
    box = _summary_box(lines, sections)
    in_box = set(range(box[0].first, box[1])) if box else set()
    main = [h for h in sections if h.first not in in_box]
    footer = _footer_start(lines, sections[-1].last + 1)
    secties = [sectie("Inleiding", _body(lines, title.last + 1, main[0].first, in_box), bestand)]
    for heading, following in with_next(main):
        end = following.first if following else footer
        blocks = _body(lines, heading.last + 1, end, in_box)
        kop = readable_heading(heading.text, vocabulary)
        secties.append(sectie(kop, blocks, bestand, van=heading.first + 1))
    if box:
        secties.append(_box_sectie(lines, box, headings, vocabulary, bestand))
    secties.sort(key=lambda s: s.bron.van)
    titel_lines = [visible(raw) for raw in lines[title.first : title.last + 1]]
    main_title = readable_heading(" ".join(titel_lines[:-1]), vocabulary)
    titel = f"{main_title} – {titel_lines[-1].lower()}"
    bron = Bron(bestand=bestand, van=title.first + 1, tot=max(s.bron.tot for s in secties))
    tekst = Tekst(id="000", kind="praktijk", soort="team", titel=titel, secties=secties, bron=bron)
    return [checked(tekst)]


def _summary_box(lines: Sequence[str], headings: list[Heading]) -> tuple[Heading, int] | None:
    """The box: a heading directly followed by another; it runs on over bullets (end exclusive)."""
    for heading, following in zip(headings, headings[1:], strict=False):
        if any(visible(raw) for raw in lines[heading.last + 1 : following.first]):
            continue
        end = following.first
        while end < len(lines) and _in_box(lines[end]):
            end += 1
        return heading, end
    return None


def _in_box(raw: str) -> bool:
    text = visible(raw)
    return not text or is_capitals_line(raw) or bool(_BULLET.match(text)) or text[0].islower()


def _box_sectie(
    lines: Sequence[str],
    box: tuple[Heading, int],
    headings: list[Heading],
    vocabulary: Vocabulary,
    bestand: str,
) -> Sectie:
    start, end = box
    inner = [h for h in headings if start.last < h.first < end]
    paragraphs = []
    for heading, following in with_next(inner):
        stop = following.first if following else end
        items = block_text(lines[heading.last + 1 : stop])
        paragraphs.append(f"{readable_heading(heading.text, vocabulary)}:\n{items}")
    text = "\n\n".join(paragraphs)
    bron = Bron(bestand=bestand, van=start.first + 1, tot=end)
    return Sectie(kop=readable_heading(start.text, vocabulary), tekst=text, bron=bron)


def _footer_start(lines: Sequence[str], start: int) -> int:
    """Where the links under the article begin ("TEAMONDERNEMERSCHAP: Hoe?", "BOEK: …")."""
    for index in range(start, len(lines)):
        if _FOOTER.match(lines[index]):
            return index
    return len(lines)


def _body(lines: Sequence[str], start: int, end: int, skip: set[int]) -> list[Block]:
    numbered = [(i, "" if i in skip else lines[i]) for i in range(start, end)]
    return reflow(numbered, split_short=True)


# --- 001: "Uitvoerend team wil integrale diensten kunnen leveren" (web page) -----------------


def parse_001(lines: list[str], bestand: str) -> list[Tekst]:
    """Parse the web-page case: title and subtitle after the breadcrumb, headed paragraphs."""
    start = next(i for i, raw in enumerate(lines) if "Homepage" in raw) + 1
    end = next((i for i in range(start, len(lines)) if visible(lines[i]).startswith("Share")), None)
    # Web text has no soft hyphens: a line end is always a space.
    content = [(i, f"{lines[i]} ") for i in range(start, end or len(lines))]
    filled = [(i, raw) for i, raw in content if visible(raw)]
    (title_index, title), (subtitle_index, subtitle) = filled[0], filled[1]
    parts: list[tuple[str, int | None, list[tuple[int, str]]]] = [("Inleiding", None, [])]
    for group in _groups([(i, r) for i, r in content if i > subtitle_index]):
        if _is_web_heading(group):
            parts.append((visible(group[0][1]), group[0][0] + 1, []))
        else:
            parts[-1][2].extend([*group, (group[-1][0], "")])
    secties = [
        sectie(kop, reflow(body, split_short=False), bestand, van=van)
        for kop, van, body in parts
        if body
    ]
    titel = f"{visible(title)} – {subtitle.strip()[:1].lower()}{subtitle.strip()[1:]}"
    bron = Bron(bestand=bestand, van=title_index + 1, tot=secties[-1].bron.tot)
    tekst = Tekst(id="001", kind="praktijk", soort="team", titel=titel, secties=secties, bron=bron)
    return [checked(tekst)]


def _is_web_heading(group: list[tuple[int, str]]) -> bool:
    text = visible(group[0][1])
    return len(group) == 1 and len(text.split()) <= 8 and not _TERMINAL.search(text)
