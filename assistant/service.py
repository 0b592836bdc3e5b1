"""The reflection service: sessions, the facilitator and retrieval behind one API.

It knows nothing of Gradio. Every action is stored before it is handled, the new state after;
`resume()` replays anything a crash left pending.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, TypeAdapter

from assistant.domain.beeld import SavedBeeld
from assistant.domain.perspectives import Perspectief
from assistant.domain.session import A4Field, Moment, SessionState, Turn, Wie, now
from assistant.errors import GoedwerkError
from assistant.facilitator.engine import Facilitator
from assistant.facilitator.enrich import TokenSink
from assistant.facilitator.events import Coverage, Event, Notice
from assistant.locks import KeyedLocks
from assistant.retrieval.setup import Knowledge
from assistant.sessions.collection import CollectionStore
from assistant.sessions.publish import prepare
from assistant.sessions.store import SessionStore, SessionSummary, StoreError
from assistant.text import clean_text

if TYPE_CHECKING:
    from assistant.teams import TeamService

# A typed turn up to this many characters (1 MB of text) is stored in full; a longer one is
# refused with a notice and the user keeps it in the input field to shorten it.
MAX_TURN_CHARS = 1_000_000


def _dutch_number(n: int) -> str:
    """1000000 → 1.000.000."""
    return f"{n:,}".replace(",", ".")


# User text in an action is cleaned when the action is made, so what is stored is clean.
CleanText = Annotated[str, AfterValidator(clean_text)]


class UnknownSession(GoedwerkError, KeyError):
    """No session with this id."""


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
)
_ACTION = TypeAdapter(Action)


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


class ConsentRequired(GoedwerkError, PermissionError):
    """Sharing into the collection needs the user's explicit consent."""

    def __init__(self) -> None:
        super().__init__("Zonder uitdrukkelijke toestemming wordt er niets gedeeld.")


