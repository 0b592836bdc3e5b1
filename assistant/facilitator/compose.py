"""Composing the rich A4 from the user's own words, without an LLM.

The beeld is built from the user's building blocks (`blocks`): the ones the user picked, in
their order, or, for the automatic draft, the strongest per perspective. It opens with the
user's closing view ("Goed werk is voor mij…"), or, when that stayed vague, with the chosen
virtues; then one short paragraph per pair of perspectives in the method's order. A few
template words link the user's sentences ("Voor mij staan hier moed en geduld op het spel.",
"Ik wil gekend worden als …"); the trace marks them, everything else is the user's own.

The kenmerkende ervaring is the story: the sentences of the description and the kop that carry
the moment. Titles are mined from the whole session: a contrast ("Gastheer, geen
scheidsrechter"), the image, something that was said, the user's strongest short line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.domain.perspectives import METHOD_ORDER, Perspectief
from assistant.domain.session import A4, Bouwsteen, SessionState, Traced
from assistant.facilitator import listening
from assistant.facilitator.blocks import (
    GOLDEN_HALF,
    SEEN_AS,
    building_blocks,
    only_names_virtues,
    telling,
)
from assistant.facilitator.language import find_virtues
from assistant.facilitator.questions import QuestionBank
from assistant.facilitator.selection import never_in_a_beeld, points_back, usable
from assistant.templates import DEUGDEN, WOORDEN, render
from assistant.text import analyse, enumerate_nl, first_names, split_sentences, words

TITLE_CHARS = 90
ERVARING_WORDS = 150
BEELD_WORDS = 230
# Words a title shares with the questions themselves ("goed werk", "beeld", "situatie"):
# a title needs two content words besides these (the team draft uses the same).
ECHO_STEMS = frozenset(analyse("goed werk beeld hier situatie"))
NO_IMAGE_YET = "Nog geen afbeelding: voeg een plaatje toe of beschrijf een beeld dat past."

# The beeld's paragraphs after the opening: the perspectives in the method's pairs.
PARAGRAPHS: tuple[tuple[Perspectief, ...], ...] = (
    (Perspectief.HANDELINGEN, Perspectief.KENNIS),
    (Perspectief.WAARDEN_DEUGDEN, Perspectief.VRIJHEID),
    (Perspectief.IDENTITEIT,),
)
# Where each completed sentence opening goes: the opening paragraph (None) or a perspective.
OPENING_PLACE: dict[str, Perspectief | None] = {
    "goed_werk": None,
    "doen": Perspectief.HANDELINGEN,
    "weten": Perspectief.KENNIS,
    "ruimte": Perspectief.VRIJHEID,
    "gekend": Perspectief.IDENTITEIT,
}


@dataclass(frozen=True)
class ComposedA4:
    """A draft A4 with title suggestions and where each beeld sentence came from."""

    a4: A4
    titles: list[str]
    trace: list[Traced]


def fits_one_page(a4: A4) -> bool:
    """Does this A4's text fit one page at the export's normal type size?

    Asks the PDF layout itself (`assistant.export.pdf.fits_one_page`), imported here on first
    use so that importing the facilitator does not load reportlab.
    """
    from assistant.export.pdf import fits_one_page as fits_the_pdf

    return fits_the_pdf(a4)


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


def _lower_first(text: str, names: set[str]) -> str:
    """The first letter in lower case, unless the first word is a name or "Ik"."""
    first = text.split(" ", 1)[0]
    if first == "Ik" or first in names or first[1:] != first[1:].lower():
        return text
    return text[:1].lower() + text[1:]


def _names_in(state: SessionState) -> set[str]:
    """The capitalised words the user wrote inside sentences: names, kept as written."""
    found: set[str] = set()
    for turn in state.turns:
        if turn.role != "user":
            continue
        for sentence in split_sentences(turn.text):
            found |= {w for w in words(sentence)[1:] if w[:1].isupper()}
    return found


# ----- the beeld ------------------------------------------------------------------------------

_IDENTITY_FRAGMENT = re.compile(r"^(als |wel |gewoon )?((een|iemand|degene)\b.*)$", re.I | re.S)
# "Meer dan ik dacht.": how much room, answered without saying room; it reads as "De ruimte
# die ik heb: meer dan ik dacht."
_ROOM_FRAGMENT = re.compile(
    r"^(veel |heel |best |vrij |niet |te |nog )?(meer|minder|weinig|veel|genoeg|ruim|beperkt)\b"
    r"(?!.*\bruimte\b)",
    re.IGNORECASE,
)


def _without_the_virtue(text: str, virtues: list[str]) -> str:
    """ "Loyaliteit... ik voel me een verrader." → "Ik voel me een verrader." after the
    sentence that names the virtues already."""
    for virtue in virtues:
        lead = re.match(rf"^{re.escape(virtue)}\s*(\.\.\.|…|:|—|-)\s+(\w.*)$", text, re.I | re.S)
        if lead and len(words(lead.group(2))) >= 3:
            rest = lead.group(2)
            return rest[:1].upper() + rest[1:]
    return text


class _Beeld:
    """One beeld being written: paragraphs of traced sentences within a word budget."""

    def __init__(self, state: SessionState, bank: QuestionBank) -> None:
        self.state = state
        self.bank = bank
        self.paragraphs: list[list[Traced]] = []
        self.seen: set[str] = set()
        self.names = _names_in(state)
        # The opening named the virtues already ("Goed werk vraagt hier om …").
        self.virtues_named = False

    def template(self, forms_key: str) -> str:
        return self._forms(forms_key)[0]

    def _forms(self, key: str) -> list[str]:
        beeld = self.bank.beeld
        forms = beeld.openingen[key] if key in beeld.openingen else getattr(beeld, key)
        return forms.get(self.state.wie)

    def add(self, paragraph: list[Traced], item: Traced | None) -> None:
        if item is None or item.sentence in self.seen:
            return
        self.seen.add(item.sentence)
        paragraph.append(item)

    def block(self, block: Bouwsteen) -> Traced:
        """A block as it reads in the beeld: an identity fragment gets its subject."""
        text = block.text
        fragment = _IDENTITY_FRAGMENT.match(text)
        if block.perspective is Perspectief.IDENTITEIT and fragment:
            completion = _lower_first(fragment.group(2), self.names)
            return self.opening("gekend", completion, block.turn)
        if block.perspective is Perspectief.WAARDEN_DEUGDEN:
            text = _without_the_virtue(text, self.state.deugden)
        short = len(words(text)) <= 6
        if block.perspective is Perspectief.VRIJHEID and short and _ROOM_FRAGMENT.match(text):
            return self.opening("ruimte", _lower_first(text, self.names), block.turn)
        return Traced(sentence=_sentence(text), turn=block.turn)

    def opening(self, key: str, completion: str, turn: int | None) -> Traced:
        """A sentence opening completed with the user's words."""
        completion = completion.strip().rstrip(".")
        if not completion:
            return Traced(sentence="", turn=turn)
        template = self.template(key)
        sentence = _sentence(render(template, WOORDEN, woorden=completion))
        lead = template.split("{woorden}")[0].strip()
        return Traced(sentence=sentence[:1].upper() + sentence[1:], turn=turn, template=lead)

    def virtues(self) -> Traced | None:
        chosen = [d.lower() for d in self.state.deugden]
        if not chosen:
            return None
        key = "deugden" if len(chosen) > 1 else "deugd"
        sentence = render(self.template(key), DEUGDEN, deugden=enumerate_nl(chosen))
        return Traced(sentence=sentence, turn=None, template=sentence)

    def virtue_opening(self) -> Traced | None:
        chosen = [d.lower() for d in self.state.deugden][:3]
        if not chosen:
            return None
        sentence = render(self.template("opening_deugden"), DEUGDEN, deugden=enumerate_nl(chosen))
        return Traced(sentence=sentence, turn=None, template=sentence)

    def text(self) -> tuple[str, list[Traced]]:
        kept = [[t for t in p if t.sentence] for p in self.paragraphs]
        kept = [p for p in kept if p]
        trace = [t for p in kept for t in p]
        return "\n\n".join(" ".join(t.sentence for t in p) for p in kept), trace


