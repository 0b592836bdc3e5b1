"""Team (intervision) sessions: the records a coach and the participants share.

A team talks through one situation the way the handreiking describes a group conversation:
"simpelweg een kop, romp en staart". Each participant writes their own contribution per part;
the coach compares them and drafts one shared rich A4 from them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.domain.perspectives import METHOD_ORDER, PERSPECTIEF_LABELS
from assistant.domain.session import A4, A4Field
from assistant.errors import GoedwerkError

# The parts of a team conversation: the experience, the five perspectives in the method's
# order, and each one's proposal for the beeld van goed werk.
PARTS: tuple[str, ...] = ("kop", *(p.value for p in METHOD_ORDER), "staart")
PART_LABELS: dict[str, str] = {
    "kop": "Kop: de ervaring",
    **{p.value: PERSPECTIEF_LABELS[p] for p in METHOD_ORDER},
    "staart": "Staart: beeld van goed werk",
}

Wie = Literal["ik", "wij"]
Naming = Literal["naam", "anoniem"]
TraceField = A4Field

# "Van minimaal 2 personen tot in totaal maximaal 12 deelnemers" (handreiking, groepsomvang).
MAX_PARTICIPANTS = 12

# The handreiking's closing questions for a group ("Staart"), in its own words.
CLOSING_QUESTIONS: tuple[str, ...] = (
    "Kunnen we komen tot een gedeeld beeld van goed werk?",
    "Heeft dit gesprek onze beelden dichter bij elkaar gebracht?",
    "Hoe gaan we om met de verschillen die zichtbaar zijn geworden?",
)

# The handreiking's tips for the begeleider ("Rol begeleider" and the kop), in its own words.
COACH_TIPS: tuple[str, ...] = (
    "Laat daarin iedereen iets inbrengen zonder meteen te reageren.",
    "Zorg ervoor dat alle aspecten aan bod komen.",
    "Bewaak dat iedereen ruimte krijgt om in te brengen.",
    "Blijf dicht bij ervaringen. Dus: gaat het teveel zweven en gaan mensen veel ‘vinden’, "
    "vraag dan om ervaringen en voorbeelden en vraag door tot dat het weer concreet wordt.",
    "Pas op voor waarheden of instrumentele oplossingen.",
    "Draag zorg voor de samenvatting van de inzichten in een beeld van goed werk.",
)

# Shown to a participant where the others' contributions are still hidden.
HIDDEN_NOTE = (
    "Eerst je eigen inbreng: iedereen brengt iets in zonder meteen te reageren. "
    "Daarna zie je wat de anderen schreven."
)


class TeamError(GoedwerkError, ValueError):
    """A team action that cannot be done; the message is Dutch, for the user."""


class TooManyAttempts(TeamError):
    """Too many wrong join codes; `retry_after` says in how many seconds to try again."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TraceItem(BaseModel):
    """Where one sentence of the shared A4 came from."""

    field: TraceField
    sentence: str = Field(description="the sentence as it stands in the contribution")
    contribution_id: str
    label: str = Field(description="the participant's label: a name or 'Deelnemer N'")


class Team(BaseModel):
    """A team session on one situation, led by a coach."""

    id: str
    code: str = Field(description="join code as shown: XXXXX-XXXXX")
    coach: str = Field(description="the coach's owner key; empty when shown to a participant")
    situatie: int
    wie: Wie = "wij"
    naming: Naming = "anoniem"
    created: str
    a4: A4 = Field(default_factory=A4)
    trace: list[TraceItem] = Field(default_factory=list)


class Participant(BaseModel):
    """Someone who joined a team; others only ever see the label."""

    id: str
    team_id: str
    owner: str = Field(description="the participant's owner key; empty when shown to others")
    name: str = Field(description="the name given at joining; empty in an anonymous team")
    label: str = Field(description="the name, or 'Deelnemer N' (join order) when anonymous")


class Contribution(BaseModel):
    """One participant's text on one part."""

    id: str
    team_id: str
    participant_id: str
    part: str
    text: str
    updated: str


class PartView(BaseModel):
    """One part as a participant sees it."""

    part: str
    label: str
    questions: list[str]
    own: str | None
    others: list[tuple[str, str]] = Field(
        description="(label, text) of the others; empty while the own text is missing"
    )
    hidden_count: int = Field(description="how many others wrote something not yet shown")


class CoachPart(BaseModel):
    """One part as the coach sees it: everything side by side, with what is shared."""

    part: str
    label: str
    contributions: list[tuple[str, str]]
    agreement: list[str] = Field(description="words two or more people used, as they wrote them")
    differences: list[tuple[str, list[str]]] = Field(
        description="(label, the words only they used)"
    )


class CoachView(BaseModel):
    """The coach's overview of a team."""

    team: Team
    participants: list[Participant]
    parts: list[CoachPart]
    closing_questions: list[str]
    tips: list[str] = Field(default_factory=list, description="the handreiking's tips")


class SharedBeeld(BaseModel):
    """A snapshot of an individual A4 a participant chose to show the coach."""

    id: str
    team_id: str
    participant_label: str
    session_id: str = Field(description="the individual session; empty when shown to the coach")
    titel: str
    kenmerkende_ervaring: str
    beeld: str
    afbeelding: str
    shared: str
