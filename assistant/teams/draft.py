"""Drafting the team's shared rich A4 from the participants' contributions, without an LLM.

The handreiking asks the begeleider to "Draag zorg voor de samenvatting van de inzichten in
een beeld van goed werk". The draft only selects: every sentence in it is a sentence one
participant wrote, verbatim, and gets a `TraceItem` naming the contribution it came from.
The group then edits it. Sentences that use words others used too are preferred: they carry
what the group shares.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.domain.perspectives import METHOD_ORDER, Perspectief
from assistant.domain.session import A4
from assistant.export.pdf import fits_one_page
from assistant.facilitator.compose import (
    BEELD_WORDS,
    ECHO_STEMS,
    ERVARING_WORDS,
    PARAGRAPHS,
    TITLE_CHARS,
)
from assistant.facilitator.language import judge_vagueness
from assistant.facilitator.library import PERSPECTIVE_STEMS
from assistant.facilitator.selection import never_in_a_beeld, points_back
from assistant.teams.compare import shared_stems
from assistant.teams.models import Contribution, TraceField, TraceItem
from assistant.text import analyse, split_sentences, words

SENTENCES_PER_PERSPECTIVE = 2
# The staart paragraph: at most this many proposals, one per participant before a second.
STAART_SENTENCES = 4
AFBEELDING_WORDS = 40
CHARS_PER_WORD = 8
FALLBACK_TITLE = "Ons beeld van goed werk"
_IMAGE_WORDS = re.compile(
    r"\b(plaatje|foto|afbeelding|tekening|metafoor|schilderij|symbool|beeld van een)\b", re.I
)
_ECHO_OPENING = re.compile(r"^(goed werk is|goed werk betekent)( dat)?\s+", re.I)
_FIRST_PERSON = frozenset("ik mij me mijn".split())
_CLAUSE = re.compile(r"[,:;–]| maar | want | omdat ")
_PUNCTUATION = " .!?…\"“”'‘’"


@dataclass(frozen=True)
class Piece:
    """A sentence (or phrase) of one contribution, with whose it is."""

    text: str
    contribution: Contribution
    label: str
    position: tuple[int, int]  # (participant order, sentence index): the reading order
    cut: bool = False  # only the first part of a very long sentence; shown with "…"

    @property
    def shown(self) -> str:
        """The text as it stands in the A4."""
        return f"{self.text}…" if self.cut else self.text

    def trace(self, field: TraceField) -> TraceItem:
        """Where this piece came from, for one A4 field."""
        return TraceItem(
            field=field, sentence=self.text, contribution_id=self.contribution.id, label=self.label
        )


class Drafter:
    """Selects the A4's sentences from one team's contributions."""

    def __init__(self, contributions: Sequence[Contribution], labels: dict[str, str]) -> None:
        order = {pid: i for i, pid in enumerate(labels)}
        self.labels = labels
        self.by_part: dict[str, list[Contribution]] = {}
        for c in sorted(contributions, key=lambda c: order.get(c.participant_id, len(order))):
            if c.participant_id in labels and c.text.strip():
                self.by_part.setdefault(c.part, []).append(c)
        self.order = order
        per_person: dict[str, list[str]] = {}
        for c in contributions:
            if c.participant_id in labels:
                per_person.setdefault(c.participant_id, []).append(c.text)
        self.shared = shared_stems([" ".join(texts) for texts in per_person.values()])

    def pieces(self, part: str) -> list[Piece]:
        """Every sentence written on a part, in reading order."""
        return [
            Piece(s, c, self.labels[c.participant_id], (self.order[c.participant_id], i))
            for c in self.by_part.get(part, [])
            for i, s in enumerate(split_sentences(c.text))
        ]

    def score(self, text: str, perspective: Perspectief | None = None) -> float:
        """How much a sentence carries: words the group shares, the perspective's words, length."""
        stems = set(analyse(text))
        signal = len(stems & PERSPECTIVE_STEMS[perspective]) if perspective else 0
        return 2.0 * len(stems & self.shared) + 2.0 * signal + min(len(stems), 20) / 10

    def ervaring(self) -> list[Piece]:
        """The most telling kop story, whole or up to the A4's limit: one story, one voice."""
        stories = self.by_part.get("kop", [])
        if not stories:
            return []

        def telling(c: Contribution) -> float:
            concrete = 0.0 if judge_vagueness(c.text).vague else 5.0
            return concrete + self.score(c.text)

        best = max(stories, key=telling)
        pieces = [p for p in self.pieces("kop") if p.contribution.id == best.id]
        return _cap_words(pieces, ERVARING_WORDS)

    def staart(self) -> list[Piece]:
        """Each participant's strongest proposal, round by round, in reading order."""
        ranked: dict[str, list[Piece]] = {}
        for piece in self.pieces("staart"):
            if _usable(piece.text):
                ranked.setdefault(piece.contribution.id, []).append(piece)
        for pieces in ranked.values():
            pieces.sort(key=lambda p: -self.score(p.text))
        chosen: list[Piece] = []
        for rank in range(max((len(p) for p in ranked.values()), default=0)):
            for pieces in ranked.values():
                if rank < len(pieces) and len(chosen) < STAART_SENTENCES:
                    chosen.append(pieces[rank])
        return sorted(chosen, key=lambda p: p.position)

    def perspective(self, perspective: Perspectief) -> list[Piece]:
        """The strongest sentences on one perspective, from different people where possible."""
        candidates = [p for p in self.pieces(perspective.value) if _usable(p.text)]
        ranked = sorted(candidates, key=lambda p: -self.score(p.text, perspective))
        chosen: list[Piece] = []
        for piece in ranked:
            if len(chosen) == SENTENCES_PER_PERSPECTIVE:
                break
            others_left = any(q.label not in {c.label for c in chosen} for q in ranked)
            if piece.label in {c.label for c in chosen} and others_left:
                continue
            chosen.append(piece)
        for piece in ranked:  # too few people wrote here: fill up from the same people
            if len(chosen) < SENTENCES_PER_PERSPECTIVE and piece not in chosen:
                chosen.append(piece)
        return sorted(chosen, key=lambda p: p.position)

    def beeld(self, exclude: Piece | None = None) -> list[list[Piece]]:
        """The beeld's paragraphs: the proposals, then the perspectives in the method's pairs.

        `exclude` (the afbeelding's sentence) is not repeated in the beeld.
        """
        blocks = [self.staart()] + [
            [piece for p in group for piece in self.perspective(p)] for group in PARAGRAPHS
        ]
        seen: set[str] = set()
        budget = BEELD_WORDS
        paragraphs: list[list[Piece]] = []
        for block in blocks:
            kept: list[Piece] = []
            for piece in block:
                size = len(words(piece.text))
                key = piece.text.casefold()
                if key in seen or (budget < BEELD_WORDS and size > budget):
                    continue
                if exclude and (piece.contribution.id, piece.position) == (
                    exclude.contribution.id,
                    exclude.position,
                ):
                    continue
                if size > budget or len(piece.text) > budget * CHARS_PER_WORD:
                    piece = _cut(piece, budget)  # a first sentence longer than the whole beeld
                seen.add(key)
                budget -= size
                kept.append(piece)
            if kept:
                paragraphs.append(kept)
        return paragraphs

    def title(self) -> Piece | None:
        """A short phrase that holds most of what the group shares, preferably from a proposal."""
        best: tuple[float, Piece] | None = None
        parts = [("staart", 3.0)] + [(p.value, 0.0) for p in METHOD_ORDER]
        for part, bonus in parts:
            for piece in self.pieces(part):
                for phrase in _phrases(piece.text):
                    stems = set(analyse(phrase)) - ECHO_STEMS
                    if len(stems) < 2 or len(phrase) > TITLE_CHARS:
                        continue
                    # One person's "ik" reads oddly as the group's title.
                    personal = 2.0 if _FIRST_PERSON & {w.lower() for w in words(phrase)} else 0.0
                    score = 2.0 * len(stems & self.shared) + bonus - personal
                    if best is None or score > best[0]:
                        best = (
                            score,
                            Piece(phrase, piece.contribution, piece.label, piece.position),
                        )
        return best[1] if best else None

    def afbeelding(self) -> Piece | None:
        """The first staart sentence that describes a picture or a metaphor, if any."""
        found = next((p for p in self.pieces("staart") if _IMAGE_WORDS.search(p.text)), None)
        return _cap_words([found], AFBEELDING_WORDS)[0] if found else None