def _user_opening(state: SessionState, key: str) -> str:
    return state.openingen.get(key, "").strip()


def compose_beeld(
    state: SessionState, blocks: list[Bouwsteen], bank: QuestionBank
) -> tuple[str, list[Traced]]:
    """The beeld from the chosen blocks (the user's pick, or the proposed ones) and the
    completed openings; returns the text (paragraphs separated by a blank line) and its trace."""
    by_id = {b.id: b for b in blocks}
    picked = state.blocks_chosen is not None
    if picked:
        chosen = [by_id[i] for i in state.blocks_chosen or [] if i in by_id]
    else:
        chosen = [b for b in blocks if b.proposed]
    beeld = _Beeld(state, bank)
    opening: list[Traced] = []
    beeld.paragraphs.append(opening)
    if goed_werk := _user_opening(state, "goed_werk"):
        beeld.add(opening, beeld.opening("goed_werk", goed_werk, None))
    for block in [b for b in chosen if b.perspective is None]:
        beeld.add(opening, beeld.block(block))
    for own in state.eigen_zinnen:
        beeld.add(opening, Traced(sentence=_sentence(own), turn=None))
    romp = [b for b in chosen if b.perspective is not None]
    if not opening and romp:
        # The closing view stayed vague: open with the virtues and the strongest line; in a
        # pick the user ordered, their first block (their order stands).
        beeld.add(opening, beeld.virtue_opening())
        beeld.virtues_named = True
        strongest = romp[0] if picked else max(romp, key=_as_an_opening)
        beeld.add(opening, beeld.block(strongest))
    for pair, group in _groups(state, romp, picked):
        paragraph: list[Traced] = []
        beeld.paragraphs.append(paragraph)
        opened = {p for k, p in OPENING_PLACE.items() if p in pair and _user_opening(state, k)}
        perspectives = {b.perspective for b in group} | opened
        for perspective in METHOD_ORDER if not picked else _in_order(group):
            if perspective in perspectives:
                blocks_here = [b for b in group if b.perspective == perspective]
                _fill(beeld, paragraph, perspective, blocks_here)
    text, trace = beeld.text()
    if not picked:
        text, trace = _within_budget(beeld, trace)
    return text, trace


