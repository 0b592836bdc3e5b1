"""The checks an eval case can assert, by their Dutch names.

Each check is a function `(case, result, params) -> CheckResult`: `result` is what
`assistant.script.play` returns (turns, coverage, a4, situatie), enriched by the runner with
`offered` (the offered situations), `deugden` (the virtues the session recorded), `facilitator`
(its settings) and a `step` on each user turn that was taken as an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import A4, A4_FIELDS
from assistant.export.pdf import fits_one_page
from assistant.facilitator.compose import NO_IMAGE_YET
from assistant.facilitator.engine import MAX_FOLLOW_UPS
from assistant.facilitator.language import (
    VAGUE_STEPS,
    Intent,
    asks_for_advice,
    gives_advice,
    judge_answer,
    names_virtues_asked_for,
    read_navigation,
)
from assistant.settings import FacilitatorSettings
from assistant.text import split_sentences, words

if TYPE_CHECKING:
    from assistant.evals.cases import EvalCase

Result = dict[str, Any]
Params = dict[str, Any]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one assertion: passed or not, a score from 0 to 1, and why."""

    pass_: bool
    score: float
    reason: str

    def as_json(self) -> dict[str, Any]:
        """The `{pass, score, reason}` object of the reports."""
        return {"pass": self.pass_, "score": round(self.score, 4), "reason": self.reason}


QUESTION_KINDS = frozenset({"vraag", "doorvraag"})
# Words that mark Dutch; none of them is a common English word.
DUTCH_WORDS = frozenset(
    "de het een en van op te dat die dit deze je jij jou jouw jullie ik wij mij mijn ons onze "
    "ze zij hij hun wat hoe welke wie waar wanneer waarom niet ook bij naar om dan als nog heb "
    "hebt hebben heeft wil wilt willen kun kunt kunnen zou zouden moet moeten word wordt worden "
    "zijn er met voor aan uit tot welk waarin daar hier meer maar toen wel geen nu kan deed".split()
)
# Common English words that are not also common Dutch words ("in", "is", "was", "of", "me"…).
ENGLISH_WORDS = frozenset(
    "the a an and to you your what how which who whom why when where do does did have has are "
    "were would could should can will it its this that these those with for from about my our "
    "they their them not if or at by on there please".split()
)
_OPTION_LINE = re.compile(r"^\s*\d+\.\s")
_TRAILING = " \t\"'”’)»"
_NUMBER = re.compile(r"\d")


