"""The session and the rich A4: plain data, serialised whole into the sessions store."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal, get_args

from pydantic import BaseModel, Field

from assistant.domain.perspectives import Perspectief

Wie = Literal["ik", "wij"]
Moment = Literal["achteraf", "vooruit"]


class Phase(StrEnum):
    """Where in the method the conversation is."""

    VOORBEREIDING = "voorbereiding"
    KOP = "kop"
    ROMP = "romp"
    STAART = "staart"
    CONCEPT = "concept"


class TurnKind(StrEnum):
    """What an assistant turn is."""

    VRAAG = "vraag"
    DOORVRAAG = "doorvraag"
    SPIEGEL = "spiegel"
    CONCEPT = "concept"
    MELDING = "melding"


class A4(BaseModel):
    """The rich A4: the four parts of a beeld van goed werk."""

    titel: str = ""
    kenmerkende_ervaring: str = ""
    beeld: str = ""
    afbeelding: str = ""


class Traced(BaseModel):
    """Where a sentence of the drafted A4 came from."""

    sentence: str = Field(description="the sentence as it stands in the A4")
    turn: int | None = Field(description="the user's turn it came from; None: template words only")
    template: str = Field(
        default="", description="the template words in the sentence; the rest is the user's"
    )


class Bouwsteen(BaseModel):
    """One of the user's own sentences offered as a building block of the beeld."""

    id: str = Field(description="stable within the session: turn and sentence number")
    perspective: Perspectief | None = Field(description="None: the closing view")
    text: str
    turn: int
    proposed: bool = Field(description="part of the automatic draft")


A4Field = Literal["titel", "kenmerkende_ervaring", "beeld", "afbeelding"]
A4_FIELDS: tuple[A4Field, ...] = get_args(A4Field)

Step = Literal[
    "situatie",
    "keuze",
    "kop",
    "romp",
    "gulden_midden",
    "overgeslagen",
    "afronding",
    "afbeelding",
    "bouwstenen",
    "titel",
    "concept",
]


def now() -> str:
    """The current time as an ISO string (UTC)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Turn(BaseModel):
    """One line of the transcript."""

    role: Literal["assistant", "user"]
    text: str
    phase: Phase
    kind: TurnKind | None = None
    perspective: Perspectief | None = None
    meta: dict[str, str] = Field(default_factory=dict)


class Answer(BaseModel):
    """A user answer, kept for coverage and for composing the A4."""

    turn: int = Field(description="index of the user turn in the transcript")
    step: Step
    perspective: Perspectief | None = None
    text: str
    vague: bool = False


class SessionState(BaseModel):
    """Everything needed to resume a session exactly where it stopped."""

    id: str
    owner: str = Field(default="", description="login name of the user; empty without login")
    image: str = Field(default="", description="file name of the uploaded afbeelding, if any")
    created: str = Field(default_factory=now)
    updated: str = Field(default_factory=now)
    wie: Wie = "ik"
    moment: Moment = "achteraf"
    step: Step = "situatie"
    beschrijving: str = ""
    offered: list[int] = Field(default_factory=list)
    offer_reasons: list[str] = Field(default_factory=list, description="why each offer matches")
    situatie: int = Field(default=0, description="chosen situation; 0 when none fits")
    current: Perspectief | None = None
    followups: int = 0
    coverage: dict[Perspectief, int] = Field(default_factory=lambda: dict.fromkeys(Perspectief, 0))
    skipped: list[Perspectief] = Field(default_factory=list)
    visited: list[Perspectief] = Field(default_factory=list)
    asked: list[str] = Field(default_factory=list, description="question ids in order")
    echoed: list[str] = Field(
        default_factory=list, description="the user's phrases taken up in a question (folded)"
    )
    answers: list[Answer] = Field(default_factory=list)
    deugden: list[str] = Field(default_factory=list)
    mirrors_shown: list[str] = Field(default_factory=list)
    mirrors_dismissed: list[str] = Field(default_factory=list)
    a4: A4 = Field(default_factory=A4)
    a4_edited: list[A4Field] = Field(default_factory=list)
    titles: list[str] = Field(default_factory=list)
    blocks_chosen: list[str] | None = Field(
        default=None, description="the building blocks the user picked, in order; None: draft"
    )
    openingen: dict[str, str] = Field(
        default_factory=dict, description="sentence openings the user completed, by key"
    )
    eigen_zinnen: list[str] = Field(
        default_factory=list, description="sentences the user wrote for the beeld itself"
    )
    turns: list[Turn] = Field(default_factory=list)

    @property
    def phase(self) -> Phase:
        """The method's phase for the current step."""
        return {
            "situatie": Phase.VOORBEREIDING,
            "keuze": Phase.VOORBEREIDING,
            "kop": Phase.KOP,
            "romp": Phase.ROMP,
            "gulden_midden": Phase.ROMP,
            "overgeslagen": Phase.ROMP,
            "afronding": Phase.STAART,
            "afbeelding": Phase.STAART,
            "bouwstenen": Phase.STAART,
            "titel": Phase.STAART,
            "concept": Phase.CONCEPT,
        }[self.step]

    def label(self) -> str:
        """A short name for lists of sessions: the A4 title or the start of the description."""
        if self.a4.titel:
            return self.a4.titel
        text = " ".join(self.beschrijving.split())
        return (text[:60] + "…") if len(text) > 60 else (text or "Nieuwe sessie")

    def answers_on(self, perspective: Perspectief) -> list[Answer]:
        """The answers given on one perspective."""
        return [a for a in self.answers if a.perspective == perspective]
