"""What an optional LLM adds to the facilitator: phrasing, judging vagueness, writing the beeld.

The facilitator keeps the flow; the LLM only proposes text, and every proposal is checked
before use: one Dutch question without advice; a beeld without names, numbers or advice the
user did not give. Anything that fails a check, times out or errors falls back to the built-in
text, and the facilitator shows a notice.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from assistant.components.llm import LLMFailed
from assistant.domain.perspectives import METHOD_ORDER, PERSPECTIEF_LABELS, Perspectief
from assistant.domain.session import SessionState
from assistant.facilitator.language import gives_advice
from assistant.facilitator.prompts import PromptSet, RenderedPrompt, fence
from assistant.text import split_sentences, words

TokenSink = Callable[[str], None]
FALLBACK_NOTICE = (
    "Het taalmodel gaf nu geen bruikbaar antwoord ({reason}); ik ga verder met de ingebouwde "
    "vragen. Er is niets van je tekst verloren."
)
PERSPECTIVE_EXPLAINED = {
    Perspectief.HANDELINGEN: "wat je doet en welke vaardigheden je daarbij inzet",
    Perspectief.KENNIS: "welke kennis je nodig hebt, in de brede zin van het woord",
    Perspectief.WAARDEN_DEUGDEN: "wat je belangrijk vindt en wat er op het spel staat",
    Perspectief.VRIJHEID: "welke ruimte je hebt in denken en handelen",
    Perspectief.IDENTITEIT: "hoe je jezelf wilt laten zien en gekend worden als grenswerker",
}
_DUTCH = frozenset(
    "je jij jullie wat hoe welke wie waar waarom wanneer de het een in op van".split()
)
_NAME_OR_NUMBER = re.compile(r"\b(?:[A-ZÀ-Þ][\wÀ-ÿ'-]+|\d[\d.,]*)\b")


class Asker(Protocol):
    """Sends one rendered prompt to the configured LLM and returns its reply."""

    def ask(self, prompt: RenderedPrompt, on_token: TokenSink | None = None) -> str: ...


class CachedAsker:
    """An `Asker` over a function, with replies cached on disk by prompt hash (for evals)."""

    def __init__(
        self,
        send: Callable[[RenderedPrompt, TokenSink | None], str],
        model_key: str,
        cache_dir: Path | None = None,
    ) -> None:
        self._send = send
        self._model_key = model_key
        self._cache_dir = cache_dir

    def _path(self, prompt: RenderedPrompt) -> Path | None:
        if self._cache_dir is None:
            return None
        digest = hashlib.sha256(
            json.dumps([self._model_key, prompt.system, prompt.user]).encode()
        ).hexdigest()
        return self._cache_dir / f"{digest}.json"

    def ask(self, prompt: RenderedPrompt, on_token: TokenSink | None = None) -> str:
        """The reply, from the cache when this exact prompt was asked of this model before."""
        path = self._path(prompt)
        if path is not None and path.is_file():
            reply = str(json.loads(path.read_text("utf-8"))["reply"])
            if on_token:
                on_token(reply)
            return reply
        reply = self._send(prompt, on_token)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"reply": reply}, ensure_ascii=False), "utf-8")
        return reply


def valid_question(text: str) -> bool:
    """One Dutch question, short, ending in '?', without advice or fence markers."""
    text = text.strip()
    tokens = [w.lower() for w in words(text)]
    return (
        text.endswith("?")
        and text.count("?") == 1
        and 3 <= len(tokens) <= 40
        and bool(_DUTCH & set(tokens))
        and not gives_advice(text)
        and "CITAAT" not in text
    )


def unsupported_tokens(text: str, said: str) -> list[str]:
    """Names and numbers in `text` that the user never wrote (sentence starts are not names)."""
    missing = []
    for sentence in split_sentences(text):
        for match in _NAME_OR_NUMBER.finditer(sentence):
            token = match.group(0)
            if match.start() == 0 and not token[0].isdigit():
                continue
            if token not in said and token not in missing:
                missing.append(token)
    return missing


def _answers_by_perspective(state: SessionState) -> str:
    blocks = []
    story = [a.text for a in state.answers if a.step == "kop"]
    if story:
        blocks.append("Ervaring:\n" + fence("\n".join(story)))
    for perspective in METHOD_ORDER:
        told = [a.text for a in state.answers if a.perspective == perspective]
        if told:
            blocks.append(f"{PERSPECTIEF_LABELS[perspective]}:\n" + fence("\n".join(told)))
    closing = [a.text for a in state.answers if a.step in ("afronding", "afbeelding")]
    if closing:
        blocks.append("Afronding:\n" + fence("\n".join(closing)))
    return "\n\n".join(blocks) or fence("(nog niets)")


@dataclass(frozen=True)
class Proposal:
    """What the LLM proposed (None when refused) and, if refused, why."""

    value: str | None
    problem: str | None = None


@dataclass(frozen=True)
class Enricher:
    """LLM proposals for the facilitator, each checked. Stateless: shared by all sessions."""

    asker: Asker
    prompts: PromptSet

    def _ask(self, name: str, on_token: TokenSink | None = None, **variables: str) -> Proposal:
        try:
            reply = self.asker.ask(self.prompts.render(name, **variables), on_token)
        except LLMFailed as exc:
            return Proposal(None, str(exc) or "geen antwoord")
        reply = reply.strip()
        return Proposal(reply) if reply else Proposal(None, "een leeg antwoord")

    def phrase(
        self,
        state: SessionState,
        question: str,
        perspective: Perspectief | None,
        on_token: TokenSink | None = None,
    ) -> Proposal:
        """The question in the user's own words (or why not: then the built-in text is used)."""
        told = [a.text for a in state.answers[-4:]]
        proposal = self._ask(
            "vraag_herformuleren",
            on_token,
            vraag=question,
            perspectief=PERSPECTIEF_LABELS[perspective] if perspective else "de ervaring",
            uitleg_perspectief=PERSPECTIVE_EXPLAINED[perspective]
            if perspective
            else "wat er gebeurde",
            vorm="jij" if state.wie == "ik" else "jullie",
            antwoorden=fence("\n".join(told) or state.beschrijving),
        )
        if proposal.value is None:
            return proposal
        text = proposal.value.strip().strip('"“”')
        if not valid_question(text):
            return Proposal(None, "geen enkele, adviesvrije vraag")
        return Proposal(text)

    def judge_vague(self, question: str, answer: str) -> tuple[bool | None, str | None]:
        """(verdict, problem): True/False when the LLM gives a clear verdict."""
        proposal = self._ask("vaagheid", vraag=question, antwoord=fence(answer))
        verdict = (proposal.value or "").strip().upper()
        if verdict.startswith("VAAG"):
            return True, None
        if verdict.startswith("CONCREET"):
            return False, None
        return None, proposal.problem or "een onduidelijk oordeel"

    def beeld(
        self,
        state: SessionState,
        situation: str,
        examples: list[str],
        on_token: TokenSink | None = None,
    ) -> Proposal:
        """A narrative beeld from the user's answers, refused when it adds what they did not say."""
        proposal = self._ask(
            "beeld_schrijven",
            on_token,
            vorm="ik" if state.wie == "ik" else "wij",
            situatie=situation,
            antwoorden=_answers_by_perspective(state),
            voorbeelden="\n".join(fence(e) for e in examples) or fence("(geen)"),
        )
        if proposal.value is None:
            return proposal
        said = " ".join(t.text for t in state.turns if t.role == "user")
        if extra := unsupported_tokens(proposal.value, said):
            return Proposal(None, f"namen of getallen die je niet noemde ({', '.join(extra[:3])})")
        if gives_advice(proposal.value) or not 40 <= len(words(proposal.value)) <= 320:
            return Proposal(None, "geen trouwe beschrijving")
        return proposal

    def titles(self, state: SessionState, beeld: str) -> list[str]:
        """Up to three short titles in the user's words (names and numbers they gave only)."""
        proposal = self._ask(
            "titels", beeld=fence(beeld), deugden=", ".join(state.deugden) or "geen"
        )
        said = " ".join(t.text for t in state.turns if t.role == "user")
        titles = []
        for line in (proposal.value or "").splitlines():
            title = line.strip().strip('-•*0123456789. "“”')
            if 2 <= len(words(title)) <= 7 and not unsupported_tokens(f"x {title}", said):
                titles.append(title)
        return titles[:3]
