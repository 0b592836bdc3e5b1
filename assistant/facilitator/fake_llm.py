"""A deterministic stand-in for an LLM, for evals and tests: it answers each goedwerk prompt
the way a careful model would, using only the material in the prompt.

It answers by the prompt's name and the values it was rendered with (`FakeRequest`), never by
the prompt's wording, so rewording a prompt cannot change the `--llm fake` evals:

- vraag_herformuleren: the question it was given, unchanged;
- vaagheid: the built-in judgement of the quoted answer;
- beeld_schrijven: the user's own sentences from the quoted answers, as paragraphs;
- titels: short phrases from the quoted beeld.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from assistant.components.llm import FakeRequest
from assistant.facilitator.language import judge_vagueness
from assistant.facilitator.prompts import FENCE_CLOSE, FENCE_OPEN
from assistant.text import split_sentences, words

_QUOTED = re.compile(re.escape(FENCE_OPEN) + r"\n(.*?)\n" + re.escape(FENCE_CLOSE), re.S)
BEELD_WORDS = 220


class UnknownPrompt(KeyError):
    """The fake was asked a prompt it has no answer for (a new or renamed prompt)."""


def quoted(text: str) -> list[str]:
    """The fenced material in a text."""
    return _QUOTED.findall(text)


def _question(variables: Mapping[str, str]) -> str:
    return variables["vraag"].strip().splitlines()[0]


def _vagueness(variables: Mapping[str, str]) -> str:
    answers = quoted(variables["antwoord"])
    return "VAAG" if answers and judge_vagueness(answers[-1]).vague else "CONCREET"


def _beeld(variables: Mapping[str, str]) -> str:
    kept, budget = [], BEELD_WORDS
    for block in quoted(variables["antwoorden"]):
        sentences = [s for s in split_sentences(block) if 6 <= len(words(s)) <= budget]
        budget -= sum(len(words(s)) for s in sentences[:3])
        if sentences and budget > 0:
            kept.append(" ".join(sentences[:3]))
    return "\n\n".join(kept)


def _titles(variables: Mapping[str, str]) -> str:
    beeld = " ".join(quoted(variables["beeld"]))
    phrases = [s.strip(" .") for s in re.split(r"[.,:;]", beeld) if 2 <= len(words(s)) <= 6]
    return "\n".join(phrases[:3])


# One answer per prompt name (`assistant.facilitator.prompts.PROMPT_NAMES`).
ANSWERS: dict[str, Callable[[Mapping[str, str]], str]] = {
    "vraag_herformuleren": _question,
    "vaagheid": _vagueness,
    "beeld_schrijven": _beeld,
    "titels": _titles,
}


def respond(request: FakeRequest) -> str:
    """The stand-in's reply to a goedwerk prompt, chosen by the prompt's name."""
    answer = ANSWERS.get(request.name)
    if answer is None:
        raise UnknownPrompt(f"de nep-LLM kent geen prompt {request.name!r}")
    return answer(request.variables)
