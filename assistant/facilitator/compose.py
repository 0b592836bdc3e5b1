"""Composing the rich A4 from the user's own words, without an LLM.

Every sentence of the beeld is a sentence the user wrote (traceable to its turn); titles are
short phrases from the user's answers or the virtues they chose. Nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import A4, SessionState
from assistant.facilitator.language import find_virtues, judge_vagueness
from assistant.facilitator.library import PERSPECTIVE_STEMS
from assistant.facilitator.listening import tells_a_story
from assistant.text import analyse, split_sentences, words

TITLE_CHARS = 90
ERVARING_WORDS = 220
BEELD_WORDS = 230
SENTENCES_PER_PERSPECTIVE = 2
# Words a title shares with the questions themselves ("goed werk", "beeld", "situatie"):
# a title needs two content words besides these (the team draft uses the same).
ECHO_STEMS = frozenset(analyse("goed werk beeld hier situatie"))
NO_IMAGE_YET = "Nog geen afbeelding: voeg een plaatje toe of beschrijf een beeld dat past."


@dataclass(frozen=True)
class ComposedA4:
    """A draft A4 with title suggestions and where each beeld sentence came from."""

    a4: A4
    titles: list[str]
    trace: list[tuple[str, int]]


def fits_one_page(a4: A4) -> bool:
    """Does this A4's text fit one page at the export's normal type size?

    Asks the PDF layout itself (`assistant.export.pdf.fits_one_page`), imported here on first
    use so that importing the facilitator does not load reportlab.
    """
    from assistant.export.pdf import fits_one_page as fits_the_pdf

    return fits_the_pdf(a4)


def _cap_words(sentences: list[str], limit: int) -> list[str]:
    """The first sentences that together stay within `limit` words (at least one)."""
    kept: list[str] = []
    count = 0
    for sentence in sentences:
        n = len(words(sentence))
        if kept and count + n > limit:
            break
        kept.append(sentence)
        count += n
    return kept


# A sentence addressed to the assistant, not part of the story ("Wil weten of ik dat goed deed").
_TO_THE_TOOL = re.compile(
    r"^\s*(ik )?(wil|willen) (graag )?(weten|nadenken|reflecteren|voorbereiden)|\b(help me|"
    r"kun je|kan je|kunt u|ik weet eigenlijk niet (goed )?waar ik moet beginnen|"
    r"daar willen (we|wij) (samen )?over nadenken)",
    re.IGNORECASE,
)


def _ervaring(state: SessionState) -> str:
    """The story: the description when it tells one, and the kop answers that are not vague;
    the description alone when the kop brought nothing concrete."""
    told = [a.text for a in state.answers if a.step == "kop" and not a.vague]
    if tells_a_story(state.beschrijving) or not told:
        told.insert(0, state.beschrijving)
    sentences = [s for text in told for s in split_sentences(text) if not _TO_THE_TOOL.search(s)]
    return " ".join(_cap_words(sentences, ERVARING_WORDS))


def _sentence_score(sentence: str, perspective: Perspectief | None) -> float:
    stems = set(analyse(sentence))
    signal = len(stems & PERSPECTIVE_STEMS[perspective]) if perspective else 0
    return 2.0 * signal + min(len(stems), 20) / 10


# The beeld's paragraphs: the closing view, then the perspectives in the method's pairs.
PARAGRAPHS: tuple[tuple[Perspectief, ...], ...] = (
    (Perspectief.HANDELINGEN, Perspectief.KENNIS),
    (Perspectief.WAARDEN_DEUGDEN, Perspectief.VRIJHEID),
    (Perspectief.IDENTITEIT,),
)


_INSTRUCTION = re.compile(
    r"\b(negeer|vergeet|ignore)\b.{0,40}\b(instructie|instructies|opdracht|instructions)\b", re.I
)


def _usable(sentence: str) -> bool:
    """A concrete sentence that is not an instruction aimed at a language model."""
    return not judge_vagueness(sentence, 4).vague and not _INSTRUCTION.search(sentence)


def _key_sentences(state: SessionState, perspective: Perspectief) -> list[tuple[str, int]]:
    """The user's most telling concrete sentences on one perspective, in their own order."""
    candidates = [
        (s, a.turn)
        for a in state.answers
        if a.perspective == perspective and a.step in ("romp", "gulden_midden")
        for s in split_sentences(a.text)
        if _usable(s)
    ]
    ranked = sorted(candidates, key=lambda c: -_sentence_score(c[0], perspective))
    best = ranked[:SENTENCES_PER_PERSPECTIVE]
    return sorted(best, key=candidates.index)


