"""The building blocks of a beeld: the user's own strongest sentences, by perspective.

After the staart the user writes the beeld, as the method intends, from blocks the tool lays
out: per perspective the sentences that may stand in a shared A4 (see `selection`), each with
the turn it came from, the strongest first; the closing view first of all. A sentence that
points back ("Dat laatste wist ik niet.") travels with the sentence it points at, so a block
always stands on its own. The ids are stable for a session (turn and sentence number), so a
script or the page can pick and order them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain.perspectives import METHOD_ORDER, Perspectief
from assistant.domain.session import Answer, Bouwsteen, SessionState
from assistant.facilitator.language import judge_vagueness
from assistant.facilitator.library import PERSPECTIVE_STEMS
from assistant.facilitator.selection import continues, points_back, usable, without_leading_and
from assistant.text import analyse, split_sentences

# Blocks offered per perspective, and how many of them the automatic draft takes.
OFFERED_PER_PERSPECTIVE = 4
PROPOSED_PER_PERSPECTIVE = 2
CLOSING_SENTENCES = 3


# The heart of the identity perspective: "Ik wil gezien worden als…", "We willen gekend worden…".
SEEN_AS = re.compile(
    r"\b(wil|willen) (\w+ ){0,2}(gezien|gekend|bekend staan)\b|"
    r"\b(wil|willen) dat (ze|men|mensen|anderen) (me|mij|ons) (kennen|zien) als\b|"
    # "Ik wil dat zij weet dat haar vader het goed gedaan heeft."
    r"\b(wil|willen) dat (\w+ ){1,2}(weet|weten|ziet|zien) dat\b",
    re.IGNORECASE,
)
# A contrast says what it is by what it is not: "Niet als verrader van de ene…", "…, geen gunst".
_CONTRAST = re.compile(r"^niet (als|de|het|een)\b|, (geen|niet)\b|\bgeen \w+,? maar\b", re.I)


def telling(text: str, perspective: Perspectief | None) -> float:
    """How telling a block is for its perspective: the perspective's own words, then length."""
    stems = set(analyse(text))
    signal = len(stems & PERSPECTIVE_STEMS[perspective]) if perspective else 0
    if perspective is Perspectief.IDENTITEIT and SEEN_AS.search(text):
        signal += 2
    if _CONTRAST.search(text):
        signal += 1
    return 2.0 * signal + min(len(stems), 20) / 10


# A verdict rather than what one does, knows or wants ("Wat ons betreft is het probleem
# gewoon dat Den Haag…", "Dat weet iedereen."); "dat vind ik het zwaarst" is a feeling.
_VERDICT = re.compile(
    r"\b(wat (mij|ons) betreft|ik vind dat|(wij|we) vinden dat|vinden (wij|we) dat|"
    r"het probleem is (gewoon )?dat|dat weet iedereen)\b",
    re.IGNORECASE,
)


def _weigh(text: str, perspective: Perspectief, answer: Answer, state: SessionState) -> float:
    """A block's score; on values the user's own golden mean (te weinig, te veel) comes
    first and a line that only names the virtues (the draft names them) last. A verdict
    comes after what the user does, knows or wants: a shared beeld is not a complaint."""
    score = telling(text, perspective)
    if answer.step != "gulden_midden" and _VERDICT.search(text):
        score -= 4
    if perspective is Perspectief.WAARDEN_DEUGDEN:
        if answer.step == "gulden_midden":
            score += 5
        if only_names_virtues(text, state):
            score -= 5
    return score


def only_names_virtues(text: str, state: SessionState) -> bool:
    """A short line that names the chosen virtues ("Loyaliteit, maar aan wie dan."): the
    draft names them in its own sentence, so the line says little after it."""
    named = any(d.lower() in text.lower() for d in state.deugden)
    return named and len(text.split()) <= 8


# One half of the user's golden mean ("Te weinig zorgzaamheid was dat mailtje.").
GOLDEN_HALF = re.compile(r"^te (weinig|veel)\b", re.IGNORECASE)