_GOOD_WORK_IS = re.compile(r"^\s*goed werk (is|vraagt|betekent)\b", re.IGNORECASE)


def _as_an_opening(block: Bouwsteen) -> tuple[int, int]:
    """How well a block stands in for a vague closing view: a "Goed werk is…" said earlier,
    then how one wants to be known, then what one does, then any other; the longer first
    (never one that points back or is half of the golden mean)."""
    if points_back(block.text) or GOLDEN_HALF.match(block.text):
        return (-1, 0)  # it leans on the sentence before, or is half of a pair
    if _GOOD_WORK_IS.match(block.text):
        return (3, len(words(block.text)))  # the closing view, said earlier in the session
    rank = 1 if block.perspective in (Perspectief.IDENTITEIT, Perspectief.HANDELINGEN) else 0
    if block.perspective is Perspectief.IDENTITEIT and SEEN_AS.search(block.text):
        rank = 2
    return (rank, len(words(block.text)))


def _groups(
    state: SessionState, romp: list[Bouwsteen], picked: bool
) -> list[tuple[tuple[Perspectief, ...], list[Bouwsteen]]]:
    """The blocks per paragraph with the pair of perspectives it belongs to: the method's
    pairs, or, when the user ordered them, a new paragraph wherever the pair changes; a pair
    with a completed opening but no block still gets its paragraph."""
    pair_of = {p: group for group in PARAGRAPHS for p in group}
    if not picked:
        return [(pair, [b for b in romp if b.perspective in pair]) for pair in PARAGRAPHS]
    groups: list[tuple[tuple[Perspectief, ...], list[Bouwsteen]]] = []
    for block in romp:
        pair = pair_of[block.perspective] if block.perspective else ()
        if groups and groups[-1][0] == pair:
            groups[-1][1].append(block)
        else:
            groups.append((pair, [block]))
    present = {pair for pair, _ in groups}
    for pair in PARAGRAPHS:
        opened = any(p in pair and _user_opening(state, k) for k, p in OPENING_PLACE.items())
        if opened and pair not in present:
            groups.append((pair, []))
    return groups


