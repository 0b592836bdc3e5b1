"""Simulated users who answer what is actually asked, and what a facilitator would count.

A persona (`evals/personas/*.yaml`) is a person with a story in parts, answers per
perspective (a first one and deeper ones), a closing view, an image, and behaviours at given
points (a vague answer, an opinion, a feeling, a remark about the conversation, a request for
advice, a curt reply). The player reads each question the facilitator asks and answers from
the part it belongs to, so the conversation may adapt and the persona still fits it.

The figures per session: the echo rate (romp questions after a substantive answer that take up
the user's own words), depth (perspectives with two or more questions), whether each feeling
was acknowledged, each meta remark repaired, each advice request answered without advice and
each vague answer followed up on the same perspective; repeated questions, ik/wij and tense
slips, advice phrases; mirrors per session and how many are of the chosen situation.
"""

from __future__ import annotations

import re
import statistics
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.domain.perspectives import METHOD_ORDER, Perspectief
from assistant.domain.session import SessionState, Turn, TurnKind
from assistant.evals.cases import EvalInputError
from assistant.facilitator.language import gives_advice
from assistant.facilitator.listening import largely_repeats, meta_kind
from assistant.service import ChooseSituation, ReflectionService, ToDraft
from assistant.settings import Settings
from assistant.text import analyse, fold, split_sentences

Point = Literal[
    "kop", "handelingen", "kennis", "waarden_deugden", "vrijheid", "identiteit", "afronding"
]
MAX_TURNS = 60
# What a persona says when its answers for a part run out.
CURT_AFTER_ANSWERS = {"ik": "Meer weet ik er niet over.", "wij": "Meer weten we er niet over."}


class Behaviour(BaseModel):
    """Something the persona says instead of an answer, the first time a point is asked."""

    model_config = ConfigDict(extra="forbid")

    bij: Point
    soort: Literal["vaag", "mening", "gevoel", "meta", "advies", "kortaf", "oneens", "overslaan"]
    tekst: str = Field(min_length=1)


class Persona(BaseModel):
    """A simulated user."""

    model_config = ConfigDict(extra="forbid")

    naam: str
    wie: Literal["ik", "wij"]
    moment: Literal["achteraf", "vooruit"]
    situatie: int = Field(ge=0, le=10)
    beschrijving: str = Field(min_length=1)
    verduidelijking: str = Field(
        default="", description="the answer to a clarifying question (default: the first kop)"
    )
    kop: list[str] = Field(min_length=1)
    romp: dict[Perspectief, list[str]]
    afronding: str
    afbeelding: str
    titel: str
    gedrag: list[Behaviour] = Field(default_factory=list)


def read_personas(directory: Path) -> list[Persona]:
    """Every persona file in a directory, by name; a broken file is a Dutch input error."""
    personas = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            personas.append(Persona.model_validate(yaml.safe_load(path.read_text("utf-8"))))
        except (yaml.YAMLError, ValidationError, UnicodeDecodeError) as exc:
            raise EvalInputError(f"Persona {path.name} is ongeldig: {exc}") from exc
    if not personas:
        raise EvalInputError(f"Geen persona's gevonden in {directory}.")
    return personas


@dataclass
class _Player:
    """Answers from the persona's parts, in order, with each behaviour once."""

    persona: Persona
    used: dict[str, int] = field(default_factory=dict)
    behaved: set[int] = field(default_factory=set)
    said: list[tuple[str, str]] = field(default_factory=list)  # (soort, text) of behaviours

    def reply(self, point: str) -> str:
        for index, behaviour in enumerate(self.persona.gedrag):
            if behaviour.bij == point and index not in self.behaved:
                self.behaved.add(index)
                self.said.append((behaviour.soort, behaviour.tekst))
                return behaviour.tekst
        return self.next_line(point)

    def next_line(self, point: str) -> str:
        """The next of the persona's own lines for `point`, without its scripted behaviours."""
        pool = self._pool(point)
        n = self.used.get(point, 0)
        self.used[point] = n + 1
        return pool[n] if n < len(pool) else CURT_AFTER_ANSWERS[self.persona.wie]

    def _pool(self, point: str) -> list[str]:
        if point == "kop":
            return self.persona.kop
        if point == "afronding":
            return [self.persona.afronding]
        if point == "afbeelding":
            return [self.persona.afbeelding]
        if point == "overgeslagen":  # offered a skipped perspective again: yes, once
            return ["Ja, laten we daar toch even naar kijken."]
        if point == "bouwstenen":  # the building blocks: take the draft (a test picks them)
            return ["Neem het concept maar."]
        if point == "titel":
            return [self.persona.titel]
        return self.persona.romp.get(Perspectief(point), [])


