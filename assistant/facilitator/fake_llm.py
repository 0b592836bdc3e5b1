"""A deterministic stand-in for an LLM, for evals and tests: it answers each goedwerk prompt
the way a careful model would, using only the material in the prompt.

- vraag_herformuleren: the question it was given, unchanged;
- vaagheid: the built-in judgement;
- beeld_schrijven: the user's own sentences from the quoted material, as paragraphs;
- titels: short phrases from the quoted beeld.
"""

from __future__ import annotations

import re

from assistant.facilitator.language import judge_vagueness
from assistant.facilitator.prompts import FENCE_CLOSE, FENCE_OPEN
from assistant.text import split_sentences, words

_QUOTED = re.compile(re.escape(FENCE_OPEN) + r"\n(.*?)\n" + re.escape(FENCE_CLOSE), re.S)


def quoted(prompt: str) -> list[str]:
    """The fenced material in a prompt."""
    return _QUOTED.findall(prompt)


def respond(prompt: str) -> str:
    """The stand-in's reply to a rendered goedwerk prompt (system and user text joined)."""
    if "De vraag die nu aan de beurt is:" in prompt:
        return prompt.split("De vraag die nu aan de beurt is:", 1)[1].strip().splitlines()[0]
    if "Antwoord met precies één woord: VAAG of CONCREET." in prompt:
        answers = quoted(prompt)
        return "VAAG" if answers and judge_vagueness(answers[-1]).vague else "CONCREET"
    if "Schrijf het 'beeld van goed werk'" in prompt:
        kept, budget = [], 220
        for block in quoted(prompt.split("Ter inspiratie", 1)[0]):
            sentences = [s for s in split_sentences(block) if 6 <= len(words(s)) <= budget]
            budget -= sum(len(words(s)) for s in sentences[:3])
            if sentences and budget > 0:
                kept.append(" ".join(sentences[:3]))
        return "\n\n".join(kept)
    if "Geef drie titels" in prompt:
        beeld = " ".join(quoted(prompt))
        phrases = [s.strip(" .") for s in re.split(r"[.,:;]", beeld) if 2 <= len(words(s)) <= 6]
        return "\n".join(phrases[:3])
    return ""