def _in_order(group: list[Bouwsteen]) -> list[Perspectief]:
    seen: list[Perspectief] = []
    for block in group:
        if block.perspective is not None and block.perspective not in seen:
            seen.append(block.perspective)
    return seen + [p for p in METHOD_ORDER if p not in seen]


def _fill(
    beeld: _Beeld, paragraph: list[Traced], perspective: Perspectief, blocks: list[Bouwsteen]
) -> None:
    """One perspective's part of a paragraph: its completed opening, the template sentence
    of the virtues, and the user's blocks."""
    state = beeld.state
    if perspective is Perspectief.HANDELINGEN and (doen := _user_opening(state, "doen")):
        item = beeld.opening("doen", doen, None)
        if belangrijk := _user_opening(state, "belangrijk"):
            because = render(beeld.template("belangrijk"), WOORDEN, woorden=belangrijk.rstrip("."))
            item = Traced(
                sentence=f"{item.sentence.rstrip('.')}, {because}.",
                turn=None,
                template=f"{item.template} … {beeld.template('belangrijk').split('{')[0]}",
            )
        beeld.add(paragraph, item)
    if perspective is Perspectief.WAARDEN_DEUGDEN and not beeld.virtues_named:
        beeld.add(paragraph, beeld.virtues())
    for block in blocks:
        item = beeld.block(block)
        last = paragraph[-1] if paragraph else None
        if last is not None and item.template and last.template == item.template:
            # Two "Ik wil gekend worden als …" in a row read as one: joined with a colon.
            rest = item.sentence[len(item.template) + 1 :]
            paragraph[-1] = Traced(
                sentence=f"{last.sentence.rstrip('.')}: {rest}",
                turn=last.turn,
                template=last.template,
            )
            beeld.seen.add(item.sentence)
            continue
        beeld.add(paragraph, item)
    for key, place in OPENING_PLACE.items():
        completion = _user_opening(state, key)
        if place is perspective and key not in ("goed_werk", "doen") and completion:
            beeld.add(paragraph, beeld.opening(key, completion, None))


def _within_budget(beeld: _Beeld, trace: list[Traced]) -> tuple[str, list[Traced]]:
    """The automatic draft within BEELD_WORDS. A sentence goes from the perspective that has
    the most of them; never the opening, a perspective's only sentence, or one half of the
    user's golden mean; of those, the one that says least about its perspective (a short line
    naming the virtues the draft has just named says least)."""
    perspective_of = {a.turn: a.perspective for a in beeld.state.answers}
    while sum(len(words(t.sentence)) for t in trace) > BEELD_WORDS:
        items = [
            (paragraph, item, perspective_of.get(item.turn or -1))
            for paragraph in beeld.paragraphs[1:]
            for item in paragraph
            if item.turn is not None
        ]
        counts = Counter(perspective for *_, perspective in items)
        droppable = [
            (paragraph, item, perspective)
            for paragraph, item, perspective in items
            if counts[perspective] > 1 and not GOLDEN_HALF.match(item.sentence)
        ]
        if not droppable:
            break
        most = max(counts[perspective] for *_, perspective in droppable)
        paragraph, drop, _ = min(
            (d for d in droppable if counts[d[2]] == most),
            key=lambda d: (
                telling(d[1].sentence, d[2])
                - (5 if only_names_virtues(d[1].sentence, beeld.state) else 0)
            ),
        )
        paragraph.remove(drop)
        _, trace = beeld.text()
    return beeld.text()