def _point(state: SessionState) -> str:
    if state.step in ("romp", "gulden_midden") and state.current is not None:
        return state.current.value
    return {
        "kop": "kop",
        "afronding": "afronding",
        "afbeelding": "afbeelding",
        "overgeslagen": "overgeslagen",
        "bouwstenen": "bouwstenen",
        "titel": "titel",
    }.get(state.step, "kop")


def play_persona(
    service: ReflectionService, persona: Persona, session_id: str | None = None
) -> tuple[SessionState, _Player]:
    """Play a persona through a whole session, answering each question from its own part.

    The session id picks where each question pool starts; a fixed one makes a run repeatable.
    """
    player = _Player(persona)
    session_id, _ = service.start(
        persona.wie, persona.moment, session_id=session_id or f"persona-{persona.naam}"
    )
    service.send(session_id, persona.beschrijving)
    state = service.state(session_id)
    if state.step == "situatie":  # a clarifying question came before the offer
        if persona.verduidelijking:
            service.send(session_id, persona.verduidelijking)
        else:  # the story's first line answers it, and is not told a second time in the kop
            service.send(session_id, player.next_line("kop"))
        state = service.state(session_id)
    offered = state.offered
    index = offered.index(persona.situatie) + 1 if persona.situatie in offered else 0
    service.act(session_id, ChooseSituation(index=index))
    for _ in range(MAX_TURNS):
        state = service.state(session_id)
        if state.step == "concept":
            break
        service.send(session_id, player.reply(_point(state)))
    state = service.state(session_id)
    if state.step != "concept":
        service.act(session_id, ToDraft())
        state = service.state(session_id)
    return state, player


# ----- the figures ---------------------------------------------------------------------------

_QUOTED = re.compile(r"‘([^’]{3,})’")
_PAST_IN_QUESTION = re.compile(
    r"\b(deed je|deden jullie|wist je toen|wisten jullie toen|was je|waren jullie|"
    r"had je|hadden jullie|zei je|zeiden jullie|voelde je|voelden jullie|merkte je|"
    r"merkten jullie)\b",
    re.IGNORECASE,
)
_IK_FORMS = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
_WIJ_FORMS = re.compile(r"\b(jullie)\b", re.IGNORECASE)


# What a drafted beeld never holds (checked here independently of the composing rules).
_HEDGE_IN_A4 = re.compile(
    r"\b(denk ik|weet ik veel|tja|geloof ik|hangt ervan af|geen idee|weet niet)\b", re.I
)
_POINTER_OPENING = re.compile(
    r"^(dat laatste|het tweede|het eerste|dit|ze|zij|hij|dat|daar|en|maar)\b", re.IGNORECASE
)
_TITLE_BAD = re.compile(
    r"\b(denk ik|misschien|geloof ik|wellicht|eigenlijk)\b|\?|^(ik|je|we|wij|ze|zij|hij|het|dat|"
    r"dit|die|en|maar|want|terwijl)\b",
    re.IGNORECASE,
)


def a4_figures(state: SessionState, player: _Player) -> dict[str, Any]:
    """The drafted A4 against the rules of a beeld worth sharing: sentences in the beeld that
    are a question, hedge, meta remark or unresolved pointer; off-task turns (vague, meta,
    advice, curt, skip) that reached any part; title suggestions that break the title rules;
    whether the kenmerkende ervaring holds a sentence of the user's story."""
    bad = 0
    for paragraph in state.a4.beeld.split("\n\n"):
        for i, sentence in enumerate(split_sentences(paragraph)):
            if (
                sentence.rstrip().endswith("?")
                or _HEDGE_IN_A4.search(sentence)
                or meta_kind(sentence)
                or (i == 0 and _POINTER_OPENING.match(sentence))
            ):
                bad += 1
    a4_text = fold(" ".join(state.a4.model_dump().values()))
    off_task = sum(
        1
        for soort, text in player.said
        if soort in ("vaag", "meta", "advies", "kortaf", "overslaan") and fold(text) in a4_text
    )
    curt = [fold(t) for t in CURT_AFTER_ANSWERS.values()]
    off_task += sum(1 for c in curt if c in a4_text)
    titles_bad = sum(
        1 for t in state.titles if _TITLE_BAD.search(t) or not 2 <= len(t.split()) <= 8
    )
    story = [state.beschrijving] + [a.text for a in state.answers if a.step == "kop"]
    told = fold(" ".join(story))
    ervaring = split_sentences(state.a4.kenmerkende_ervaring)
    return {
        "beeld_fout": bad,
        "a4_buiten_taak": off_task,
        "titels_fout": titles_bad,
        "ervaring_verhaal": any(fold(s.rstrip(".")) in told for s in ervaring),
        "beeld_woorden": len(state.a4.beeld.split()),
    }


