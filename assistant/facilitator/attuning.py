"""The facilitator's listening moves: taking up the user's words, acknowledging a feeling,
repairing when the user talks about the conversation, zooming into a story already told.

`Attuning` sits between `Asking` (picking and phrasing questions) and the method's flow in
`engine.Facilitator`; every move adds events to the reply and never stores an answer itself.
"""

from __future__ import annotations

import re

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import Answer, Phase, SessionState
from assistant.facilitator import listening
from assistant.facilitator.asking import CLARIFY, Asking, Reply
from assistant.facilitator.events import Notice, Question
from assistant.facilitator.language import gives_advice
from assistant.facilitator.listening import Kind, Phrase
from assistant.facilitator.questions import Forms
from assistant.templates import WOORDEN, render
from assistant.text import fold

# At most this many questions per perspective: the method's own, then ones on the user's words.
MAX_DEPTH = 3
# Which kinds of phrase each perspective takes up first.
_PRIORITY: dict[Perspectief, tuple[Kind, ...]] = {
    Perspectief.HANDELINGEN: (
        Kind.STILTE,
        Kind.SPIJT,
        Kind.CITAAT,
        Kind.CONTRAST,
        Kind.OORDEEL,
        Kind.ROL,
    ),
    Perspectief.KENNIS: (Kind.CITAAT, Kind.CONTRAST, Kind.OORDEEL, Kind.ROL, Kind.STILTE),
    Perspectief.WAARDEN_DEUGDEN: (
        Kind.CONTRAST,
        Kind.SPIJT,
        Kind.OORDEEL,
        Kind.CITAAT,
        Kind.METAFOOR,
    ),
    Perspectief.VRIJHEID: (Kind.CONTRAST, Kind.SPIJT, Kind.STILTE, Kind.OORDEEL, Kind.ROL),
    Perspectief.IDENTITEIT: (Kind.ROL, Kind.METAFOOR, Kind.OORDEEL, Kind.CONTRAST),
}


# A question the answer already answers: "Wat woog voor je het zwaarst?" right after "…, en
# dat vind ik het zwaarst." (read from b05) is not listening.
_TOLD: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\bzwaarst\b"), re.compile(r"\b(zwaarst|moeilijkst|lastigst)\b", re.I)),
    (
        re.compile(r"\btegen\?$"),
        re.compile(r"\b(hield|hielden|houdt) (me|mij|ons) tegen\b|\btegenhield\b", re.I),
    ),
)


def _excerpt(text: str) -> str:
    """A quote as the excerpt it is: one from the middle of a sentence ("maar ik weet
    eigenlijk heel weinig…", "een casus waarin…") opens with "…"."""
    return f"…{text}" if text[:1].islower() else text


def already_told(question: str, answer: str) -> bool:
    """Does `answer` already say what `question` asks?"""
    return any(asks.search(question) and told.search(answer) for asks, told in _TOLD)


# The description already says who will be there ("zit ik met twee corporaties … om tafel").
_AT_THE_TABLE = re.compile(r"\b(om|aan) (de )?tafel\b|\bzit(ten)? (ik|we|wij) met\b", re.I)