def _usable(sentence: str) -> bool:
    """A sentence that may carry part of a shared beeld (the same rules as a personal one):
    concrete, no question, meta-talk, advice, filler or hedge, not pointing back."""
    return (
        not judge_vagueness(sentence, 4).vague
        and not never_in_a_beeld(sentence)
        and not points_back(sentence)
    )


def _cap_words(pieces: list[Piece], limit: int) -> list[Piece]:
    """The first pieces that together stay within `limit` words.

    A first sentence longer than that on its own is cut after `limit` words.
    """
    kept: list[Piece] = []
    count = 0
    for piece in pieces:
        n = len(words(piece.text))
        if not kept and (n > limit or len(piece.text) > limit * CHARS_PER_WORD):
            return [_cut(piece, limit)]
        if count + n > limit:
            break
        kept.append(piece)
        count += n
    return kept


def _cut(piece: Piece, limit: int) -> Piece:
    """The piece's first `limit` words, verbatim (a prefix of the sentence).

    Words are counted generously long (`CHARS_PER_WORD`), so one endless word is cut too.
    """
    tokens = list(re.finditer(r"\S+", piece.text))[:limit]
    end = min(tokens[-1].end() if tokens else 0, limit * CHARS_PER_WORD)
    text = piece.text[:end].rstrip(",;:–-")
    return Piece(text, piece.contribution, piece.label, piece.position, cut=True)