def _asks(turn: Turn) -> bool:
    return turn.role == "assistant" and turn.kind in (TurnKind.VRAAG, TurnKind.DOORVRAAG)


def _unquoted(text: str) -> str:
    return _QUOTED.sub("", text)


def _takes_up(question: str, answer: str) -> bool:
    """Does the question quote or weave in the user's own words (three content words or a
    quoted phrase from the answer)?"""
    quoted = _QUOTED.findall(question)
    if any(fold(q.rstrip(".…")) in fold(answer) for q in quoted):
        return True
    shared = set(analyse(question)) & set(analyse(answer))
    return len(shared) >= 3


def _repeats(questions: list[str]) -> int:
    """How many questions largely repeat an earlier one (the facilitator's own rule)."""
    return sum(largely_repeats(q, questions[:i]) for i, q in enumerate(questions))


def measure(
    state: SessionState, player: _Player, chosen_titles: set[str], acknowledgements: set[str]
) -> dict[str, Any]:
    """The figures of one played session (`acknowledgements`: the bank's words for a feeling)."""
    turns = state.turns
    answered = {a.turn: a for a in state.answers}
    questions = [t for t in turns if _asks(t)]
    echo_total = echo_hits = 0
    for i, turn in enumerate(turns):
        if turn.role != "user" or i not in answered or answered[i].vague:
            continue
        following = next((t for t in turns[i + 1 :] if _asks(t)), None)
        if following is None or following.phase.value != "romp":
            continue
        if following.perspective != answered[i].perspective or answered[i].step != "romp":
            continue
        echo_total += 1
        echo_hits += _takes_up(following.text, turn.text)
    depth = sum(1 for p in METHOD_ORDER if sum(1 for q in questions if q.perspective == p) >= 2)
    reactions: dict[str, list[bool]] = {
        k: [] for k in ("gevoel", "meta", "advies", "vaag", "overslaan")
    }
    stored = {fold(a.text) for a in state.answers}
    for soort, text in player.said:
        found = next((j for j, t in enumerate(turns) if t.role == "user" and t.text == text), None)
        if found is None:
            continue
        i = found
        nxt = turns[i + 1] if i + 1 < len(turns) else None
        if soort == "gevoel":  # the very next turn acknowledges it
            reactions["gevoel"].append(
                nxt is not None and any(a in nxt.text for a in acknowledgements)
            )
        elif soort == "meta":
            reactions["meta"].append(fold(text) not in stored)
        elif soort == "advies":
            after = turns[i + 1 : i + 3]
            reactions["advies"].append(
                any(t.kind is TurnKind.MELDING for t in after)
                and not any(gives_advice(t.text) for t in after)
            )
        elif soort == "overslaan":  # the skipped perspective is offered once before the close
            reactions["overslaan"].append("staart.overgeslagen" in state.asked)
        elif soort in ("vaag", "kortaf"):
            asked_on = next((t for t in reversed(turns[:i]) if _asks(t)), None)
            follow = next((t for t in turns[i + 1 :] if _asks(t)), None)
            reactions["vaag"].append(
                follow is not None
                and asked_on is not None
                and follow.perspective == asked_on.perspective
                and follow.phase == asked_on.phase
            )
    asked = [q for q in questions if q.phase.value != "voorbereiding"]  # titles are names
    if state.wie == "wij":  # "jullie … je" is the reflexive ("zien jullie het voor je")
        form_slips = sum(
            1
            for q in asked
            if _IK_FORMS.search(_unquoted(q.text)) and not _WIJ_FORMS.search(q.text)
        )
    else:
        form_slips = sum(1 for q in asked if _WIJ_FORMS.search(_unquoted(q.text)))
    tense_slips = (
        sum(1 for q in questions if _PAST_IN_QUESTION.search(_unquoted(q.text)))
        if state.moment == "vooruit"
        else 0
    )
    mirrors = [t for t in turns if t.kind is TurnKind.SPIEGEL]
    of_situation = sum(1 for m in mirrors if m.meta.get("titel") in chosen_titles)
    return {
        "echo": echo_hits / echo_total if echo_total else None,
        "echo_n": echo_total,
        "depth": depth,
        "questions": len(questions),
        "gevoel_erkend": reactions["gevoel"],
        "meta_hersteld": reactions["meta"],
        "advies_zonder_advies": reactions["advies"],
        "vaag_doorgevraagd": reactions["vaag"],
        "overgeslagen_aangeboden": reactions["overslaan"],
        "herhaald": _repeats([q.text for q in questions]),
        "vorm_fout": form_slips,
        "tijd_fout": tense_slips,
        "advies_zinnen": sum(1 for t in turns if t.role == "assistant" and gives_advice(t.text)),
        "spiegels": len(mirrors),
        "spiegels_eigen_situatie": of_situation,
        **a4_figures(state, player),
    }


