"""The facilitator's means of speaking: picking and phrasing questions, mirrors, the reply.

`Asking` holds what every step of the conversation uses; `engine.Facilitator` builds the
method's flow (voorbereiding, kop, romp, staart, concept) on top of it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import Phase, SessionState, Turn, TurnKind
from assistant.facilitator import compose
from assistant.facilitator.enrich import FALLBACK_NOTICE, Enricher, TokenSink
from assistant.facilitator.events import Coverage, Event, Mirror, Notice, Question
from assistant.facilitator.language import VAGUE_STEPS, judge_answer
from assistant.facilitator.library import CorpusLibrary, best_quote
from assistant.facilitator.questions import Forms, QuestionBank
from assistant.templates import NONE, render

# The one clarifying question before the offer (asked at most once per session).
CLARIFY = "voorbereiding.verduidelijking"

MIRROR_QUERY_CHARS = 400
# At most this many mirrors in a session, each above this relevance (perspective signal words
# count twice, words shared with the user's answers once).
MAX_MIRRORS = 3
MIRROR_MIN_SCORE = 3.0


@dataclass(frozen=True)
class FacilitatorConfig:
    """Tunable behaviour of the built-in facilitator."""

    questions_per_perspective: int = 1
    min_words: int = 8
    min_words_kop: int = 15
    mirrors: bool = True
    offered: int = 3
    max_answer_chars: int = 10_000
    clarify_words: int = 6
    clarify_margin: float = 0.05


@dataclass
class Reply:
    """The events produced for one action; each turn event is also written to the transcript."""

    state: SessionState
    events: list[Event] = field(default_factory=list)
    on_token: TokenSink | None = None
    problems: list[str] = field(default_factory=list)  # why LLM proposals were refused

    def add(self, event: Event) -> None:
        """Append an event and record it as an assistant turn."""
        self.events.append(event)
        if isinstance(event, Coverage) or (isinstance(event, Notice) and event.transient):
            return
        meta = {}
        if isinstance(event, Mirror):
            meta = {"mirror_id": event.mirror_id, "titel": event.title, "bron": event.source}
        self.state.turns.append(
            Turn(
                role="assistant",
                text=event.text,
                phase=event.phase,
                kind=TurnKind(event.kind),
                perspective=event.perspective,
                meta=meta,
            )
        )


class Asking:
    """Questions, phrasing, mirrors and replies, shared by every step of the facilitator."""

    def __init__(
        self,
        bank: QuestionBank,
        library: CorpusLibrary,
        config: FacilitatorConfig | None = None,
        enricher: Enricher | None = None,
    ) -> None:
        self.bank = bank
        self.library = library
        self.config = config or FacilitatorConfig()
        self.enricher = enricher

    def _situation_name(self, state: SessionState) -> str:
        if state.situatie:
            # Titles end in "?"; inside a question they read as a quoted name.
            return self.library.situation_title(state.situatie).rstrip("?").rstrip()
        return "jouw situatie" if state.wie == "ik" else "jullie situatie"

    def _is_vague(self, state: SessionState, text: str, reply: Reply) -> bool:
        """The built-in judgement; an LLM may overrule it where the rules only guess."""
        if state.step not in VAGUE_STEPS:
            return False
        judgement = judge_answer(
            text,
            state.step,
            min_words=self.config.min_words,
            min_words_kop=self.config.min_words_kop,
            story=" ".join(
                [state.beschrijving, *(a.text for a in state.answers if a.step == "kop")]
            ),
        )
        if self.enricher is None or judgement.reason in ("weet niet", "kort"):
            return judgement.vague
        asked = next((t.text for t in reversed(state.turns[:-1]) if t.role == "assistant"), "")
        verdict, problem = self.enricher.judge_vague(asked, text)
        if verdict is None:
            reply.problems.append(problem or "geen oordeel")
            return judgement.vague
        return verdict

    def _phrase(
        self, state: SessionState, reply: Reply, text: str, perspective: Perspectief | None
    ) -> str:
        """The question as the LLM phrases it in the user's words, or the bank's text."""
        if self.enricher is None:
            return text
        proposal = self.enricher.phrase(state, text, perspective, reply.on_token)
        if proposal.value is None:
            reply.problems.append(proposal.problem or "geen antwoord")
            return text
        return proposal.value

    def _enriched(
        self, state: SessionState, draft: compose.ComposedA4, reply: Reply
    ) -> compose.ComposedA4:
        """With an LLM: a narrative beeld and titles, if they stay faithful to the user."""
        if self.enricher is None:
            return draft
        situation = self._situation_name(state)
        examples = [b.beeld for b in self.library.corpus.beelden_bij(state.situatie)]
        proposal = self.enricher.beeld(state, situation, examples, reply.on_token)
        if proposal.value is None:
            reply.problems.append(proposal.problem or "geen antwoord")
            return draft
        titles = self.enricher.titles(state, proposal.value) + draft.titles
        unique = list(dict.fromkeys(titles))[:5]
        a4 = draft.a4.model_copy(update={"beeld": proposal.value, "titel": unique[0]})
        return compose.ComposedA4(a4=a4, titles=unique, trace=[])

    def _maybe_mirror(self, state: SessionState, reply: Reply, perspective: Perspectief) -> None:
        if (
            not self.config.mirrors
            or len(state.mirrors_shown) >= MAX_MIRRORS
            or any(m.startswith(f"{perspective.value}:") for m in state.mirrors_shown)
        ):
            return
        told = [a.text for a in state.answers if a.step in ("kop", "romp")]
        story = " ".join(told)
        # Search with the description and the latest answer only: embedding cost grows with
        # length, and the latest answer is what the next perspective builds on.
        query = f"{state.beschrijving} {told[-1] if told else ''}"[:MIRROR_QUERY_CHARS]
        sources = self.library.mirror_sources(state.situatie, query)
        shown = {m.split(":", 1)[1] for m in state.mirrors_shown} | set(state.mirrors_dismissed)
        # Each mirror from another beeld: the same beeld five times tells the user nothing new.
        used = {m.split(":", 1)[1].split("#")[0] for m in state.mirrors_shown}
        sources = [s for s in sources if s.id not in used]
        found = best_quote(sources, perspective, story, shown, min_score=MIRROR_MIN_SCORE)
        if found is None:
            return
        source, sentence, mirror_id = found
        state.mirrors_shown.append(f"{perspective.value}:{mirror_id}")
        lead = self._pick(state, "spiegel", self.bank.spiegel.inleiding)
        text = f"{lead} “{sentence}” (uit het beeld ‘{source.title}’, {source.source})"
        mirror = Mirror(
            text=text,
            phase=Phase.ROMP,
            perspective=perspective,
            mirror_id=mirror_id,
            quote=sentence,
            title=source.title,
            source=source.source,
        )
        reply.add(mirror)

    def _choose(self, state: SessionState, key: str, pool: list[str]) -> str:
        """A question from the pool: rotate through it, starting at a per-session offset."""
        asked_before = sum(1 for k in state.asked if k == key)
        offset = int(hashlib.sha256(f"{state.id}:{key}".encode()).hexdigest(), 16) % len(pool)
        if key.startswith("romp.") or key.startswith("kop."):
            offset = 0  # the method's own questions come first
        return pool[(offset + asked_before) % len(pool)]

    def _pick(self, state: SessionState, key: str, forms: Forms) -> str:
        return self._choose(state, key, forms.get(state.wie))

    def _ask(
        self,
        state: SessionState,
        reply: Reply,
        key: str,
        forms: Forms,
        perspective: Perspectief | None = None,
        allowed: frozenset[str] = NONE,
        **variables: str,
    ) -> None:
        template = self._pick(state, key, forms)
        state.asked.append(key)
        question = Question(
            text=render(template, allowed, **variables), phase=state.phase, perspective=perspective
        )
        reply.add(question)

    def _ask_from(
        self, state: SessionState, reply: Reply, key: str, pool: list[str], perspective: Perspectief
    ) -> None:
        text = self._phrase(state, reply, self._choose(state, key, pool), perspective)
        state.asked.append(key)
        question = Question(text=text, phase=Phase.ROMP, perspective=perspective)
        reply.add(question)

    def _record_user(
        self, state: SessionState, text: str, meta: dict[str, str] | None = None
    ) -> None:
        state.turns.append(
            Turn(
                role="user",
                text=text,
                phase=state.phase,
                perspective=state.current,
                meta=meta or {},
            )
        )

    def _finish(self, state: SessionState, reply: Reply) -> list[Event]:
        """Close a reply: a notice if the LLM fell short, then the coverage event."""
        if reply.problems:
            reply.add(
                Notice(
                    text=FALLBACK_NOTICE.format(reason=reply.problems[-1]),
                    phase=state.phase,
                    perspective=state.current,
                )
            )
        reply.add(self.coverage(state))
        return reply.events

    def coverage(self, state: SessionState) -> Coverage:
        """The coverage event for the perspective map."""
        return Coverage(
            counts=dict(state.coverage), current=state.current, skipped=list(state.skipped)
        )
