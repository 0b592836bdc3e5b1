"""What a user can do in a session (the typed actions, stored before they are handled) and
what a call on a session can refuse."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, TypeAdapter

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import A4Field
from assistant.errors import GoedwerkError
from assistant.sessions.store import StoreError
from assistant.text import clean_text

# User text in an action is cleaned when the action is made, so what is stored is clean.
CleanText = Annotated[str, AfterValidator(clean_text)]


class TextAction(BaseModel):
    """A typed user turn."""

    type: Literal["text"] = "text"
    text: CleanText


class ChooseSituation(BaseModel):
    """Pick an offered situation (1-based), or 0 for none."""

    type: Literal["situatie"] = "situatie"
    index: int = Field(ge=0)


class ChoosePerspective(BaseModel):
    """Go to a perspective."""

    type: Literal["perspectief"] = "perspectief"
    perspective: Perspectief


class Skip(BaseModel):
    """Skip the current perspective."""

    type: Literal["overslaan"] = "overslaan"


class Back(BaseModel):
    """Return to the previous perspective."""

    type: Literal["terug"] = "terug"


class ToDraft(BaseModel):
    """Compose the A4 now."""

    type: Literal["concept"] = "concept"


class DismissMirror(BaseModel):
    """Hide a mirror."""

    type: Literal["spiegel_weg"] = "spiegel_weg"
    mirror_id: CleanText


class ChooseVirtues(BaseModel):
    """Select virtues from the list."""

    type: Literal["deugden"] = "deugden"
    virtues: list[CleanText]


class SetImage(BaseModel):
    """Attach an uploaded (already validated) image to the A4."""

    type: Literal["afbeelding"] = "afbeelding"
    filename: str = Field(pattern=r"^[a-z0-9-]+\.(png|jpg)$")


class Edit(BaseModel):
    """Edit one part of the A4."""

    type: Literal["bewerk"] = "bewerk"
    part: A4Field
    value: CleanText


OpeningKey = Literal["goed_werk", "doen", "belangrijk", "weten", "ruimte", "gekend"]


class BuildBeeld(BaseModel):
    """The beeld from building blocks: the ids picked, in order (None: the blocks the draft
    proposes, "neem het concept"); completed sentence openings (the words after the opening);
    sentences of one's own."""

    type: Literal["bouwstenen"] = "bouwstenen"
    blocks: list[Annotated[str, Field(pattern=r"^\d{1,5}\.\d{1,3}$")]] | None = Field(
        default=None, max_length=60
    )
    openingen: dict[OpeningKey, CleanText] = Field(default_factory=dict)
    eigen: list[CleanText] = Field(default_factory=list, max_length=20)


class ChooseTitle(BaseModel):
    """The title of the A4, chosen from the suggestions or one's own."""

    type: Literal["titel"] = "titel"
    title: CleanText = Field(min_length=1, max_length=200)


Action = (
    TextAction
    | ChooseSituation
    | ChoosePerspective
    | Skip
    | Back
    | ToDraft
    | DismissMirror
    | ChooseVirtues
    | SetImage
    | Edit
    | BuildBeeld
    | ChooseTitle
)
_ACTION: TypeAdapter[Action] = TypeAdapter(Action)


def parse_action(raw: object) -> Action:
    """An action from its stored JSON form."""
    return _ACTION.validate_python(raw)


class UnknownSession(GoedwerkError, KeyError):
    """No session with this id."""


class ConsentRequired(GoedwerkError, PermissionError):
    """Sharing into the collection needs the user's explicit consent."""

    def __init__(self) -> None:
        super().__init__("Zonder uitdrukkelijke toestemming wordt er niets gedeeld.")


class SaveFailed(StoreError):
    """An action could not be saved; the state on disk is the one from before it.

    `kept` is True when the action itself was stored: it is handled on the next load.
    """

    def __init__(self, cause: StoreError, kept: bool) -> None:
        more = (
            " Je invoer is wel vastgelegd en wordt verwerkt zodra opslaan weer lukt; "
            "je hoeft hem niet opnieuw te versturen."
            if kept
            else " Er is niets veranderd."
        )
        super().__init__(f"{cause}{more}")
        self.kept = kept