def totals(rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The figures over all personas."""

    def all_of(key: str) -> tuple[int, int]:
        values = [v for row in rows.values() for v in row[key]]
        return sum(values), len(values)

    echoes = [r["echo"] for r in rows.values() if r["echo"] is not None]
    mirrors = sum(r["spiegels"] for r in rows.values())
    return {
        "echo": round(statistics.fmean(echoes), 2) if echoes else None,
        "depth": round(statistics.fmean(r["depth"] for r in rows.values()), 2),
        **{
            k: all_of(k)
            for k in (
                "gevoel_erkend",
                "meta_hersteld",
                "advies_zonder_advies",
                "vaag_doorgevraagd",
                "overgeslagen_aangeboden",
            )
        },  # fmt: skip
        "herhaald": sum(r["herhaald"] for r in rows.values()),
        "vorm_fout": sum(r["vorm_fout"] for r in rows.values()),
        "tijd_fout": sum(r["tijd_fout"] for r in rows.values()),
        "advies_zinnen": sum(r["advies_zinnen"] for r in rows.values()),
        "spiegels_max": max((r["spiegels"] for r in rows.values()), default=0),
        "beeld_fout": sum(r["beeld_fout"] for r in rows.values()),
        "a4_buiten_taak": sum(r["a4_buiten_taak"] for r in rows.values()),
        "titels_fout": sum(r["titels_fout"] for r in rows.values()),
        "ervaring_verhaal": (
            sum(r["ervaring_verhaal"] for r in rows.values()),
            len(rows),
        ),
        "beeld_woorden": (
            min((r["beeld_woorden"] for r in rows.values()), default=0),
            max((r["beeld_woorden"] for r in rows.values()), default=0),
        ),
        "spiegels_eigen_situatie": (
            round(sum(r["spiegels_eigen_situatie"] for r in rows.values()) / mirrors, 2)
            if mirrors
            else None
        ),
    }


# The figures a prompt-set comparison sets side by side: shares that may not drop, and counts
# that may not rise.
SHARES = (
    "echo", "gevoel_erkend", "meta_hersteld", "advies_zonder_advies", "vaag_doorgevraagd",
    "overgeslagen_aangeboden", "ervaring_verhaal",
)  # fmt: skip
COUNTS = (
    "herhaald", "vorm_fout", "tijd_fout", "advies_zinnen", "beeld_fout", "a4_buiten_taak",
    "titels_fout",
)  # fmt: skip


def rate(value: Any) -> float | None:
    """A figure as one number: a share (done, n) as done/n, the echo rate as it is."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        done, n = value
        return done / n if n else None
    return float(value) if value is not None else None


def compare_totals(
    baseline: dict[str, Any], candidate: dict[str, Any], threshold: float
) -> list[str]:
    """Why the candidate's conversations are worse than the baseline's (empty when not): a
    share that drops by more than the threshold, a slip count that rises, depth that drops by
    more than a quarter perspective, or more than three mirrors in a session."""
    reasons = []
    for key in SHARES:
        base, cand = rate(baseline[key]), rate(candidate[key])
        if base is not None and cand is not None and base - cand > threshold + 1e-9:
            reasons.append(f"gesprekken {key}: {base:.0%} → {cand:.0%}")
    for key in COUNTS:
        if candidate[key] > baseline[key]:
            reasons.append(f"gesprekken {key}: {baseline[key]} → {candidate[key]}")
    if baseline["depth"] - candidate["depth"] > 0.25:
        reasons.append(f"gesprekken diepte: {baseline['depth']} → {candidate['depth']}")
    if candidate["spiegels_max"] > 3 >= baseline["spiegels_max"]:
        reasons.append(f"gesprekken spiegels per sessie: {candidate['spiegels_max']} (> 3)")
    return reasons


def run_personas(
    settings: Settings, personas: list[Persona], knowledge: Any = None
) -> dict[str, Any]:
    """Play every persona in a fresh session of a temporary data dir; figures and sessions."""
    from assistant.app import build_service
    from assistant.evals.runner import eval_knowledge

    rows: dict[str, dict[str, Any]] = {}
    states: dict[str, SessionState] = {}
    with tempfile.TemporaryDirectory(prefix="goedwerk-gesprekken-") as tmp:
        isolated = settings.model_copy(update={"data_dir": Path(tmp)})
        service = build_service(isolated, knowledge=knowledge or eval_knowledge(settings))
        library = service.facilitator.library
        erkenning = service.facilitator.bank.afstemmen.erkenning
        acknowledgements = set(erkenning.ik + erkenning.wij)
        for persona in personas:
            state, player = play_persona(service, persona)
            titles = {b.titel for b in library.corpus.beelden_bij(state.situatie)}
            rows[persona.naam] = measure(state, player, titles, acknowledgements)
            states[persona.naam] = state
    return {"personas": rows, "totaal": totals(rows), "sessies": states}


def as_text(result: dict[str, Any]) -> str:
    """The figures as a table for the terminal."""

    def share(pair: tuple[int, int] | list[bool]) -> str:
        done, n = (sum(pair), len(pair)) if isinstance(pair, list) else pair
        return f"{done}/{n}" if n else "-"

    head = (
        f"{'persona':32} {'echo':>5} {'diepte':>6} {'gevoel':>6} {'meta':>5} {'advies':>6} "
        f"{'vaag':>5} {'overg':>5} {'herh':>4} {'vorm':>4} {'tijd':>4} {'spieg':>5} "
        f"{'beeld':>5} {'buiten':>6} {'titel':>5} {'verh':>4} {'wrd':>4}"
    )
    lines = [head]
    for name, row in result["personas"].items():
        echo = f"{row['echo']:.2f}" if row["echo"] is not None else "-"
        lines.append(
            f"{name[:32]:32} {echo:>5} {row['depth']:>6} {share(row['gevoel_erkend']):>6} "
            f"{share(row['meta_hersteld']):>5} {share(row['advies_zonder_advies']):>6} "
            f"{share(row['vaag_doorgevraagd']):>5} {share(row['overgeslagen_aangeboden']):>5} "
            f"{row['herhaald']:>4} {row['vorm_fout']:>4} "
            f"{row['tijd_fout']:>4} {row['spiegels']:>5} {row['beeld_fout']:>5} "
            f"{row['a4_buiten_taak']:>6} {row['titels_fout']:>5} "
            f"{'ja' if row['ervaring_verhaal'] else 'nee':>4} {row['beeld_woorden']:>4}"
        )
    t = result["totaal"]
    lines.append(
        f"\ntotaal: echo {t['echo']} (doel ≥ 0.6) · diepte {t['depth']} (doel ≥ 4) · "
        f"gevoel erkend {share(t['gevoel_erkend'])} · meta hersteld {share(t['meta_hersteld'])} · "
        f"advies zonder advies {share(t['advies_zonder_advies'])} · vaag doorgevraagd "
        f"{share(t['vaag_doorgevraagd'])} · overgeslagen aangeboden "
        f"{share(t['overgeslagen_aangeboden'])} · herhaald {t['herhaald']} · "
        f"vorm {t['vorm_fout']} · "
        f"tijd {t['tijd_fout']} · adviezinnen {t['advies_zinnen']} · spiegels max "
        f"{t['spiegels_max']} (≤ 3), eigen situatie {t['spiegels_eigen_situatie']}\n"
        f"A4: beeldzinnen fout {t['beeld_fout']} · buiten de taak {t['a4_buiten_taak']} · "
        f"titels fout {t['titels_fout']} · ervaring uit het verhaal "
        f"{share(t['ervaring_verhaal'])} · woorden in het beeld {t['beeld_woorden'][0]}–"
        f"{t['beeld_woorden'][1]}"
    )
    return "\n".join(lines)


def transcript(state: SessionState) -> str:
    """A session as a facilitator would read it: every turn, then the A4."""
    lines = []
    for turn in state.turns:
        who = "Jij" if turn.role == "user" else "Goedwerk"
        where = "/".join(x for x in (turn.phase.value, turn.perspective or "") if x)
        lines.append(f"{who} [{where}]: {turn.text}\n")
    lines.append("--- A4 ---")
    for part, value in state.a4.model_dump().items():
        lines.append(f"## {part}\n{value}\n")
    return "\n".join(lines)