# ----- the kenmerkende ervaring -----------------------------------------------------------------

# A sentence addressed to the assistant, not part of the story ("Wil weten of ik dat goed deed").
_TO_THE_TOOL = re.compile(
    r"^\s*(ik |we |wij )?(wil|willen) (graag |even )?(ons |me |mij )?(weten|nadenken|"
    r"reflecteren|voorbereiden|kijken|terugkijken|terugblikken|checken|nagaan)\b|\b(help me|"
    r"kun je|kan je|kunt u|ik weet eigenlijk niet (goed )?waar ik moet beginnen|"
    r"daar willen (we|wij) (samen )?over nadenken|hoe pak ik dat aan|hoe pakken we dat aan)|"
    r"^\s*sorry\b|\bik merk (nu )?dat ik\b|\b(hierheen|hier naartoe|reflectiedingen|"
    r"dit soort (reflectie|gesprekken|dingen|oefeningen)|deze tool|dit programma)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r",\s+(?=(?:en|maar)\s)", re.IGNORECASE)


def _without_tool_talk(sentence: str) -> str:
    """The sentence without its clauses addressed to the assistant ("…, en ik ben niet zo van
    dit soort reflectiedingen"); empty when it is all tool talk."""
    if not _TO_THE_TOOL.search(sentence):
        return sentence
    said, because, reason = sentence.partition(", want ")
    if because and _TO_THE_TOOL.search(said) and not _TO_THE_TOOL.search(reason):
        # "We willen ons voorbereiden, want we zijn het onderling ook niet eens.": the reason
        # belongs to the story.
        return reason[:1].upper() + reason[1:]
    clauses = _CLAUSE.split(sentence.strip().rstrip(".!"))
    kept = [c for c in clauses if not _TO_THE_TOOL.search(c)]
    if not kept or kept[0] != clauses[0]:
        return ""  # the main clause itself talks to the assistant
    return ", ".join(kept) + "."


def _story_sentences(state: SessionState) -> list[str]:
    """The sentences of the description and the kop that may stand in the story."""
    told = [
        a.text
        for a in state.answers
        if a.step == "kop" and not a.vague and not listening.is_opinion(a.text)
    ]
    if listening.tells_a_story(state.beschrijving) or not told:
        # The description is the story's start when it tells one, or all there is.
        told.insert(0, state.beschrijving)
    kept = []
    for text in told:
        for sentence in split_sentences(text):
            sentence = _without_tool_talk(sentence)
            if not sentence or listening.is_opinion(sentence):
                continue
            if (cleaned := usable(sentence, min_words=1)) is not None and cleaned not in kept:
                kept.append(cleaned)
    return kept


# A sentence that leans on the one before it: a pointer, or a fragment that continues it
# ("Op die man, maar nog meer op dat mailtje.", "Alsof het een griepje was.").
_LEANS = re.compile(
    r"^(op|aan|met|voor|over|naar|bij|tegen|alsof|omdat|terwijl|zodat|want|maar)\b", re.I
)


def _story_units(sentences: list[str]) -> list[list[str]]:
    """The story's sentences in units that are kept or left out together: a sentence that
    leans on the one before it stays with it."""
    units: list[list[str]] = []
    for sentence in sentences:
        # "Het was een donderdag…" sets a scene of its own, in a story "het" points nowhere.
        pointer = points_back(sentence) and not sentence.lower().startswith("het ")
        leans = pointer or (_LEANS.match(sentence) and len(words(sentence)) <= 20)
        if units and leans:
            units[-1].append(sentence)
        else:
            units.append([sentence])
    return units


def _ervaring(state: SessionState) -> str:
    """The story: the sentences that carry the moment, in the order told, within
    ERVARING_WORDS (the units that carry least go first)."""
    sentences = _story_sentences(state)
    if not sentences:
        return state.beschrijving.strip()
    kept = _story_units(sentences)

    def weight(unit: list[str]) -> float:
        return max(listening.story_weight(s) for s in unit)

    while len(kept) > 1 and sum(len(words(s)) for u in kept for s in u) > ERVARING_WORDS:
        kept.remove(min(reversed(kept), key=weight))
    return " ".join(s for unit in kept for s in unit)


# ----- titles and the afbeelding ----------------------------------------------------------------

_HEDGE = re.compile(
    r"\b(denk ik|geloof ik|misschien|wellicht|eigenlijk|een beetje|soort van|zeg maar|of zo|"
    r"weet ik|hoop ik|bijvoorbeeld|gewoon|natuurlijk|ook wel|vooral)\b",
    re.IGNORECASE,
)
_PRONOUN_START = re.compile(
    r"^(ik|je|jij|jullie|we|wij|ze|zij|hij|het|dat|dit|die|deze|er|daar|mijn|ons|onze)\b",
    re.IGNORECASE,
)
# "Gastheer, geen scheidsrechter": a short sentence or clause of that shape as a whole.
_CONTRAST = re.compile(r"^(\w+(?: \w+){0,3}), (geen|niet) (\w+(?: \w+){0,3})$", re.IGNORECASE)
_NOT_BUT = re.compile(r"^niet (\w+(?: \w+){0,3}),? maar (\w+(?: \w+){0,3})$", re.IGNORECASE)
# "geen gunst, maar een besluit dat je de volgende keer ook zou nemen": the contrast inside a
# sentence, up to a relative clause.
_NO_BUT = re.compile(
    r"(?:^|[,:;]\s*)(geen|niet) (\w+(?: \w+){0,2}),? maar "
    r"(?!(?:ook|het|mijn|wel|dat|ze|we|wij|ik)\b)(\w+(?: \w+){0,3}?)"
    r"(?=\s+(?:dat|die|wat|waar|om|als|want|omdat)\b|\s*[,.;:!]|\s*$)",
    re.IGNORECASE,
)
# "Om half negen open", "Van een collega nog wel": a line that only completes another.
_ADVERB_START = re.compile(r"^(om|van|nog|alleen|pas|met|zonder|na|tot|sinds)\b", re.I)
# "Eerst oppakken, dan teruggeven aan wie het hoort": an order of two steps.
_FIRST_THEN = re.compile(
    r"\b(eerst \w+(?: \w+){0,2}),? dan (\w+(?: \w+){0,2}?)"
    r"(?=\s+(?:aan|wie|wat|als|waar)\b|[,.;:!]|$)",
    re.I,
)
# "Een wetboek dat openligt": "dat" and "die" after a noun open a relative clause, no pointer.
_RELATIVE = re.compile(r"\b((?:een|de|het) \w+) (?:dat|die)\b", re.IGNORECASE)
# "…, niet als de verlengde arm van de wethouder": the "niet" part at the end of a sentence.
_NOT_TAIL = re.compile(r", (niet (?:als )?(?:\w+ ){1,6}\w+)$", re.IGNORECASE)
# Persons and pointers lose their meaning on a title page ("Niet iemand waar ze omheen werken").
_PERSONAL = re.compile(
    r"\b(ik|me|mij|mijn|je|jij|jou|jouw|we|wij|ons|onze|ze|zij|hen|hem|hij|dat|dit|daarvan|"
    r"daarin|daarmee|"
    r"daarover|die|deze)\b",
    re.IGNORECASE,
)
# A title does not open with a word that subordinates or joins ("Terwijl…", "Want…"); "Als
# een …" is an image and may.
_JOINING_START = re.compile(
    r"^(en|maar|of|want|dus|terwijl|omdat|zodat|doordat|hoewel|als(?! een\b)|dan|toen|daarna|"
    r"bijvoorbeeld|vinden|vind|is|zijn|was|waren|ipv|in plaats van|te weinig|te veel|ook|"
    r"goed werk|nog|hoe|wat|wie|waarom|kunnen|kun|kan|wil|wilt|willen|moet|moeten|mag|heeft|"
    r"heb|had|hebben|ga|gaat|ben|zit)\b",
    re.IGNORECASE,
)


# "Kennis over eigenaarschap hielp ook": a line that ends leaning on what came before.
_LEANING_END = re.compile(r"\b(ook|wel|toch|nog|al|dus|daar|erbij)$", re.IGNORECASE)


def _title_ok(title: str, content_words: int = 2) -> bool:
    """A title: 2–8 words, two content words of its own (the image's noun may stand alone: "Een
    estafettestokje"), no hedge, no pronoun first, no question."""
    n = len(words(title))
    return (
        2 <= n <= 8
        and len(title) <= TITLE_CHARS
        and "?" not in title
        and ". " not in title  # one line, not two sentences
        and not _HEDGE.search(title)
        and not _PRONOUN_START.match(title)
        and not _JOINING_START.match(title)
        and not _LEANING_END.search(title)
        and not _PERSONAL.search(_RELATIVE.sub(r"\1", title))
        and len(set(analyse(title)) - ECHO_STEMS) >= content_words
        and not never_in_a_beeld(title, min_words=0)  # meta, advice, confirmation
        and words(title)[0] not in first_names()  # "Peter wil twee scenario's laten zien"
    )


def _as_title(text: str) -> str:
    text = text.strip(" .!…\"“”'‘’,;:")
    # A quote cut off at the end loses its opening mark too ("Niet de wethouder of het budget").
    for opening, closing in (("'", "'"), ("‘", "’"), ("“", "”"), ('"', '"')):
        start = re.search(rf"(^|\s){re.escape(opening)}(?=\w)", text)
        if start and closing not in text[start.end() :]:
            text = text[: start.end() - 1] + text[start.end() :]
    return text[:1].upper() + text[1:]


def _user_texts(state: SessionState) -> list[str]:
    stored = {a.turn for a in state.answers}
    first_user = next((i for i, t in enumerate(state.turns) if t.role == "user"), None)
    return [
        t.text
        for i, t in enumerate(state.turns)
        if t.role == "user" and (i in stored or i == first_user)
    ]


def _titles(state: SessionState, virtues: list[str], blocks: list[Bouwsteen]) -> list[str]:
    """Title suggestions, the most catching first: a contrast, the image, something said,
    the strongest short line, the virtues."""
    texts = _user_texts(state)
    candidates: list[str] = []
    for text in texts:
        for sentence in split_sentences(text):
            for clause in [sentence, *re.split(r"[:;]\s*", sentence)]:
                clause = clause.strip(" .!…")
                if match := _CONTRAST.match(clause):
                    candidates.append(f"{match.group(1)}, {match.group(2)} {match.group(3)}")
                if match := _NOT_BUT.match(clause):
                    candidates.append(f"{match.group(2)}, niet {match.group(1)}")
                if (match := _NO_BUT.search(clause)) and not _NOT_BUT.match(clause):
                    no = match.group(1).capitalize()
                    candidates.append(f"{no} {match.group(2)}, maar {match.group(3)}")
                if match := _FIRST_THEN.search(clause):
                    candidates.append(f"{match.group(1)}, dan {match.group(2)}")
                if match := _NOT_TAIL.search(clause):
                    candidates.append(match.group(1))
    image = _image_text(state)
    images: set[str] = set()
    if image:
        first = split_sentences(image)[0]
        # "Een rotonde met heel veel afslagen en wij als …": the image's first noun phrase.
        phrase = re.split(r",| en (?=wij|we|ik|mij|ons)\b", first)[0]
        # Its head: up to a relative clause ("Een tafel met acht stoelen en een olifant"), or
        # when that is still long, up to "met" ("Een bouwtekening", not "… al ingekleurd").
        head = re.split(r"\s(?:die|dat|waar|waarin|waarop)\s", first)[0]
        if len(words(head)) > 8:
            head = re.split(r"\s(?:met|van|vol)\s", head)[0]
        images = {image, first, phrase, head}
        candidates += [image, first, phrase, head]
        candidates += [
            p.text for p in listening.phrases(image) if p.kind is listening.Kind.METAFOOR
        ]
    for text in texts:
        candidates += [
            p.text
            for p in listening.phrases(text)
            if p.kind is listening.Kind.CITAAT and not _negated(text, p.text)
        ]
        candidates += [p.text for p in listening.phrases(text) if p.kind is listening.Kind.METAFOOR]
    # Whole short sentences, the first clause of a longer one ("Veiligheid is niet
    # onderhandelbaar, daar heb ik mandaat voor") and a thing named in passing ("…, een pilot
    # in één polder, …"); other later clauses lean on the first.
    short = [
        part
        for b in blocks
        for sentence in split_sentences(b.text)
        for i, part in enumerate([sentence, *re.split(r"[,:;–]\s*", sentence)])
        if i <= 1 or part.lower().startswith("een ")
        if 2 <= len(words(part)) <= 7 and not _ADVERB_START.match(part)
    ]
    candidates += sorted(short, key=lambda s: -len(set(analyse(s)) - ECHO_STEMS))
    named = state.deugden or find_virtues(" ".join(texts), virtues)
    if len(named) >= 2:
        candidates.append(f"{named[0].capitalize()} en {named[1].lower()}")
    elif named:
        candidates.append(f"{named[0].capitalize()} in de samenwerking")
    unique: list[str] = []
    for candidate in candidates:
        title = _as_title(candidate)
        ok = _title_ok(title, content_words=1 if candidate in images else 2)
        # "Eerst oppakken" after "Eerst oppakken, dan teruggeven" says less of the same.
        # …nor the same contrast the other way round.
        same_words = any(set(analyse(u)) == set(analyse(title)) for u in unique)
        if ok and not same_words and not any(u.lower().startswith(title.lower()) for u in unique):
            unique.append(title)
    if not unique:
        unique.append(
            "Mijn beeld van goed werk" if state.wie == "ik" else "Ons beeld van goed werk"
        )
    return unique[:5]


def _negated(text: str, quote: str) -> bool:
    """Whether `quote` stands in `text` as what the user is not ("niet als 'de gemeente die
    weer met een plannetje komt'"): as a title it would say the opposite."""
    before = r"\b(niet|geen)\b(\s+(als|de|het|een|meer|langer))?\s*['‘\"“]\s*"
    return bool(re.search(before + re.escape(quote), text, re.IGNORECASE))


def _image_text(state: SessionState) -> str:
    """The user's description of the image: never a confirmation or "klaar"."""
    answers = [a.text.strip() for a in state.answers if a.step == "afbeelding" and a.text.strip()]
    for answer in reversed(answers):
        kept = [s for s in split_sentences(answer) if not never_in_a_beeld(s, min_words=1)]
        if kept:
            return " ".join(kept)
    return ""


def _afbeelding(state: SessionState) -> str:
    """The user's description of the image; the invitation to add one only while there is
    neither a description nor an uploaded picture."""
    return _image_text(state) or ("" if state.image else NO_IMAGE_YET)


def compose_a4(state: SessionState, virtues: list[str], bank: QuestionBank) -> ComposedA4:
    """Draft the rich A4 from the session's answers (the user's own words, a few template
    words marked in the trace)."""
    blocks = building_blocks(state)
    beeld, trace = compose_beeld(state, blocks, bank)
    titles = _titles(state, virtues, blocks)
    a4 = A4(
        titel=titles[0],
        kenmerkende_ervaring=_ervaring(state),
        beeld=beeld,
        afbeelding=_afbeelding(state),
    )
    return ComposedA4(a4=a4, titles=titles, trace=trace)
