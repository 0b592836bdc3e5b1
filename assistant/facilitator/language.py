"""Reading a user's answer without an LLM: vagueness, direct requests, navigation, virtues.

The rules follow the handreiking's "Blijf dicht bij ervaringen": an answer is vague when it is
very short, says it does not know, or speaks only in generalities ("men", "je moet", "altijd")
without a concrete moment, place or person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.domain.perspectives import PERSPECTIEF_LABELS, Perspectief
from assistant.facilitator.listening import is_opinion, tells_a_story
from assistant.text import fold, split_sentences, words

DONT_KNOW = (
    "weet ik niet",
    "weet niet",
    "geen idee",
    "geen flauw idee",
    "geen idee eigenlijk",
    "kan ik niet zeggen",
    "moeilijk te zeggen",
    "lastig te zeggen",
    # Evasive: "Tja, van alles eigenlijk. Hangt er een beetje vanaf hoe het loopt." (a
    # plain "dat hangt ervan af" may open an answer that goes on to say something)
    "hangt er een beetje vanaf",
    "hangt er maar net vanaf",
    "van alles eigenlijk",
    "i don't know",
    "no idea",
    "idk",
    "nvt",
    "n.v.t",
)
GENERAL_MARKERS = (
    "men",
    "je moet",
    "je moet gewoon",
    "moet je",
    "altijd",
    "nooit",
    "iedereen",
    "zou moeten",
    "in het algemeen",
    "over het algemeen",
    "meestal",
    "gewoon goed",
    "het belangrijkste is",
    "dat hoort",
    "zo gaat dat",
)
# Signs of a concrete experience: a moment, a place, a person, an action in the past.
CONCRETE_MARKERS = (
    "toen",
    "gisteren",
    "vorige week",
    "vorige maand",
    "vorig jaar",
    "laatst",
    "die keer",
    "op een gegeven moment",
    "in het overleg",
    "in de vergadering",
    "tijdens",
    "ik zei",
    "zei ik",
    "ik heb",
    "ik had",
    "ik was",
    "ik deed",
    "we hebben",
    "we hadden",
    "wij hebben",
    "hij zei",
    "zij zei",
    "ze zei",
    "morgen",
    "volgende week",
    "straks",
    "daar",
    "met die",
    "vanochtend",
    "vanmiddag",
    "gisteravond",
    "afgelopen",
    "vorige",
    "sinds",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "ik verwacht",
    "we verwachten",
    "wij verwachten",
    "ik ga",
    "we gaan",
)
# A story this long is rarely only an opinion; generalities inside it do not make it vague.
LONG_ANSWER_WORDS = 30
ADVICE_REQUESTS = (
    "wat moet ik",
    "wat moeten we",
    "wat moeten wij",
    "wat zou jij doen",
    "wat zou je doen",
    "wat raad je",
    "wat adviseer",
    "geef me advies",
    "geef mij advies",
    "geef ons advies",
    "wat is het beste",
    "wat is goed om te doen",
    "wie heeft gelijk",
    "heb ik gelijk",
    "hebben wij gelijk",
    "wat kan ik het beste",
    "what should i do",
    "what would you do",
)
# Phrases that give advice or a verdict; the facilitator's own texts must never contain them.
ADVICE_PATTERNS = (
    r"\bje moet\b",
    r"\bdan moet(en)? (je|jullie|u)\b",
    r"\bjullie moeten\b",
    r"\bje zou (\w+ )*moeten\b",
    r"\bjullie zouden (\w+ )*moeten\b",
    r"\bik raad (je|jullie|u) aan\b",
    r"\bmijn advies\b",
    r"\bik adviseer\b",
    r"\bhet beste (is|kun je|kunnen jullie)\b",
    r"\bprobeer (eens|dan|het)\b",
    r"\bzorg (ervoor|dat)\b",
    r"\bdoe (dat|dit|het) (gewoon|maar)\b",
    r"\bje hebt gelijk\b",
    r"\bjullie hebben gelijk\b",
    r"\b(hij|zij|ze) heeft gelijk\b",
    r"\bje hebt ongelijk\b",
    r"\bde oplossing is\b",
    r"\bdat is fout\b",
    r"\bdat is verkeerd\b",
)
_ADVICE = [re.compile(p, re.IGNORECASE) for p in ADVICE_PATTERNS]


def gives_advice(text: str) -> bool:
    """Does this text tell someone what to do or who is right?"""
    return any(p.search(text) for p in _ADVICE)


def _has(text: str, markers: tuple[str, ...]) -> bool:
    folded = f" {fold(text)} "
    return any(marker in folded for marker in markers)


def _has_word(text: str, markers: tuple[str, ...]) -> bool:
    folded = " " + " ".join(words(fold(text))) + " "
    return any(f" {marker} " in folded for marker in markers)


def asks_for_advice(text: str) -> bool:
    """Does the user ask the tool directly what to do or who is right?"""
    return _has(text, ADVICE_REQUESTS)


@dataclass(frozen=True)
class Vagueness:
    """Whether an answer is vague, and why (for the follow-up and for evals)."""

    vague: bool
    reason: str


def judge_vagueness(text: str, min_words: int = 8) -> Vagueness:
    """Judge whether an answer stays too vague to build a beeld on."""
    count = len(words(text))
    if _has_word(text, DONT_KNOW) and count < 3 * min_words:
        return Vagueness(True, "weet niet")
    if count < min_words:
        return Vagueness(True, "kort")
    concrete = (
        _has_word(text, CONCRETE_MARKERS)
        or _names_someone(text)
        or any(ch.isdigit() for ch in text)
        or count >= LONG_ANSWER_WORDS
    )
    if _has_word(text, GENERAL_MARKERS) and not concrete:
        return Vagueness(True, "algemeen")
    return Vagueness(False, "")


# The steps whose answers are judged for vagueness (and followed up when vague).
VAGUE_STEPS = frozenset({"kop", "romp"})


def judge_answer(
    text: str, step: str, *, min_words: int, min_words_kop: int, story: str = ""
) -> Vagueness:
    """The built-in judgement of an answer at a step of the method.

    Only kop and romp answers can be vague (a follow-up exists for those alone); a kop story
    needs more words than a romp answer, but a short kop answer that completes the story told
    so far (`story`: the description and the earlier kop answers) is concrete: the story is
    judged whole, not line by line.
    """
    if step not in VAGUE_STEPS:
        return Vagueness(False, "")
    judgement = judge_vagueness(text, min_words_kop if step == "kop" else min_words)
    if (
        step == "kop"
        and judgement.reason == "kort"
        and len(words(text)) >= 5
        and not is_opinion(text)
        and (tells_a_story(f"{story} {text}") or len(words(story)) >= 30)
    ):
        # A short line that completes a story already told (what one hopes, how it ended;
        # a meeting ahead is told without a past) is concrete.
        return Vagueness(False, "")
    if (
        step == "kop"
        and judgement.reason == "algemeen"
        and len(words(text)) >= min_words_kop
        and len(words(story)) >= 30
        and not is_opinion(text)
    ):
        # Once the story stands, a full answer on what one hopes or fears adds to it.
        return Vagueness(False, "")
    return judgement


def names_virtues_asked_for(
    text: str, perspective: Perspectief | None, virtues: Sequence[str]
) -> bool:
    """On values, naming virtues is exactly what the question asks for: never vague then."""
    return perspective is Perspectief.WAARDEN_DEUGDEN and bool(find_virtues(text, virtues))


def _names_someone(text: str) -> bool:
    """A capitalised word inside a sentence (a person, an organisation) marks a concrete story."""
    for sentence in split_sentences(text):
        tokens = words(sentence)
        if any(t[0].isupper() and t.lower() not in {"ik", "ok"} for t in tokens[1:]):
            return True
    return False


class Intent(StrEnum):
    """What a user turn asks of the flow, besides answering."""

    ANSWER = "answer"
    SKIP = "skip"
    BACK = "back"
    CHOOSE = "choose"
    DRAFT = "draft"


@dataclass(frozen=True)
class Navigation:
    """A navigation request in a user turn."""

    intent: Intent
    perspective: Perspectief | None = None


_SKIP = ("sla over", "overslaan", "sla deze over", "skip", "volgende perspectief", "door naar")
_BACK = ("terug", "ga terug", "vorige", "back")
_DRAFT = (
    "maak het concept", "naar het concept", "maak het a4", "maak mijn a4", "ik ben klaar", "klaar",
    "we zijn klaar", "wij zijn klaar",
)  # fmt: skip
_PERSPECTIVE_NAMES: dict[str, Perspectief] = {
    **{fold(label): p for p, label in PERSPECTIEF_LABELS.items()},
    "waarden": Perspectief.WAARDEN_DEUGDEN,
    "deugden": Perspectief.WAARDEN_DEUGDEN,
    "waarden en deugden": Perspectief.WAARDEN_DEUGDEN,
}


# "Sla maar over", "deze sla ik over", "die wil ik overslaan", in the first clause of a short turn.
_SKIP_FORM = re.compile(
    r"^((\w+ ){0,3}sla (\w+ ){0,3}over|(\w+ ){0,4}overslaan|skip)( (\w+ ){0,4}\w+)?$"
)


def read_navigation(text: str) -> Navigation:
    """Recognise short navigation commands ("sla over", "terug", "ga naar kennis")."""
    first = re.split(r"[,.;:!?]", text.strip(), maxsplit=1)[0]
    clause = " ".join(words(fold(first)))
    negated = re.search(r"\b(niet|nooit|geen)\b", clause)
    if len(words(text)) <= 12 and not negated and _SKIP_FORM.match(clause):
        return Navigation(Intent.SKIP)
    folded = " ".join(words(fold(text)))
    if len(folded.split()) > 6:
        return Navigation(Intent.ANSWER)
    for name, perspective in sorted(_PERSPECTIVE_NAMES.items(), key=lambda kv: -len(kv[0])):
        if folded in {name, f"ga naar {name}", f"naar {name}", f"kies {name}", f"{name} graag"}:
            return Navigation(Intent.CHOOSE, perspective)
    if folded in _SKIP or folded.startswith("sla ") and folded.endswith(" over"):
        return Navigation(Intent.SKIP)
    if folded in _BACK:
        return Navigation(Intent.BACK)
    if folded in _DRAFT:
        return Navigation(Intent.DRAFT)
    return Navigation(Intent.ANSWER)


def find_virtues(text: str, virtues: Sequence[str]) -> list[str]:
    """The virtues from the list that a text names (whole words, accents folded), in text order."""
    folded = " " + " ".join(words(fold(text))) + " "
    positions: dict[str, int] = {}
    for virtue in virtues:
        key = " ".join(words(fold(virtue.replace("(", "").replace(")", ""))))
        at = folded.find(f" {key} ") if key else -1
        if at >= 0 and virtue not in positions:
            positions[virtue] = at
    return sorted(positions, key=positions.__getitem__)
