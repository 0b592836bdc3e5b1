"""Which of the user's sentences may stand in a beeld, and how they read there.

A rich A4 is shared: a sentence in it must stand on its own. Left out: questions, remarks
about the conversation, requests for advice, "klaar" and other confirmations, hedged filler
("weet ik veel"), instructions aimed at a language model, and sentences that only point at
something said before ("Dat laatste wist ik niet.") unless what they point at comes with them.
Kept sentences lose a leading filler ("Tja, ", "Nou, ") and a trailing hedge (", denk ik").
The composing modules (the personal A4 and the team A4) both use these rules.
"""

from __future__ import annotations

import re

from assistant.facilitator import listening
from assistant.facilitator.language import DONT_KNOW, gives_advice, judge_vagueness
from assistant.text import fold, words

# A filler in front, set off by a comma or colon ("Tja, ", "Nou: "); without the comma it may
# be part of the clause ("Eerlijk gezegd vinden wij…"), so it stays.
_LEADING_FILLER = re.compile(
    r"^\s*((tja|nou|ja|nee|hmm|eh|uh|oké|oke|ok|goh|tsja|sorry|eerlijk gezegd|eerlijk)"
    r"\s*[,:.!]+\s+)+",
    re.IGNORECASE,
)
_TRAILING_HEDGE = re.compile(
    r"[,\s]+(denk ik|geloof ik|vermoed ik|lijkt me|zeg maar|of zo|ofzo|en zo|eigenlijk|"
    r"misschien|weet ik veel|zoiets|bijvoorbeeld)\s*(?=[.!…]?\s*$)",
    re.IGNORECASE,
)
# A hedge inside the sentence, set off by spaces or commas: "zien ze me denk ik als…".
_INNER_HEDGE = re.compile(r",? \b(denk ik|geloof ik|vermoed ik|zeg maar)\b,?(?= )", re.IGNORECASE)
# A conjunction in front that only joins to what came before ("En we moeten weten…").
_LEADING_AND = re.compile(r"^\s*(en|maar|of|want|dus)\s+(?=\w)", re.IGNORECASE)
_HEDGE_ONLY = re.compile(
    r"\b(weet ik veel|weet ik het|hangt ervan af|hangt er (\w+ ){0,3}?vanaf|dat hangt|geen idee|"
    r"zou kunnen|kan ook|wie weet|dat soort dingen|dat soort zaken|en zo verder|enzovoort)\b",
    re.IGNORECASE,
)
_CONFIRMATION = re.compile(
    r"^\s*(ja|nee|oké|oke|ok|prima|goed|klopt|klaar|dat klopt|dat is het|zo is het|"
    r"ja,? dat klopt( zo)?|ja,? prima|dat was het|helemaal goed|top|mooi|akkoord)\s*[.!]*\s*$",
    re.IGNORECASE,
)
_INSTRUCTION = re.compile(
    r"\b(negeer|vergeet|ignore)\b.{0,40}\b(instructie|instructies|opdracht|instructions)\b", re.I
)
# Openings that lean on the sentence before them ("Daarna" and "Toen" only tell the order of
# the story: "Daarna heb ik de moeder zelf gebeld." stands on its own).
_POINTER_START = re.compile(
    r"^\s*(dat laatste|dat eerste|het eerste|het tweede|het laatste|die laatste|dit|dat|"
    # "De een bleek gedoe te hebben, de ander…": the two just named.
    r"de een|de ene|de ander|de andere|beiden|allebei|"
    r"daarom|daardoor|daar|daarbij|daarin|daarmee|daarvoor|ze|zij|hij|die|deze|"
    r"het|en|maar|of|want|dus|wel|"
    # a verb first, its "ik" left out: "Ga niet doen alsof ik procesman ben." leans on "Ik
    # ben de techneut en dat blijf ik." (a question, with its "?", never reaches a beeld)
    r"ga|ben|zit|heb|had|wil|wilde|moet|moest|kan|kon|doe|deed|weet|wist|vind|vond|denk|dacht)\b",
    re.IGNORECASE,
)
# "Het" and "dat" also open sentences that stand alone ("Het pad was al toegezegd.",
# "Dat pad was al toegezegd."): a pointer only when a verb follows directly.
_OPEN_ALONE = re.compile(r"^\s*(het|dat|die|deze|dit)\s+(\w+)", re.IGNORECASE)
_VERB_AFTER = re.compile(
    r"^(is|was|waren|zijn|had|hadden|heb|hebben|wist|weet|deed|doe|doet|vond|vind|zei|zeg|"
    r"kwam|ging|gaat|moet|moest|kan|kon|wil|wilde|maakt|maakte|voelt|voelde|klopt|lukt|"
    r"lukte|werkt|werkte|hoorde|zag|laatste|eerste|tweede)$",
    re.IGNORECASE,
)