class Attuning(Asking):
    """Listening moves shared by the kop, the romp and the staart."""

    def _repeats(self, state: SessionState, text: str) -> bool:
        """Does `text` largely repeat a question asked earlier in this session?"""
        asked = [t.text for t in state.turns if t.role == "assistant" and "?" in t.text]
        return listening.largely_repeats(text, asked)

    def _fresh(
        self, state: SessionState, key: str, forms: Forms, answer: str = "", **variables: str
    ) -> str | None:
        """The first form of the pool (in rotation) that does not repeat an earlier question
        nor ask what `answer` (the answer taken up) already says."""
        pool = forms.get(state.wie)
        for _ in range(len(pool)):
            template = self._choose(state, key, pool)
            state.asked.append(key)
            allowed = frozenset(variables)
            text = render(template, allowed, **variables)
            if not self._repeats(state, text) and not already_told(text, answer):
                return text
        return None

    # ----- feeling and meta-talk ------------------------------------------------------------

    def _acknowledge(self, state: SessionState, reply: Reply) -> None:
        """One sentence of acknowledgement and the offer to pause or skip."""
        erkenning = self._pick(state, "afstemmen.erkenning", self.bank.afstemmen.erkenning)
        pauze = self._pick(state, "afstemmen.pauze", self.bank.afstemmen.pauze)
        state.asked += ["afstemmen.erkenning", "afstemmen.pauze"]
        reply.add(Notice(text=f"{erkenning} {pauze}", phase=state.phase, perspective=state.current))

    def _repair(self, state: SessionState, kind: str, reply: Reply) -> bool:
        """Answer meta-talk: acknowledge, then rephrase or move on. True when the caller should
        move on to the next perspective or step."""
        in_a_perspective = state.step in ("romp", "gulden_midden") and state.current is not None
        # "Dat vroeg je al" before anything was said here: the perspectives touch, but this one
        # asks something else; said what, and asked again.
        fresh = in_a_perspective and not state.answers_on(state.current)  # type: ignore[arg-type]
        if kind == "verschil" or (kind == "herhaling" and fresh):
            if in_a_perspective and state.current is not None:
                return self._tell_the_difference(state, state.current, reply)
            kind = "onduidelijk"
        if (
            kind == "herhaling"
            and state.step == "afronding"
            and "staart.samenvatten" not in state.asked
        ):
            # The closing view is the heart of the beeld: asked once more, in a few words.
            summary = self._pick(state, "staart.samenvatten", self.bank.staart.samenvatten)
            state.asked.append("staart.samenvatten")
            reply.add(Question(text=summary, phase=state.phase))
            return False
        forms = getattr(self.bank.afstemmen, kind)
        lead = self._pick(state, f"afstemmen.{kind}", forms)
        state.asked.append(f"afstemmen.{kind}")
        if kind == "herhaling":
            reply.add(Notice(text=lead, phase=state.phase, perspective=state.current))
            return True
        if kind == "onduidelijk":  # the same question put another way
            question = self._rephrased(state) or self._echo_question(state, self._last_told(state))
        else:  # "je hoort me niet": back to the user's own words
            question = self._echo_question(state, self._last_told(state)) or self._rephrased(state)
        if question is None:
            reply.add(Notice(text=lead, phase=state.phase, perspective=state.current))
            return True
        reply.add(Question(text=f"{lead} {question}", phase=state.phase, perspective=state.current))
        return False

    def _tell_the_difference(
        self, state: SessionState, perspective: Perspectief, reply: Reply
    ) -> bool:
        """Answer "Is dat niet hetzelfde als…?": what this perspective looks at, and its question
        put another way."""
        key = f"afstemmen.verschil.{perspective.value}"
        lead = self._pick(state, key, self.bank.afstemmen.verschil.of(perspective))
        state.asked.append(key)
        question = self._rephrased(state)
        if question is None:
            reply.add(Notice(text=lead, phase=state.phase, perspective=perspective))
            return True
        reply.add(Question(text=f"{lead} {question}", phase=state.phase, perspective=perspective))
        return False

    def _last_told(self, state: SessionState) -> str:
        """The user's latest real answer (not meta-talk), on this perspective when there is one."""
        on_current = [a for a in state.answers if a.perspective == state.current]
        answers = on_current or state.answers
        return answers[-1].text if answers else state.beschrijving

    def _rephrased(self, state: SessionState) -> str | None:
        """Another way of asking the current question: a follow-up form of this part."""
        if state.step in ("romp", "gulden_midden") and state.current is not None:
            forms = self.bank.afstemmen.anders_gevraagd.of(state.current)
            key = f"afstemmen.anders_gevraagd.{state.current.value}"
            return self._fresh(state, key, forms) or self._ladder(state, state.current)
        key = "kop" if state.step == "kop" else "staart"
        return self._fresh(state, f"doorvragen.{key}", self.bank.doorvragen.of(key))

    # ----- questions on the user's own words ------------------------------------------------

    def _phrases_to_take_up(
        self, state: SessionState, text: str, perspective: Perspectief | None
    ) -> list[Phrase]:
        """The phrases of `text` not taken up before, most telling first by the perspective's
        order of kinds."""
        heavy = listening.feeling(text)
        found = [
            p
            for p in listening.phrases(text)
            if fold(p.text) not in state.echoed
            and not (heavy and p.kind is Kind.GEVOEL)
            and not gives_advice(p.text)  # quoting "je moet…" back would read as advice
        ]
        order = _PRIORITY.get(perspective, ()) if perspective else ()
        rank = {kind: i for i, kind in enumerate(order)}
        return sorted(found, key=lambda p: rank.get(p.kind, len(order)))

    def _phrase_to_take_up(
        self, state: SessionState, text: str, perspective: Perspectief | None
    ) -> Phrase | None:
        """The most telling phrase of `text` not taken up before, by the perspective's order."""
        found = self._phrases_to_take_up(state, text, perspective)
        return found[0] if found else None

    def _echo_question(
        self, state: SessionState, text: str, perspective: Perspectief | None = None
    ) -> str | None:
        """A question that quotes the user's words and asks on (None when nothing fits): the
        most telling phrase with a question of its kind; when every question of that kind was
        asked before, the next phrase, and last the perspective's own deepening question."""
        perspective = perspective or state.current
        found = self._phrases_to_take_up(state, text, perspective)
        moment = "vooruit" if state.moment == "vooruit" else "achteraf"
        luisteren = self.bank.luisteren
        for phrase in found:
            if phrase.kind is Kind.KERN:
                if perspective is None:
                    continue
                key = f"kern_{perspective.value}"
            elif phrase.kind is Kind.CONTRAST and perspective is Perspectief.KENNIS:
                # "De wethouder is positief maar de coalitie is verdeeld" is two things known,
                # not two sides to hold together: asked what is known and what not yet.
                key = "kern_kennis"
            else:
                key = phrase.kind.value
            follow = self._fresh(state, f"luisteren.{key}", luisteren.of(moment, key), text)
            if follow is None and perspective is not None and phrase is found[-1]:
                follow = self._ladder(state, perspective)
            if follow is None:
                continue
            return self._quoting(state, phrase, follow)
        return None

    def _quoting(self, state: SessionState, phrase: Phrase, follow: str) -> str:
        """`follow` after a lead that quotes the phrase; the phrase counts as taken up."""
        luisteren = self.bank.luisteren
        leads = luisteren.citaat_inleiding if phrase.kind is Kind.CITAAT else luisteren.inleiding
        quoted = _excerpt(phrase.text)
        lead = render(self._pick(state, "luisteren.inleiding", leads), WOORDEN, woorden=quoted)
        if not re.search(r"[.?!…]$", phrase.text):
            lead += "."
        state.echoed.append(fold(phrase.text))
        return f"{lead} {follow}"

    def _ladder(self, state: SessionState, perspective: Perspectief) -> str | None:
        """A perspective's own deepening question, in the session's tense and form."""
        moment = "vooruit" if state.moment == "vooruit" else "achteraf"
        key = f"kern_{perspective.value}"
        return self._fresh(state, f"luisteren.{key}", self.bank.luisteren.of(moment, key))

    # ----- the kop ----------------------------------------------------------------------------

    def _open_kop(self, state: SessionState, reply: Reply) -> bool:
        """When the description already tells the story, go into it instead of asking for an
        experience again. True when a question was asked."""
        text = state.beschrijving
        vooruit = state.moment == "vooruit"
        if not (vooruit and len(text.split()) >= 12) and not listening.tells_a_story(text):
            return False
        # Ahead of a meeting, the answer to a clarifying question names what the user fears
        # or wants most: take that up (a story told afterwards is found in the whole text).
        clarified = text.rsplit("\n\n", 1)[-1] if vooruit and CLARIFY in state.asked else ""
        phrase = (clarified and listening.story_moment(clarified)) or listening.story_moment(text)
        if phrase is None:
            return False
        name = "inzoomen"
        if vooruit:
            name = "vooruitkijken_aan_tafel" if _AT_THE_TABLE.search(text) else "vooruitkijken"
        forms, key = getattr(self.bank.verhaal, name), f"verhaal.{name}"
        woorden = _excerpt(phrase if re.search(r"[.?!…]$", phrase) else f"{phrase}…")
        question = self._fresh(state, key, forms, woorden=woorden)
        if question is None:
            return False
        state.echoed.append(fold(phrase))
        reply.add(Question(text=question, phase=Phase.KOP))
        return True

    def _story_gap(self, state: SessionState, reply: Reply) -> bool:
        """Ask once for what the story still lacks (how it ended; or, for a meeting ahead, what
        one expects, fears, hopes). True when a question was asked."""
        if sum(1 for k in state.asked if k.startswith("verhaal.gat")) >= 2:
            return False
        told = " ".join([state.beschrijving, *(a.text for a in state.answers if a.step == "kop")])
        for missing in listening.missing_in_story(told, state.moment):
            key = f"verhaal.gat.{missing}"
            if key in state.asked:
                continue
            question = self._fresh(state, key, getattr(self.bank.verhaal, missing))
            if question is not None:
                reply.add(Question(text=question, phase=Phase.KOP))
                return True
        return False

    def _after_a_feeling(self, state: SessionState, text: str, reply: Reply) -> bool:
        """A feeling told in the kop, not yet the story: after the acknowledgement, one gentle
        invitation to tell the moment itself. True when it was asked (the turn is kept)."""
        whole_story = listening.tells_a_story(text) and len(text.split()) >= 40
        if whole_story or "verhaal.na_gevoel" in state.asked:
            return False
        vooruit = state.moment == "vooruit"
        forms = self.bank.verhaal.na_gevoel_vooruit if vooruit else self.bank.verhaal.na_gevoel
        question = self._fresh(state, "verhaal.na_gevoel", forms)
        if question is None:
            return False
        state.answers.append(
            Answer(turn=len(state.turns) - 1, step=state.step, text=text.strip(), vague=False)
        )
        reply.add(Question(text=question, phase=Phase.KOP))
        return True

    def _back_to_a_moment(self, state: SessionState, reply: Reply) -> bool:
        """An opinion instead of an experience is asked back to one moment."""
        question = self._fresh(state, "verhaal.mening", self.bank.verhaal.mening)
        if question is None:
            return False
        reply.add(Question(text=question, phase=state.phase, perspective=state.current))
        return True