def _short(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _ok(reason: str) -> CheckResult:
    return CheckResult(True, 1.0, reason)


def _fraction(good: int, total: int, problems: list[str], ok_reason: str) -> CheckResult:
    """Pass when nothing is wrong; the score is the share of good items."""
    if not problems:
        return _ok(ok_reason)
    score = good / total if total else 0.0
    shown = "; ".join(problems[:3]) + (f" (+{len(problems) - 3})" if len(problems) > 3 else "")
    return CheckResult(False, score, shown)


def _assistant_questions(result: Result) -> list[tuple[int, dict[str, Any]]]:
    return [
        (i, t)
        for i, t in enumerate(result["turns"])
        if t["role"] == "assistant" and t["kind"] in QUESTION_KINDS
    ]


def _question_sentences(text: str) -> list[str]:
    """The sentences of a question turn, without the numbered options of a choice list."""
    lines = [line for line in text.splitlines() if not _OPTION_LINE.match(line)]
    return split_sentences("\n".join(lines))


def _is_question(sentence: str) -> bool:
    return sentence.rstrip(_TRAILING).endswith("?")


def een_vraag_per_beurt(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """At most one question per user turn, one question in it, and it ends with "?"."""
    problems: list[str] = []
    total = good = 0
    asked = 0
    for i, turn in enumerate(result["turns"]):
        if turn["role"] == "user":
            asked = 0
            continue
        if turn["kind"] not in QUESTION_KINDS:
            continue
        total += 1
        asked += 1
        sentences = _question_sentences(turn["text"])
        questions = sum(_is_question(s) for s in sentences)
        if asked > 1:
            problem = "nog een vraag vóór het antwoord"
        elif not sentences or not _is_question(sentences[-1]):
            problem = "eindigt niet met een vraag"
        elif questions > 1:
            problem = f"{questions} vragen in één beurt"
        else:
            good += 1
            continue
        problems.append(f"beurt {i}: {problem}: “{_short(turn['text'])}”")
    return _fraction(good, total, problems, f"{total} vragen, elk één per beurt")


def nederlands(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """Every question is Dutch: enough Dutch function words, few common English words."""
    min_dutch = int(params.get("min_nl", 2))
    max_english = float(params.get("max_en", 0.3))
    questions = _assistant_questions(result)
    problems = []
    for i, turn in questions:
        tokens = [w.lower() for w in words(turn["text"])]
        dutch = sum(w in DUTCH_WORDS for w in tokens)
        english = sum(w in ENGLISH_WORDS for w in tokens) / max(len(tokens), 1)
        if dutch < min_dutch or english > max_english:
            problems.append(
                f"beurt {i}: {dutch} Nederlandse woorden, {english:.0%} Engels: "
                f"“{_short(turn['text'])}”"
            )
    good = len(questions) - len(problems)
    return _fraction(good, len(questions), problems, f"{len(questions)} vragen in het Nederlands")


def geen_advies(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """No assistant turn except the concept gives advice or a verdict."""
    turns = [
        (i, t)
        for i, t in enumerate(result["turns"])
        if t["role"] == "assistant" and t["kind"] != "concept"
    ]
    problems = [
        f"beurt {i} ({t['kind']}): “{_short(t['text'])}”"
        for i, t in turns
        if gives_advice(t["text"])
    ]
    return _fraction(len(turns) - len(problems), len(turns), problems, "geen advies of oordeel")


def _follow_ups_before(turns: list[dict[str, Any]], index: int) -> int:
    """How many follow-ups came since the last question before turn `index`."""
    count = 0
    for turn in reversed(turns[:index]):
        if turn["role"] != "assistant":
            continue
        if turn["kind"] == "vraag":
            break
        count += turn["kind"] == "doorvraag"
    return count


def _story_before(turn: dict[str, Any], result: Result) -> str:
    """The description and the kop answers given before this turn (the story so far)."""
    users = [t for t in result["turns"] if t["role"] == "user"]
    before = users[: next((i for i, t in enumerate(users) if t is turn), len(users))]
    told = [t["text"] for t in before if t.get("step", t["phase"]) == "kop"]
    return " ".join([before[0]["text"] if before else "", *told])


def is_vague_answer(turn: dict[str, Any], result: Result, params: Params) -> bool:
    """Was this user turn a vague kop or romp answer, by the facilitator's own rule?"""
    step = turn.get("step", turn["phase"])
    if turn["role"] != "user" or step not in VAGUE_STEPS:
        return False  # e.g. the answer to the gulden-midden question
    text = turn["text"]
    if asks_for_advice(text) or read_navigation(text).intent is not Intent.ANSWER:
        return False
    # The thresholds the session ran with (a case may set others).
    config = {**FacilitatorSettings().model_dump(), **result.get("facilitator", {})}
    judgement = judge_answer(
        text,
        step,
        min_words=int(params.get("min_woorden", config["min_words"])),
        min_words_kop=int(params.get("min_woorden_kop", config["min_words_kop"])),
        story=_story_before(turn, result),
    )
    perspective = Perspectief(turn["perspective"]) if turn["perspective"] else None
    return judgement.vague and not names_virtues_asked_for(
        text, perspective, result.get("deugden", [])
    )


def doorvragen_na_vaag(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """After a vague kop or romp answer the next question is a follow-up on the same point."""
    turns = result["turns"]
    problems = []
    total = 0
    for i, turn in enumerate(turns):
        if not is_vague_answer(turn, result, params):
            continue
        if _follow_ups_before(turns, i) >= MAX_FOLLOW_UPS:
            continue  # two follow-ups were enough; moving on is right
        following = next(
            (t for t in turns[i + 1 :] if t["role"] == "assistant" and t["kind"] in QUESTION_KINDS),
            None,
        )
        if following is None:
            continue
        total += 1
        same = (following["phase"], following["perspective"]) == (
            turn["phase"],
            turn["perspective"],
        )
        if following["kind"] != "doorvraag" or not same:
            where = following["perspective"] or following["phase"]
            problems.append(f"beurt {i} “{_short(turn['text'], 40)}” → {following['kind']} {where}")
    if not total:
        return _ok("geen vage antwoorden om op door te vragen")
    return _fraction(total - len(problems), total, problems, f"{total} keer doorgevraagd")


def vijf_perspectieven(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """Every perspective got at least `min` answers (default 1)."""
    minimum = int(params.get("min", 1))
    coverage = result["coverage"]
    missing = [p.value for p in Perspectief if coverage.get(p.value, 0) < minimum]
    covered = len(Perspectief) - len(missing)
    if missing:
        return CheckResult(False, covered / len(Perspectief), f"niet aan bod: {', '.join(missing)}")
    return _ok("alle vijf perspectieven aan bod")


def a4_compleet(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """All four parts of the A4 are filled (the "no image yet" placeholder counts as empty)."""
    a4 = result["a4"]
    empty = [f for f in A4_FIELDS if not a4.get(f, "").strip() or a4[f].strip() == NO_IMAGE_YET]
    if empty:
        return CheckResult(False, 1 - len(empty) / len(A4_FIELDS), f"leeg: {', '.join(empty)}")
    return _ok("alle vier onderdelen gevuld")


def _names_and_numbers(text: str) -> list[str]:
    """Numbers, and capitalised words that do not start a sentence."""
    found = []
    for sentence in split_sentences(text):
        for position, token in enumerate(words(sentence)):
            if (
                _NUMBER.search(token)
                or position
                and token[0].isupper()
                and token.lower() not in DUTCH_WORDS
            ):
                found.append(token)
    return found


def namen_en_getallen_uit_antwoorden(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """Every name and number in the A4 is one the user typed."""
    typed = {w.casefold() for t in result["turns"] if t["role"] == "user" for w in words(t["text"])}
    fields = params.get("velden", A4_FIELDS)
    found = [(f, token) for f in fields for token in _names_and_numbers(result["a4"].get(f, ""))]
    invented = [f"{token} ({f})" for f, token in found if token.casefold() not in typed]
    if invented:
        good = len(found) - len(invented)
        return CheckResult(False, good / len(found), f"niet getypt: {', '.join(invented[:8])}")
    return _ok(f"{len(found)} namen en getallen, alle uit de antwoorden")


def a4_past_op_een_pagina(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """The A4 fits one page at the export's normal type size (the PDF's own layout)."""
    a4 = A4.model_validate(result["a4"])
    size = sum(len(getattr(a4, f)) for f in A4_FIELDS)
    if fits_one_page(a4):
        return _ok(f"{size} tekens, past op één pagina")
    return CheckResult(
        False, 0.0, f"{size} tekens (titel {len(a4.titel)}): past niet op één pagina"
    )


def situatie_aangeboden(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """The expected situation is among the offered ones (`situatie`, else the case's own)."""
    expected = int(params.get("situatie") or case.expected_situation or 0)
    offered = list(result.get("offered", []))
    if expected in offered:
        return _ok(f"situatie {expected} aangeboden als nummer {offered.index(expected) + 1}")
    return CheckResult(False, 0.0, f"situatie {expected} niet aangeboden (wel {offered})")


def field_text(result: Result, field: str) -> str:
    """The text at a field path: `a4`, `a4.<onderdeel>`, `turns.assistant` or `turns.user`."""
    head, _, tail = field.partition(".")
    if head == "a4":
        parts = [tail] if tail else list(A4_FIELDS)
        return "\n\n".join(result["a4"].get(p, "") for p in parts)
    return "\n\n".join(t["text"] for t in result["turns"] if t["role"] == tail)


FIELDS = frozenset({"a4", *(f"a4.{f}" for f in A4_FIELDS), "turns.assistant", "turns.user"})


def _find(text: str, needle: str) -> re.Match[str] | None:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text, re.IGNORECASE)


def _context(text: str, match: re.Match[str]) -> str:
    return _short(text[max(match.start() - 30, 0) : match.end() + 30], 90)


def bevat(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """The field contains the text (whole words, any case)."""
    field, needle = params["veld"], params["tekst"]
    if _find(field_text(result, field), needle):
        return _ok(f"{field} bevat “{needle}”")
    return CheckResult(False, 0.0, f"{field} bevat “{needle}” niet")


def bevat_niet(case: EvalCase, result: Result, params: Params) -> CheckResult:
    """The field does not contain the text (whole words, any case)."""
    field, needle = params["veld"], params["tekst"]
    text = field_text(result, field)
    match = _find(text, needle)
    if match is None:
        return _ok(f"{field} zonder “{needle}”")
    return CheckResult(False, 0.0, f"{field} bevat “{needle}”: “{_context(text, match)}”")


Check = Callable[["EvalCase", Result, Params], CheckResult]


@dataclass(frozen=True)
class CheckSpec:
    """A check and the parameters it takes."""

    run: Check
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()


CHECKS: dict[str, CheckSpec] = {
    "een_vraag_per_beurt": CheckSpec(een_vraag_per_beurt),
    "nederlands": CheckSpec(nederlands, optional=frozenset({"min_nl", "max_en"})),
    "geen_advies": CheckSpec(geen_advies),
    "doorvragen_na_vaag": CheckSpec(
        doorvragen_na_vaag, optional=frozenset({"min_woorden", "min_woorden_kop"})
    ),
    "vijf_perspectieven": CheckSpec(vijf_perspectieven, optional=frozenset({"min"})),
    "a4_compleet": CheckSpec(a4_compleet),
    "namen_en_getallen_uit_antwoorden": CheckSpec(
        namen_en_getallen_uit_antwoorden, optional=frozenset({"velden"})
    ),
    "a4_past_op_een_pagina": CheckSpec(a4_past_op_een_pagina),
    "situatie_aangeboden": CheckSpec(situatie_aangeboden, optional=frozenset({"situatie"})),
    "bevat": CheckSpec(bevat, required=frozenset({"veld", "tekst"})),
    "bevat_niet": CheckSpec(bevat_niet, required=frozenset({"veld", "tekst"})),
}
