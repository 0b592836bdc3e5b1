"""The facilitator: takes a user action, updates the session state, returns events.

It follows the handreiking of booklet 004 as a human facilitator would: voorbereiding (describe,
recognise a situation), kop (a concrete experience), romp (the five perspectives, one question
per turn, the least-covered next, follow-ups when an answer stays vague), staart (the closing
questions) and the concept (the rich A4 from the user's own words). It never gives advice.
"""

from __future__ import annotations

import re

from assistant.domain.perspectives import METHOD_ORDER, PERSPECTIEF_LABELS, Perspectief
from assistant.domain.session import (
    A4_FIELDS,
    A4Field,
    Answer,
    Bouwsteen,
    Phase,
    SessionState,
    Traced,
)
from assistant.facilitator import blocks, compose, listening, selection
from assistant.facilitator.asking import CLARIFY, Reply
from assistant.facilitator.attuning import MAX_DEPTH, Attuning
from assistant.facilitator.enrich import TokenSink
from assistant.facilitator.events import Draft, Event, FollowUp, Notice, Option, Question
from assistant.facilitator.language import (
    Intent,
    find_virtues,
    names_virtues_asked_for,
    read_navigation,
)
from assistant.facilitator.library import Offer
from assistant.facilitator.listening import Kind, Phrase
from assistant.templates import DEUGD, PERSPECTIEVEN, SITUATIE
from assistant.text import analyse, enumerate_nl, first_chars, fold, split_sentences, words

MAX_FOLLOW_UPS = 2
NONE_LABEL = "Mijn situatie staat er niet bij"
# "Neem het concept", "ja", "ok": take what is proposed.
_TAKE_THE_DRAFT = re.compile(
    r"^\s*(neem (het|dat|dit) (concept|voorstel)( maar)?|ja|ok|oké|oke|prima|goed|akkoord|"
    r"verder|door|sla over|overslaan|klaar|de eerste|nummer 1|neem de eerste|is goed)\s*[.!]*\s*$",
    re.IGNORECASE,
)
NONE_CHOICES = {"0", "geen", "geen van deze", "mijn situatie staat er niet bij", "niets", "none"}