class ReflectionService:
    """Start, continue, resume, list and delete reflection sessions; share finished beelden."""

    def __init__(
        self,
        facilitator: Facilitator,
        store: SessionStore,
        collection: CollectionStore,
        knowledge: Knowledge,
        teams: TeamService | None = None,
    ) -> None:
        self.facilitator = facilitator
        self.teams = teams
        self.store = store
        self.collection = collection
        self.knowledge = knowledge
        self._lock = KeyedLocks()

    def start(
        self,
        wie: Wie = "ik",
        moment: Moment = "achteraf",
        owner: str = "",
        session_id: str | None = None,
    ) -> tuple[str, list[Event]]:
        """Create a session and return its id and opening events (a random id unless given)."""
        state = SessionState(id=session_id or uuid.uuid4().hex, wie=wie, moment=moment, owner=owner)
        events = self.facilitator.start(state)
        events.append(self.facilitator.coverage(state))
        self.store.create(state)
        return state.id, events

    def state(self, session_id: str) -> SessionState:
        """The current state of a session (after replaying anything left pending)."""
        with self._lock(session_id):
            return self._current(session_id)

    def _current(self, session_id: str) -> SessionState:
        state = self.store.load(session_id)
        if state is None:
            raise UnknownSession(session_id)
        for seq, raw in self.store.pending(session_id):
            self._apply(state, _ACTION.validate_python(raw))
            state.updated = now()
            # When this save fails the action simply stays pending and is replayed next time.
            with contextlib.suppress(StoreError):
                self.store.save(state, handled_seq=seq)
        return state

    def act(
        self, session_id: str, action: Action, on_token: TokenSink | None = None
    ) -> list[Event]:
        """Store an action, handle it, store the new state; return the events.

        `on_token` receives LLM text as it streams (when an LLM is configured).
        """
        with self._lock(session_id):
            state = self._current(session_id)
            try:
                seq = self.store.add_pending(session_id, action.model_dump(mode="json"))
            except KeyError as exc:
                raise UnknownSession(session_id) from exc
            except StoreError as exc:
                raise SaveFailed(exc, kept=False) from exc
            events = self._apply(state, action, on_token)
            state.updated = now()
            try:
                self.store.save(state, handled_seq=seq)
            except StoreError as exc:
                raise SaveFailed(exc, kept=True) from exc
            return events

    def _apply(
        self, state: SessionState, action: Action, on_token: TokenSink | None = None
    ) -> list[Event]:
        f = self.facilitator
        match action:
            case TextAction(text=text):
                return f.answer(state, text, on_token)
            case ChooseSituation(index=index):
                return f.choose_situation(state, index)
            case ChoosePerspective(perspective=perspective):
                return f.choose_perspective(state, perspective)
            case Skip():
                return f.skip(state)
            case Back():
                return f.back(state)
            case ToDraft():
                return f.to_draft(state)
            case DismissMirror(mirror_id=mirror_id):
                f.dismiss_mirror(state, mirror_id)
            case ChooseVirtues(virtues=virtues):
                f.choose_virtues(state, virtues)
            case SetImage(filename=filename):
                state.image = filename
            case Edit(part=part, value=value):
                f.edit(state, part, value)
        return [f.coverage(state)]

    # Convenience wrappers -------------------------------------------------------------------

    def send(self, session_id: str, text: str, on_token: TokenSink | None = None) -> list[Event]:
        """Send a typed user turn."""
        if len(text) > MAX_TURN_CHARS:
            return [
                Notice(
                    text=f"Je tekst is te lang ({_dutch_number(len(text))} tekens; maximaal "
                    f"{_dutch_number(MAX_TURN_CHARS)}). Kort hem in; je tekst staat nog in het "
                    "invoerveld.",
                    phase=self.state(session_id).phase,
                )
            ]
        return self.act(session_id, TextAction(text=text), on_token)

    def transcript(self, session_id: str) -> list[Turn]:
        """Every turn of a session, in order."""
        return self.state(session_id).turns

    def coverage(self, session_id: str) -> Coverage:
        """The coverage of a session's perspectives."""
        return self.facilitator.coverage(self.state(session_id))

    def list_sessions(self, owner: str | None = None) -> list[SessionSummary]:
        """Stored sessions, those of `owner` only when given."""
        return self.store.list(owner)

    def owns(self, session_id: str, owner: str) -> bool:
        """Does this session belong to `owner` (the login name, empty without login)?"""
        state = self.store.load(session_id)
        return state is not None and state.owner == owner

    def delete(self, session_id: str) -> bool:
        """Delete a session for good, with any snapshot of it shared with a coach."""
        with self._lock(session_id):
            deleted = self.store.delete(session_id)
            if self.teams is not None:
                self.teams.forget_session(session_id)
        return deleted

    def delete_all(self) -> int:
        """Delete every session, every beeld shared from them and every copy shown to a coach."""
        if self.teams is not None:
            for summary in self.store.list():
                self.teams.forget_session(summary.id)
        shared = self.collection.all()
        for beeld in shared:
            self.collection.remove(beeld.id)
        if shared:
            self.knowledge.refresh(self.collection.all())
        return self.store.delete_all()

    # The shared collection ---------------------------------------------------------------

    def publication_preview(
        self, session_id: str, use_initials: bool
    ) -> tuple[SavedBeeld, list[str]]:
        """What would be stored if this session's beeld were shared, and the names found."""
        state = self.state(session_id)
        return prepare(state.a4, state.situatie, use_initials)

    def publish(self, session_id: str, consent: bool, use_initials: bool) -> SavedBeeld:
        """Share this session's A4 into the collection (only with explicit consent)."""
        if consent is not True:
            raise ConsentRequired()
        beeld, _ = self.publication_preview(session_id, use_initials)
        if not (beeld.titel.strip() and beeld.beeld.strip()):
            raise ValueError("Een beeld zonder titel of tekst kan niet gedeeld worden.")
        stored = self.collection.add(beeld, session_id)
        self.knowledge.refresh(self.collection.all())
        return stored

    def published(self, session_id: str) -> list[SavedBeeld]:
        """The beelden shared from this session."""
        return self.collection.of_session(session_id)

    def unpublish(self, beeld_id: str) -> bool:
        """Remove a shared beeld from the collection and from retrieval."""
        removed = self.collection.remove(beeld_id)
        if removed:
            self.knowledge.refresh(self.collection.all())
        return removed


def event_to_json(event: Event) -> dict[str, Any]:
    """An event as plain JSON data."""
    return event.model_dump(mode="json")