def _phrases(sentence: str) -> list[str]:
    """Short phrases (2-7 words) in a sentence, verbatim: the sentence itself, then its clauses.

    A proposal's opening echo of the question ("Goed werk is (dat)") is left off.
    """
    whole = sentence.strip(_PUNCTUATION)
    phrases = [whole] + [c.strip(_PUNCTUATION) for c in _CLAUSE.split(whole)]
    phrases += [_ECHO_OPENING.sub("", p) for p in phrases]
    unique = list(dict.fromkeys(p for p in phrases if 2 <= len(words(p)) <= 7))
    return [p for p in unique if p in sentence]


def compose_team_a4(
    contributions: Sequence[Contribution], labels: dict[str, str]
) -> tuple[A4, list[TraceItem]]:
    """The shared A4 from contributions of the participants in `labels` (id → label, join order).

    Returns the A4 and where each of its sentences came from.
    """
    drafter = Drafter(contributions, labels)
    ervaring = drafter.ervaring()
    image = drafter.afbeelding()
    paragraphs = drafter.beeld(exclude=image)
    title = drafter.title()

    def compose() -> A4:
        return A4(
            titel=(title.text[0].upper() + title.text[1:]) if title else FALLBACK_TITLE,
            kenmerkende_ervaring=" ".join(p.shown for p in ervaring),
            beeld="\n\n".join(" ".join(p.shown for p in block) for block in paragraphs),
            afbeelding=image.text if image else "",
        )

    a4 = compose()
    while not fits_one_page(a4) and sum(len(b) for b in paragraphs) > 1:
        paragraphs[-1].pop()  # the last, least central sentence goes first
        paragraphs = [b for b in paragraphs if b]
        a4 = compose()
    trace = [title.trace("titel")] if title else []
    trace += [p.trace("kenmerkende_ervaring") for p in ervaring]
    trace += [p.trace("beeld") for block in paragraphs for p in block]
    trace += [image.trace("afbeelding")] if image else []
    return a4, trace
