"""Typed events the service yields for each user turn; the UI only routes them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import A4, Phase, Traced, TurnKind


class Option(BaseModel):
    """A choice offered with a question (an offered situation, a virtue)."""

    value: str
    label: str
    detail: str = ""


class _Event(BaseModel):
    text: str
    phase: Phase
    perspective: Perspectief | None = None


class Question(_Event):
    """A question; the user's next turn answers it."""

    type: Literal["question"] = "question"
    kind: Literal[TurnKind.VRAAG] = TurnKind.VRAAG
    options: list[Option] = Field(default_factory=list)


class FollowUp(_Event):
    """A follow-up on the same perspective after a vague answer."""

    type: Literal["follow_up"] = "follow_up"
    kind: Literal[TurnKind.DOORVRAAG] = TurnKind.DOORVRAAG


class Mirror(_Event):
    """How someone in a comparable beeld weighed this perspective: "herken je dit?"."""

    type: Literal["mirror"] = "mirror"
    kind: Literal[TurnKind.SPIEGEL] = TurnKind.SPIEGEL
    mirror_id: str
    quote: str
    title: str
    source: str


class Notice(_Event):
    """A message that is not a question (a transition, a fallback, an error)."""

    type: Literal["notice"] = "notice"
    kind: Literal[TurnKind.MELDING] = TurnKind.MELDING
    transient: bool = Field(
        default=False,
        description="not part of the conversation (a refusal before anything was stored)",
    )


class Coverage(BaseModel):
    """How far each perspective has been explored (answers given per perspective)."""

    type: Literal["coverage"] = "coverage"
    counts: dict[Perspectief, int]
    current: Perspectief | None = None
    skipped: list[Perspectief] = Field(default_factory=list)


class Draft(_Event):
    """The drafted A4 with title suggestions and whether it fits one page."""

    type: Literal["draft"] = "draft"
    kind: Literal[TurnKind.CONCEPT] = TurnKind.CONCEPT
    a4: A4
    titles: list[str]
    fits_one_page: bool
    trace: list[Traced] = Field(
        default_factory=list,
        description="each beeld sentence with the turn it came from and its template words",
    )


Event = Question | FollowUp | Mirror | Notice | Coverage | Draft