def _blocks_of(answer: Answer) -> list[tuple[str, int]]:
    """The usable sentences of one answer as blocks, each with its first sentence number in
    the answer. A pointing sentence is joined to the one before it; when that one is short
    and follows on from the block before ("…ik heb de moeder zelf gebeld. Normaal lees ik
    alleen het dossier. Ze was zo bang…"), the three read as one block."""
    blocks: list[_Run] = []
    previous: _Run | None = None
    for n, sentence in enumerate(split_sentences(answer.text)):
        cleaned = usable(sentence)
        if cleaned is None:
            previous = None
            continue
        if points_back(cleaned) and previous is None:
            # Without what it points at it cannot stand alone; "En we moeten weten…" can,
            # without its "En".
            cleaned = without_leading_and(cleaned)
            if points_back(cleaned):
                continue
        elif previous is not None and (points_back(cleaned) or continues(cleaned)):
            blocks.pop()
            before = blocks[-1] if blocks else None
            if before is not None and before.last == previous.first - 1 and previous.short:
                blocks.pop()
                previous = before.joined(previous)
            previous = previous.joined(_Run(cleaned, n, n))
            blocks.append(previous)
            continue
        previous = _Run(cleaned, n, n)
        blocks.append(previous)
    return [(b.text, b.first) for b in blocks]


@dataclass(frozen=True)
class _Run:
    """A block being gathered: its text and the sentence numbers it spans."""

    text: str
    first: int
    last: int

    @property
    def short(self) -> bool:
        return len(self.text.split()) <= 8

    def joined(self, after: _Run) -> _Run:
        return _Run(f"{self.text} {after.text}", self.first, after.last)


def _empty_handed(answer: Answer) -> bool:
    """A vague answer that was followed up because it held nothing yet ("Ja, ik heb wel wat
    gedaan. Weet niet."); a general one ("Ik wil gezien worden als iemand die zorgvuldig is.")
    still gives blocks."""
    return answer.vague and judge_vagueness(answer.text).reason in ("weet niet", "kort")


def building_blocks(state: SessionState) -> list[Bouwsteen]:
    """The closing view, then per perspective in the method's order the strongest blocks."""
    found: list[Bouwsteen] = []
    closing = [a for a in state.answers if a.step == "afronding"]
    for answer in closing:
        for i, (text, n) in enumerate(_blocks_of(answer)):
            found.append(
                Bouwsteen(
                    id=f"{answer.turn}.{n}",
                    perspective=None,
                    text=text,
                    turn=answer.turn,
                    proposed=i < CLOSING_SENTENCES,
                )
            )
    for perspective in METHOD_ORDER:
        answers = [
            a
            for a in state.answers
            if a.perspective == perspective
            and a.step in ("romp", "gulden_midden")
            and not _empty_handed(a)
        ]
        candidates = [(text, n, a) for a in answers for text, n in _blocks_of(a)]
        ranked = sorted(candidates, key=lambda c: -_weigh(c[0], perspective, c[2], state))
        offered = ranked[:OFFERED_PER_PERSPECTIVE]
        proposed = {(c[2].turn, c[1]) for c in offered[:PROPOSED_PER_PERSPECTIVE]}
        halves = [c for c in offered if GOLDEN_HALF.match(c[0])]
        if any((c[2].turn, c[1]) in proposed for c in halves):
            # "Te veel is…" without its "Te weinig…" reads as half a thought: both or neither.
            proposed |= {(c[2].turn, c[1]) for c in halves}
        for text, n, answer in sorted(offered, key=candidates.index):
            found.append(
                Bouwsteen(
                    id=f"{answer.turn}.{n}",
                    perspective=perspective,
                    text=text,
                    turn=answer.turn,
                    proposed=(answer.turn, n) in proposed,
                )
            )
    unique: dict[str, Bouwsteen] = {}
    for block in found:  # the same sentence told twice is one block, where it was first
        unique.setdefault(block.text, block)
    return list(unique.values())