class Facilitator(Attuning):
    """The rule-based facilitator; stateless itself, all state lives in `SessionState`."""

    # ----- entry points -------------------------------------------------------------------

    def start(self, state: SessionState) -> list[Event]:
        """The opening question of a new session."""
        reply = Reply(state)
        self._ask(state, reply, "voorbereiding.situatie", self.bank.voorbereiding.situatie)
        return reply.events

    def answer(
        self, state: SessionState, text: str, on_token: TokenSink | None = None
    ) -> list[Event]:
        """Handle a typed user turn: an answer, a navigation command or a direct question.

        With an LLM configured, `on_token` receives its text as it streams.
        """
        self._record_user(state, text)
        if state.step != "situatie":  # the description is searched by a bounded part already
            # The transcript keeps a pasted report whole; the method hears (and the A4 draws
            # on) its first part, so every reply comes in a second, however long the text.
            text = first_chars(text, self.config.max_answer_chars)
        reply = Reply(state, on_token=on_token)
        match state.step:
            case "situatie":
                self._on_description(state, text, reply)
            case "keuze":
                self._on_choice_text(state, text, reply)
            case "concept":
                reply.add(Notice(text=self.bank.meldingen.concept, phase=Phase.CONCEPT))
            case "overgeslagen":
                self._on_skipped_offer(state, text, reply)
            case "bouwstenen":
                self._on_blocks_text(state, text, reply)
            case "titel":
                self._on_title_text(state, text, reply)
            case _:
                self._on_reflection_turn(state, text, reply)
        return self._finish(state, reply)

    def choose_situation(self, state: SessionState, index: int) -> list[Event]:
        """Pick the offered situation `index` (1-based), or none with 0."""
        self._record_user(state, self._choice_label(state, index), meta={"keuze": str(index)})
        reply = Reply(state)
        if state.step != "keuze":
            reply.add(Notice(text="Er staat nu geen keuze open.", phase=state.phase))
            return self._finish(state, reply)
        self._apply_choice(state, index, reply)
        return self._finish(state, reply)

    def choose_perspective(self, state: SessionState, perspective: Perspectief) -> list[Event]:
        """Go to a perspective of the user's choice (also from the perspective map)."""
        reply = Reply(state)
        if state.step not in ("romp", "gulden_midden", "overgeslagen"):
            reply.add(Notice(text="Perspectieven kies je tijdens de romp.", phase=state.phase))
            return reply.events
        if perspective in state.skipped:
            state.skipped.remove(perspective)
        self._ask_perspective(state, reply, perspective)
        return self._finish(state, reply)

    def skip(self, state: SessionState) -> list[Event]:
        """Skip the current perspective."""
        reply = Reply(state)
        self._skip(state, reply)
        return self._finish(state, reply)

    def back(self, state: SessionState) -> list[Event]:
        """Return to the previously visited perspective."""
        reply = Reply(state)
        self._back(state, reply)
        return self._finish(state, reply)

    def to_draft(self, state: SessionState) -> list[Event]:
        """Compose the A4 now (the user is done, or a script ran out of answers)."""
        reply = Reply(state)
        self._draft(state, reply)
        return self._finish(state, reply)

    def building_blocks(self, state: SessionState) -> list[Bouwsteen]:
        """The user's own strongest sentences by perspective, to build the beeld from."""
        return blocks.building_blocks(state)

    def build_beeld(
        self,
        state: SessionState,
        chosen: list[str] | None,
        openingen: dict[str, str],
        eigen: list[str],
    ) -> list[Event]:
        """The beeld from the blocks the user picked (in their order; None: the proposed ones,
        as in the draft), the sentence openings they completed and sentences of their own;
        then the title question."""
        reply = Reply(state)
        if state.step not in ("bouwstenen", "titel", "concept"):
            reply.add(
                Notice(
                    text="Bouwstenen kies je na de afronding.", phase=state.phase, transient=True
                )
            )
            return reply.events
        known = {b.id for b in blocks.building_blocks(state)}
        state.blocks_chosen = (
            None if chosen is None else [i for i in dict.fromkeys(chosen) if i in known]
        )
        state.openingen = {k: v.strip() for k, v in openingen.items() if v.strip()}
        state.eigen_zinnen = [e.strip() for e in eigen if e.strip()]
        if "beeld" in state.a4_edited:
            state.a4_edited.remove("beeld")  # the user builds it anew from the blocks
        self._draft(state, reply, then_title=state.step == "bouwstenen")
        return self._finish(state, reply)

    def choose_title(self, state: SessionState, title: str) -> list[Event]:
        """The A4's title, chosen or written by the user: the last step before the concept."""
        reply = Reply(state)
        self._set_title(state, title, reply)
        return self._finish(state, reply)

    def snapshot(self, state: SessionState) -> list[Event]:
        """The events that show a stored session as it stands, for a page that opens it:
        the coverage, the question now open (with its choices) and the A4 once drafted."""
        events: list[Event] = [self.coverage(state)]
        asked = next((t for t in reversed(state.turns) if t.role == "assistant"), None)
        text = asked.text if asked else ""
        if state.step == "keuze":
            options = [
                Option(value=str(i), label=self.library.situation_title(s))
                for i, s in enumerate(state.offered, 1)
            ]
            options.append(Option(value="0", label=NONE_LABEL))
            events.append(Question(text=text, phase=state.phase, options=options))
        else:
            perspective = state.current if state.step in ("romp", "gulden_midden") else None
            events.append(Question(text=text, phase=state.phase, perspective=perspective))
        if state.step in ("titel", "concept"):
            events.append(_draft_event(state, text))
        return events

    def dismiss_mirror(self, state: SessionState, mirror_id: str) -> None:
        """Hide a mirror; it is not offered again in this session."""
        if mirror_id not in state.mirrors_dismissed:
            state.mirrors_dismissed.append(mirror_id)

    def choose_virtues(self, state: SessionState, virtues: list[str]) -> None:
        """Record the virtues the user selected from the list."""
        known = set(self.library.virtues())
        for virtue in virtues:
            if virtue in known and virtue not in state.deugden:
                state.deugden.append(virtue)

    def edit(self, state: SessionState, part: A4Field, value: str) -> None:
        """Store the user's edit of one part of the A4; edits are never overwritten."""
        setattr(state.a4, part, value)
        if part not in state.a4_edited:
            state.a4_edited.append(part)

    # ----- voorbereiding --------------------------------------------------------------------

    def _on_description(self, state: SessionState, text: str, reply: Reply) -> None:
        if not text.strip():
            reply.add(Notice(text="Beschrijf je situatie in een paar zinnen.", phase=state.phase))
            return
        if self._clarifying(state):  # the answer joins the description it clarifies
            state.beschrijving = f"{state.beschrijving}\n\n{text.strip()}"
        else:
            state.beschrijving = text.strip()
        offers = self.library.offer(state.beschrijving, self.config.offered)
        if CLARIFY not in state.asked and (why := self._unclear(state.beschrijving, offers)):
            forms = getattr(self.bank.voorbereiding.verduidelijking, why)
            self._ask(state, reply, CLARIFY, forms)
            return
        state.offered = [o.situation for o in offers]
        state.offer_reasons = [o.why for o in offers]
        state.step = "keuze"
        options = [
            Option(value=str(i), label=o.title, detail=f"{o.summary}\n{o.why}")
            for i, o in enumerate(offers, 1)
        ]
        options.append(Option(value="0", label=NONE_LABEL))
        question = self._pick(state, "voorbereiding.keuze", self.bank.voorbereiding.keuze)
        listing = "\n".join(f"{o.value}. {o.label}" for o in options[:-1])
        text_out = f"{listing}\n\n{question}"
        reply.add(Question(text=text_out, phase=Phase.VOORBEREIDING, options=options))

    def _clarifying(self, state: SessionState) -> bool:
        """Whether the clarifying question is open: asked, and no situations offered yet."""
        return bool(state.asked) and state.asked[-1] == CLARIFY and bool(state.beschrijving)

    def _unclear(self, description: str, offers: list[Offer]) -> str | None:
        """Why the offer would be a guess: "kort" for a very short description, "twijfel" when
        the two best situations score almost the same; None when the offer can be made."""
        if len(words(description)) < self.config.clarify_words:
            return "kort"
        if len(offers) >= 2 and offers[0].score - offers[1].score < self.config.clarify_margin:
            return "twijfel"
        return None

    def _on_choice_text(self, state: SessionState, text: str, reply: Reply) -> None:
        choice = " ".join(text.lower().split()).strip(".!")
        if choice in NONE_CHOICES:
            self._apply_choice(state, 0, reply)
            return
        if choice.isdigit() and 0 <= int(choice) <= len(state.offered):
            self._apply_choice(state, int(choice), reply)
            return
        for index, situation in enumerate(state.offered, 1):
            if choice and choice in self.library.situation_title(situation).lower():
                self._apply_choice(state, index, reply)
                return
        # Anything else adds to the description; the offer stays open.
        state.beschrijving = f"{state.beschrijving}\n\n{text.strip()}".strip()
        reply.add(
            Notice(
                text="Ik heb dit bij je beschrijving gezet. Kies een nummer uit de lijst, "
                "of 0 als je situatie er niet bij staat.",
                phase=Phase.VOORBEREIDING,
            )
        )

    def _choice_label(self, state: SessionState, index: int) -> str:
        if 1 <= index <= len(state.offered):
            return f"{index}. {self.library.situation_title(state.offered[index - 1])}"
        return "Mijn situatie staat er niet bij"

    def _apply_choice(self, state: SessionState, index: int, reply: Reply) -> None:
        if not 0 <= index <= len(state.offered):
            reply.add(Notice(text=f"Kies 0 tot en met {len(state.offered)}.", phase=state.phase))
            return
        state.situatie = state.offered[index - 1] if index else 0
        if index:  # the situation's own text, so the user reads what was chosen
            reply.add(
                Notice(text=self.library.situation_text(state.situatie), phase=Phase.VOORBEREIDING)
            )
        if not index:
            reply.add(
                Notice(
                    text=self._pick(state, "voorbereiding.eigen", self.bank.voorbereiding.eigen),
                    phase=Phase.VOORBEREIDING,
                )
            )
        state.step = "kop"
        if listening.feeling(state.beschrijving):
            self._acknowledge(state, reply)
        if self._open_kop(state, reply):
            return
        forms = self.bank.kop.achteraf if state.moment == "achteraf" else self.bank.kop.vooruit
        self._ask(
            state,
            reply,
            f"kop.{state.moment}",
            forms,
            allowed=SITUATIE,
            situatie=self._situation_name(state),
        )

    # ----- kop, romp, staart ----------------------------------------------------------------

    def _on_reflection_turn(self, state: SessionState, text: str, reply: Reply) -> None:
        if not text.strip():
            reply.add(
                Notice(
                    text="Je antwoord is leeg; neem gerust de tijd.",
                    phase=state.phase,
                    perspective=state.current,
                )
            )
            return
        navigation = read_navigation(text)
        if navigation.intent is not Intent.ANSWER and state.step in ("romp", "gulden_midden"):
            self._navigate(state, navigation.intent, navigation.perspective, reply)
            return
        if navigation.intent is Intent.DRAFT:
            self._draft(state, reply)
            return
        if (kind := listening.meta_kind(text)) is not None:
            # About the conversation, not an answer: never stored, never in the A4.
            if self._repair(state, kind, reply):
                self._move_on(state, reply)
            return
        if listening.asks_for_advice(text):
            self._no_advice(state, text, reply)
            return
        if listening.nothing_more(text) and self._told_here(state):
            # "Meer weet ik er niet over": this part is done; not an answer, no follow-up.
            reply.add(
                Notice(
                    text=self.bank.meldingen.niets_meer,
                    phase=state.phase,
                    perspective=state.current,
                )
            )
            self._move_on(state, reply)
            return
        # The extremes of a golden mean are not feelings the user has now.
        if listening.feeling(text) and state.step != "gulden_midden":
            self._acknowledge(state, reply)
            if state.step == "kop" and self._after_a_feeling(state, text, reply):
                return
        self._take_answer(state, text, reply)

    def _told_here(self, state: SessionState) -> bool:
        """Has the user already answered in this part (the kop, or the current perspective)?"""
        if state.step == "kop":
            return any(a.step == "kop" and not a.vague for a in state.answers)
        if state.step in ("romp", "gulden_midden") and state.current is not None:
            return bool(state.answers_on(state.current))
        return False

    def _navigate(
        self, state: SessionState, intent: Intent, perspective: Perspectief | None, reply: Reply
    ) -> None:
        match intent:
            case Intent.SKIP:
                self._skip(state, reply)
            case Intent.BACK:
                self._back(state, reply)
            case Intent.CHOOSE if perspective is not None:
                self._ask_perspective(state, reply, perspective)
            case Intent.DRAFT:
                self._draft(state, reply)

    def _no_advice(self, state: SessionState, text: str, reply: Reply) -> None:
        """A warm no, then a question that hands the dilemma back."""
        melding = self._pick(state, "geen_advies.melding", self.bank.geen_advies.melding)
        reply.add(Notice(text=melding, phase=state.phase, perspective=state.current))
        dilemma = listening.dilemma(text)
        if dilemma:
            jij = "je" if state.wie == "ik" else "jullie"
            question = f"Wat zou ‘{dilemma}’ voor {jij} oplossen, en wat niet?"
            if not self._repeats(state, question):
                reply.add(Question(text=question, phase=state.phase, perspective=state.current))
                return
        self._ask(
            state,
            reply,
            "geen_advies.vraag",
            self.bank.geen_advies.vraag,
            perspective=state.current,
        )

    def _move_on(self, state: SessionState, reply: Reply) -> None:
        """On to what comes next in the method, without an answer to the open question."""
        state.followups = 0
        match state.step:
            case "kop":
                state.step = "romp"
                reply.add(Notice(text=self.bank.meldingen.romp_start, phase=Phase.ROMP))
                self._next_perspective(state, reply)
            case "romp" | "gulden_midden":
                if state.current is not None:
                    self._count(state, state.current)
                state.step = "romp"
                self._next_perspective(state, reply)
            case "afronding":
                state.step = "afbeelding"
                self._ask(state, reply, "staart.afbeelding", self.bank.staart.afbeelding)
            case "afbeelding":
                self._offer_blocks(state, reply)
            case _:
                self._draft(state, reply)

    def _take_answer(self, state: SessionState, text: str, reply: Reply) -> None:
        vague = self._is_vague(state, text, reply)
        if names_virtues_asked_for(text, state.current, self.library.virtues()):
            vague = False
        state.answers.append(
            Answer(
                turn=len(state.turns) - 1,
                step=state.step,
                perspective=state.current,
                text=text.strip(),
                vague=vague,
            )
        )
        if state.step == "kop" and listening.is_opinion(text) and state.followups < MAX_FOLLOW_UPS:
            state.answers[-1].vague = True  # an opinion is not yet the experience
            state.followups += 1
            if self._back_to_a_moment(state, reply):
                return
        # Deep in a perspective a short answer mostly means "nothing more here": one follow-up.
        deeper = (
            state.step == "romp"
            and state.current is not None
            and len(state.answers_on(state.current)) > 2
        )
        if vague and state.followups < (1 if deeper else MAX_FOLLOW_UPS):
            state.followups += 1
            self._follow_up(state, reply)
            return
        if vague:
            reply.add(
                Notice(
                    text=self.bank.meldingen.genoeg_doorgevraagd,
                    phase=state.phase,
                    perspective=state.current,
                )
            )
        state.followups = 0
        if state.step == "kop" and not vague and self._story_gap(state, reply):
            return
        if state.step == "romp":
            self._after_romp_answer(state, text, reply)
        else:
            self._move_on(state, reply)

    def _after_romp_answer(self, state: SessionState, text: str, reply: Reply) -> None:
        current = state.current
        if current is None:
            self._next_perspective(state, reply)
            return
        self._count(state, current)
        if current is Perspectief.WAARDEN_DEUGDEN:
            self.choose_virtues(state, find_virtues(text, self.library.virtues()))
            if state.deugden and "deugden.gulden_midden" not in state.asked:
                state.step = "gulden_midden"
                self._ask(
                    state,
                    reply,
                    "deugden.gulden_midden",
                    self.bank.deugden.gulden_midden,
                    perspective=current,
                    allowed=DEUGD,
                    deugd=state.deugden[0].lower(),
                )
                return
        if not listening.feeling(text):
            # After the user's first answer on a perspective, for recognition, never before.
            self._maybe_mirror(state, reply, current)
        if self._deepen(state, current, text, reply):
            return
        self._next_perspective(state, reply)

    def _deepen(
        self, state: SessionState, perspective: Perspectief, text: str, reply: Reply
    ) -> bool:
        """Ask on in the user's own words while the answers bring something new (at most
        MAX_DEPTH questions on a perspective). True when a question was asked."""
        answered = [a for a in state.answers if a.perspective == perspective]
        if not answered or answered[-1].vague or len(answered) >= MAX_DEPTH:
            return False
        phrase = self._phrase_to_take_up(state, text, perspective)
        if phrase is None or (phrase.kind.value == "kern" and len(answered) > 1):
            return False  # nothing new in this answer to take up
        question = self._echo_question(state, text, perspective)
        if question is None:
            return False
        reply.add(Question(text=question, phase=Phase.ROMP, perspective=perspective))
        return True

    def _count(self, state: SessionState, perspective: Perspectief) -> None:
        state.coverage[perspective] = state.coverage.get(perspective, 0) + 1

    def _open_perspectives(self, state: SessionState) -> list[Perspectief]:
        target = self.config.questions_per_perspective
        return [p for p in METHOD_ORDER if p not in state.skipped and state.coverage[p] < target]

    def _next_perspective(self, state: SessionState, reply: Reply) -> None:
        """Ask about the least-covered open perspective (method order breaks ties), or close."""
        open_ = self._open_perspectives(state)
        if not open_ and state.skipped and "staart.overgeslagen" not in state.asked:
            self._offer_skipped(state, reply)
            return
        if not open_:
            self._to_staart(state, reply)
            return
        least = min(state.coverage[p] for p in open_)
        self._ask_perspective(state, reply, next(p for p in open_ if state.coverage[p] == least))

    def _ask_perspective(self, state: SessionState, reply: Reply, perspective: Perspectief) -> None:
        state.step = "romp"
        state.current = perspective
        state.followups = 0
        if not state.visited or state.visited[-1] != perspective:
            state.visited.append(perspective)
        questions = self.bank.romp.of(perspective)
        if state.moment == "vooruit":
            pool = questions.vooruit.get(state.wie) + questions.methode.get(state.wie)
        else:
            pool = questions.methode.get(state.wie) + questions.aanvullend.get(state.wie)
        key = f"romp.{perspective.value}"
        if perspective is Perspectief.WAARDEN_DEUGDEN and "deugden.spanning" not in state.asked:
            # First question on values: which virtues come under tension, with the booklet's
            # virtue list to choose from; the golden mean follows once virtues are named.
            text = self._pick(state, "deugden.spanning", self.bank.deugden.spanning)
            state.asked.append("deugden.spanning")
            reply.add(
                Question(
                    text=self._phrase(state, reply, text, perspective),
                    phase=Phase.ROMP,
                    perspective=perspective,
                    options=[Option(value=v, label=v) for v in self.library.virtues()],
                )
            )
            return
        self._ask_from(state, reply, key, pool, perspective)

    def _skip(self, state: SessionState, reply: Reply) -> None:
        if state.current is None or state.step not in ("romp", "gulden_midden"):
            reply.add(Notice(text="Er is nu geen perspectief om over te slaan.", phase=state.phase))
            return
        if state.current not in state.skipped:
            state.skipped.append(state.current)
        reply.add(
            Notice(text=self.bank.meldingen.overslaan, phase=Phase.ROMP, perspective=state.current)
        )
        self._next_perspective(state, reply)

    def _back(self, state: SessionState, reply: Reply) -> None:
        previous = [p for p in state.visited if p != state.current]
        if not previous:
            reply.add(
                Notice(
                    text="Er is nog geen vorig perspectief.",
                    phase=state.phase,
                    perspective=state.current,
                )
            )
            return
        target = previous[-1]
        reply.add(Notice(text=self.bank.meldingen.terug, phase=Phase.ROMP, perspective=target))
        if target in state.skipped:
            state.skipped.remove(target)
        self._ask_perspective(state, reply, target)

    def _follow_up(self, state: SessionState, reply: Reply) -> None:
        if state.step == "romp" and state.current is not None:
            key = state.current.value
        else:
            key = "kop" if state.step == "kop" else "staart"
        text = None
        said = state.answers[-1].text if state.answers else ""
        phrase = self._phrase_to_take_up(state, said, state.current)
        if phrase is not None and phrase.kind.value != "kern":
            # A short answer can still hold the words to ask on: "Ik zei niks."
            text = self._echo_question(state, said)
        if text is None and state.moment == "vooruit" and state.step == "romp" and state.current:
            text = self._ladder(state, state.current)  # in the tense of a meeting ahead
        elif text is None and state.moment == "vooruit" and state.step == "kop":
            text = self._ahead_in_the_kop(state)
        if text is None and state.moment == "achteraf":  # these follow-ups ask about the past
            text = self._fresh(state, f"doorvragen.{key}", self.bank.doorvragen.of(key))
        if text is None:  # every follow-up would repeat an earlier question: move on instead
            self._move_on(state, reply)
            return
        if phrase is None and state.step == "romp" and (topic := _named_topic(said)):
            # "Politiek vooral." names what it is about: asked on with those words quoted.
            text = self._quoting(state, Phrase(text=topic, kind=Kind.KERN), text)
        text = self._phrase(state, reply, text, state.current if state.step == "romp" else None)
        state.asked.append(f"doorvragen.{key}")
        reply.add(
            FollowUp(
                text=text,
                phase=state.phase,
                perspective=state.current if state.step == "romp" else None,
            )
        )

    def _ahead_in_the_kop(self, state: SessionState) -> str | None:
        """A follow-up on a meeting ahead: what is expected, feared, hoped, in that order; then
        the kop's own forward-looking questions. Never a question about the past."""
        told = " ".join([state.beschrijving, *(a.text for a in state.answers if a.step == "kop")])
        for gap in listening.missing_in_story(told, "vooruit"):
            key = f"verhaal.{gap}"
            if key not in state.asked and (
                text := self._fresh(state, key, getattr(self.bank.verhaal, gap))
            ):
                return text
        return self._fresh(
            state, "kop.vooruit", self.bank.kop.vooruit, situatie=self._situation_name(state)
        )

    def _offer_skipped(self, state: SessionState, reply: Reply) -> None:
        """Once before the close: the skipped perspectives, to look at after all or not."""
        state.step = "overgeslagen"
        state.current = None
        names = [PERSPECTIEF_LABELS[p].lower() for p in state.skipped]
        self._ask(
            state,
            reply,
            "staart.overgeslagen",
            self.bank.staart.overgeslagen,
            allowed=PERSPECTIEVEN,
            perspectieven=enumerate_nl(names),
        )

    def _on_skipped_offer(self, state: SessionState, text: str, reply: Reply) -> None:
        """A skipped perspective named or a yes: ask it; anything else: on to the close."""
        navigation = read_navigation(text)
        if navigation.intent is Intent.CHOOSE and navigation.perspective is not None:
            if navigation.perspective in state.skipped:
                state.skipped.remove(navigation.perspective)
            self._ask_perspective(state, reply, navigation.perspective)
            return
        yes = " ".join(words(fold(text))).split()[:1] in (["ja"], ["graag"], ["oke"], ["ok"])
        if yes and state.skipped:
            self._ask_perspective(state, reply, state.skipped.pop(0))
            return
        if navigation.intent is Intent.DRAFT:
            self._draft(state, reply)
            return
        self._to_staart(state, reply)

    def _to_staart(self, state: SessionState, reply: Reply) -> None:
        state.step = "afronding"
        state.current = None
        reply.add(Notice(text=self.bank.meldingen.staart_start, phase=Phase.STAART))
        question = self._fresh(state, "staart.afronding", self.bank.staart.afronding)
        if question is None:  # every closing question repeats one asked before: take the first
            question = self._pick(state, "staart.afronding", self.bank.staart.afronding)
        reply.add(Question(text=question, phase=Phase.STAART))

    # ----- the beeld, built with the user -------------------------------------------------

    def _offer_blocks(self, state: SessionState, reply: Reply) -> None:
        """After the staart: the user's own sentences as building blocks, numbered."""
        state.step = "bouwstenen"
        state.current = None
        found = blocks.building_blocks(state)
        listing = []
        for n, block in enumerate(found, 1):
            where = PERSPECTIEF_LABELS[block.perspective] if block.perspective else "Afronding"
            listing.append(f"{n}. [{where}] {block.text}")
        intro = self._pick(state, "beeld.bouwstenen", self.bank.beeld.bouwstenen)
        parts = [intro, "\n".join(listing)] if listing else [intro]
        if virtues := self.virtues_with_their_mean(state):
            parts.append(virtues)
        openings = " · ".join(self.bank.beeld.opening_prompts(state.wie).values())
        parts.append(f"{self.bank.meldingen.openingen} {openings}")
        options = [Option(value=b.id, label=b.text) for b in found]
        reply.add(Question(text="\n\n".join(parts), phase=Phase.STAART, options=options))

    def virtues_with_their_mean(self, state: SessionState) -> str:
        """The chosen virtues with the user's own extremes ("te weinig …", "te veel …")."""
        if not state.deugden:
            return ""
        told = " ".join(a.text for a in state.answers if a.step == "gulden_midden")
        extremes = [
            part.strip().rstrip(".")
            for sentence in split_sentences(told)
            for part in re.split(r";\s*", sentence)
            if re.match(r"^(te weinig|te veel)\b", part.strip(), re.IGNORECASE)
        ]
        named = ", ".join(d.lower() for d in state.deugden)
        mean = " ".join(f"{e}." for e in dict.fromkeys(extremes))
        return f"{self.bank.meldingen.deugden} {named}." + (f" {mean}" if mean else "")

    def _opening_completed(self, state: SessionState, text: str) -> bool:
        """A sentence opening the user completed ("Daarom doe ik …"): kept by its key."""
        for key, forms in self.bank.beeld.openingen.items():
            lead, _, tail = forms.get(state.wie)[0].partition("{woorden}")
            head, end = re.escape(lead.strip()), re.escape(tail.strip())
            pattern = rf"^\s*{head}\s*:?\s*(.+?)\s*{end}\s*[.!]?\s*$"
            if found := re.match(pattern, text, re.IGNORECASE | re.DOTALL):
                state.openingen[key] = found.group(1).strip(" .…")
                return True
        return False

    def _on_blocks_text(self, state: SessionState, text: str, reply: Reply) -> None:
        """Numbers pick blocks in that order; "neem het concept" (or yes) takes the draft;
        anything else is a sentence of the user's own for the beeld."""
        found = blocks.building_blocks(state)
        numbers = re.findall(r"\d+", text)
        if numbers and not re.sub(r"[\d\s,;.en]+", "", text.lower()):
            picked = [found[int(n) - 1].id for n in numbers if 1 <= int(n) <= len(found)]
            if not picked:
                reply.add(
                    Notice(text=f"Kies nummers van 1 tot en met {len(found)}.", phase=state.phase)
                )
                return
            state.blocks_chosen = picked
        elif not _TAKE_THE_DRAFT.match(text):
            if selection.never_in_a_beeld(text):
                reply.add(
                    Notice(
                        text="Dat zet ik niet in je beeld. Kies nummers, schrijf een eigen zin, "
                        "of zeg ‘neem het concept’.",
                        phase=state.phase,
                    )
                )
                return
            if not self._opening_completed(state, text):
                state.eigen_zinnen.append(text.strip())
            # The beeld grows; the blocks stay open for more, a pick, or "neem het concept".
            self._draft(state, reply, melding=self.bank.meldingen.toegevoegd)
            return
        self._draft(state, reply, then_title=True)

    def _ask_title(self, state: SessionState, reply: Reply) -> None:
        state.step = "titel"
        question = self._pick(state, "beeld.titel", self.bank.beeld.titel)
        listing = "\n".join(f"{n}. {t}" for n, t in enumerate(state.titles, 1))
        options = [Option(value=f"titel-{n}", label=t) for n, t in enumerate(state.titles, 1)]
        text = f"{question}\n\n{listing}" if listing else question
        reply.add(Question(text=text, phase=Phase.STAART, options=options))

    def _on_title_text(self, state: SessionState, text: str, reply: Reply) -> None:
        choice = text.strip().rstrip(".")
        if choice.isdigit() and 1 <= int(choice) <= len(state.titles):
            choice = state.titles[int(choice) - 1]
        elif _TAKE_THE_DRAFT.match(text) and state.titles:
            choice = state.titles[0]
        self._set_title(state, choice, reply)

    def _set_title(self, state: SessionState, title: str, reply: Reply) -> None:
        title = " ".join(title.split()).strip()
        if not title or selection.never_in_a_beeld(title, min_words=0) or len(title) > 200:
            reply.add(
                Notice(
                    text="Kies een nummer uit de lijst, of schrijf een korte titel (hooguit een "
                    "regel).",
                    phase=state.phase,
                    transient=True,
                )
            )
            return
        self.edit(state, "titel", title)
        state.step = "concept"
        reply.add(_draft_event(state, self.bank.meldingen.concept))

    def _draft(
        self, state: SessionState, reply: Reply, then_title: bool = False, melding: str = ""
    ) -> None:
        """Compose the A4 (parts the user edited stay theirs). `then_title`: ask the title
        next; `melding`: the A4 grows while the building blocks stay open."""
        composed = compose.compose_a4(state, self.library.virtues(), self.bank)
        draft = self._enriched(state, composed, reply)
        state.step = "bouwstenen" if melding else "concept"
        state.current = None
        for part in A4_FIELDS:
            if part not in state.a4_edited:
                setattr(state.a4, part, getattr(draft.a4, part))
        state.titles = draft.titles
        asks_title = then_title and "titel" not in state.a4_edited
        if not melding:
            melding = self.bank.meldingen.beeld_klaar if asks_title else self.bank.meldingen.concept
        reply.add(_draft_event(state, melding, draft.trace))
        if asks_title:
            self._ask_title(state, reply)

    # ----- helpers --------------------------------------------------------------------------


def _draft_event(state: SessionState, text: str, trace: list[Traced] | None = None) -> Draft:
    """The A4 as it stands, with its title suggestions and whether it fits one page."""
    return Draft(
        text=text,
        phase=Phase.CONCEPT,
        a4=state.a4.model_copy(),
        titles=list(state.titles),
        fits_one_page=compose.fits_one_page(state.a4),
        trace=trace or [],
    )


def _named_topic(answer: str) -> str | None:
    """A short answer that still names what it is about ("Politiek vooral."), as it was
    written; None for "weet niet", a confirmation or a longer answer."""
    cleaned = selection.usable(answer.strip(), min_words=1)
    if cleaned is None or len(words(cleaned)) > 4 or not analyse(cleaned):
        return None
    return cleaned.rstrip(".!…")