def strip_filler(sentence: str) -> str:
    """The sentence without a leading filler or a hedge, first letter capitalised."""
    stripped = _LEADING_FILLER.sub("", sentence.strip())
    stripped = _INNER_HEDGE.sub("", _TRAILING_HEDGE.sub("", stripped)).strip()
    if not stripped:
        return ""
    if stripped[-1] not in ".!?…\"”’'":
        stripped += "."
    return stripped[0].upper() + stripped[1:]


def without_leading_and(sentence: str) -> str:
    """ "En we moeten weten…" → "We moeten weten…" (for a sentence that stands alone)."""
    stripped = _LEADING_AND.sub("", sentence, count=1)
    return stripped[:1].upper() + stripped[1:]


def never_in_a_beeld(sentence: str, min_words: int = 3) -> bool:
    """A question, meta-talk, an advice request or advice, "klaar", filler, an instruction."""
    text = sentence.strip()
    if not text or text.endswith("?") or _CONFIRMATION.match(text):
        return True
    if listening.meta_kind(text) or listening.asks_for_advice(text):
        return True
    if listening.nothing_more(text) or gives_advice(text) or _INSTRUCTION.search(text):
        return True
    folded = fold(text)
    if any(p in folded for p in DONT_KNOW) or _HEDGE_ONLY.search(text):
        return True
    return len(words(text)) < min_words


# "We spreken af dat we elkaar daar op aanspreken": a "daar … op" inside the sentence that
# points at something said before it.
_INNER_POINTER = re.compile(
    r"\b(elkaar|ons|me|mij|je|jou|hem|haar|hen|zich|we|wij|ik|ze) daar (\w+ ){0,6}?"
    r"(op|aan|over|mee|voor|bij|naar|van)\b",
    re.IGNORECASE,
)


def points_back(sentence: str) -> bool:
    """Does the sentence lean on what was said before: a pointing word first, or a "daar … op"
    inside it?"""
    if _INNER_POINTER.search(sentence):
        return True
    if not _POINTER_START.match(sentence):
        return False
    alone = _OPEN_ALONE.match(sentence)
    # "Dat pad was al toegezegd": a determiner, not a pointer.
    return not (alone and not _VERB_AFTER.match(alone.group(2)))


def usable(sentence: str, min_words: int = 3) -> str | None:
    """The sentence as it may stand in a beeld (filler stripped), or None when it may not.
    A story may keep shorter sentences ("Gelach.") than a beeld."""
    if never_in_a_beeld(sentence, min_words):
        return None
    cleaned = strip_filler(sentence)
    if not cleaned or never_in_a_beeld(cleaned, min_words):
        return None
    if judge_vagueness(cleaned, 4).reason == "weet niet":
        return None
    return cleaned


# Sentences that continue the one before when there is one, and may stand alone when first:
# "Die ruimte ga ik nemen." (a demonstrative and its noun; "Dat pad was al toegezegd." opens an
# answer well enough), "Niet als de agent van het filmpje." (what one is not, said of the
# sentence before), "Ik wil dat zij weet dat haar vader…" ("zij" is someone named before).
_CONTINUES = (
    re.compile(r"^\s*(die|deze|dat|dit)\s+\w+", re.IGNORECASE),
    re.compile(r"^\s*(niet|geen|nooit)\s+(als|de|het|een)\b(?!.*\b(is|was|ben|zijn)\b)", re.I),
    re.compile(r"\b(dat|of|omdat) (zij|hij)\b", re.IGNORECASE),
)


def continues(sentence: str) -> bool:
    """Does the sentence read on from the one before it, when there is one (see above)?"""
    return any(pattern.search(sentence) for pattern in _CONTINUES)