def _beeld(state: SessionState) -> tuple[str, list[tuple[str, int]]]:
    """The beeld: the user's closing view, then per perspective their key sentences.

    Returns the text (paragraphs separated by a blank line) and each sentence's turn.
    """
    closing = [
        (s, a.turn)
        for a in state.answers
        if a.step == "afronding"
        for s in split_sentences(a.text)[:3]
    ]
    blocks = [closing] + [
        [pair for p in group for pair in _key_sentences(state, p)] for group in PARAGRAPHS
    ]
    seen: set[str] = set()
    budget = BEELD_WORDS
    paragraphs: list[str] = []
    trace: list[tuple[str, int]] = []
    for block in blocks:
        kept = []
        for sentence, turn in block:
            size = len(words(sentence))
            if sentence in seen or (trace and size > budget):
                continue
            seen.add(sentence)
            budget -= size
            kept.append(sentence)
            trace.append((sentence, turn))
        if kept:
            paragraphs.append(" ".join(kept))
    return "\n\n".join(paragraphs), trace


def _phrases(text: str) -> list[str]:
    """Short phrases (2-7 words) from a text: whole short sentences first, then clauses."""
    sentences = [s.strip(" .!?…\"“”'‘’") for s in split_sentences(text)]
    short = [s for s in sentences if 2 <= len(words(s)) <= 7]
    clauses = [
        c.strip(" .!?…\"“”'‘’")
        for s in sentences
        for c in re.split(r"[,:;–]| maar | want | omdat ", s)
    ]
    short += [c for c in clauses if 2 <= len(words(c)) <= 7 and c not in short]
    # A title needs two content words of its own, not an echo of the question ("goed werk").
    return [p for p in short if len(set(analyse(p)) - ECHO_STEMS) >= 2]


def _titles(state: SessionState, virtues: list[str]) -> list[str]:
    """Title suggestions: short phrases the user wrote, and the virtues they named."""
    suggestions: list[str] = []
    for answer in [a for a in state.answers if a.step in ("afronding", "afbeelding")]:
        for phrase in _phrases(answer.text):
            suggestions.append(phrase[0].upper() + phrase[1:])
    named = state.deugden or find_virtues(" ".join(a.text for a in state.answers), virtues)
    if len(named) >= 2:
        suggestions.append(f"{named[0].capitalize()} en {named[1].lower()}")
    elif named:
        suggestions.append(named[0].capitalize())
    if state.wie == "ik" and not suggestions:
        suggestions.append("Mijn beeld van goed werk")
    elif not suggestions:
        suggestions.append("Ons beeld van goed werk")
    unique: list[str] = []
    for s in suggestions:
        if s.lower() not in {u.lower() for u in unique} and len(s) <= TITLE_CHARS:
            unique.append(s)
    return unique[:5]


def _afbeelding(state: SessionState) -> str:
    answers = [a.text for a in state.answers if a.step == "afbeelding" and a.text.strip()]
    return answers[-1].strip() if answers else NO_IMAGE_YET


def compose_a4(state: SessionState, virtues: list[str]) -> ComposedA4:
    """Draft the rich A4 from the session's answers (the user's own words only)."""
    beeld, trace = _beeld(state)
    titles = _titles(state, virtues)
    a4 = A4(
        titel=titles[0],
        kenmerkende_ervaring=_ervaring(state),
        beeld=beeld,
        afbeelding=_afbeelding(state),
    )
    return ComposedA4(a4=a4, titles=titles, trace=trace)
