"""The reflection service: sessions, the facilitator, retrieval, sharing and files behind one API.

It knows nothing of Gradio and holds every rule about who may see and change what: each call
takes the owner. Every action is stored before it is handled, the new state after; reading a
session replays anything a crash left pending.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from assistant.actions import (
    Action,
    Back,
    BuildBeeld,
    ChoosePerspective,
    ChooseSituation,
    ChooseTitle,
    ChooseVirtues,
    ConsentRequired,
    DismissMirror,
    Edit,
    SaveFailed,
    SetImage,
    Skip,
    TextAction,
    ToDraft,
    UnknownSession,
    parse_action,
)
from assistant.components.deidentify import Deidentifier
from assistant.domain.beeld import SavedBeeld
from assistant.domain.session import (
    A4_FIELDS,
    A4Field,
    Bouwsteen,
    Moment,
    SessionState,
    Turn,
    Wie,
)
from assistant.export.document import A4Context
from assistant.export.guide import guide_to_pdf
from assistant.export.summary import export_summary
from assistant.export.writing import (
    ExportFailed,
    ExportResult,
    export_a4,
    export_a4_as,
    session_context,
    store_image,
    team_context,
    write_export,
)
from assistant.facilitator.compose import NO_IMAGE_YET
from assistant.facilitator.engine import Facilitator
from assistant.facilitator.enrich import TokenSink
from assistant.facilitator.events import Coverage, Event, Notice
from assistant.locks import KeyedLocks
from assistant.retrieval.setup import Knowledge
from assistant.sessions.collection import CollectionStore
from assistant.sessions.files import SessionFiles, personal_key, team_key
from assistant.sessions.publish import Replacement, prepare
from assistant.sessions.store import SessionStore, SessionSummary, StoreError
from assistant.teams import SharedBeeld, TeamError, TeamService

# A typed turn up to this many characters (1 MB of text) is stored in full; a longer one is
# refused with a notice and the user keeps it in the input field to shorten it.
MAX_TURN_CHARS = 1_000_000

# The longest text each part of the A4 may hold: a page's worth and then some, so a pasted
# report cannot make every reply (the preview) and every export huge. An edit over the limit is
# refused with a notice and stays in the page's field; a drafted part over it is shortened (the
# user's whole answers stay in the transcript).
A4_MAX_CHARS: dict[A4Field, int] = {
    "titel": 200,
    "kenmerkende_ervaring": 5_000,
    "beeld": 8_000,
    "afbeelding": 1_000,
}
A4_PART_NAMES: dict[A4Field, str] = {
    "titel": "De titel",
    "kenmerkende_ervaring": "De kenmerkende ervaring",
    "beeld": "Het beeld van goed werk",
    "afbeelding": "De beschrijving van de afbeelding",
}


def dutch_number(n: int) -> str:
    """1000000 → 1.000.000."""
    return f"{n:,}".replace(",", ".")


# The actions are part of the service's surface: callers import them from here.
__all__ = [
    "Action", "Back", "BuildBeeld", "ChoosePerspective", "ChooseSituation", "ChooseTitle",
    "ChooseVirtues", "ConsentRequired",
    "DismissMirror", "Edit", "LOCAL_OWNER", "Outcome", "PreviewOutdated", "ReflectionService",
    "SaveFailed",
    "SetImage", "Skip", "TextAction", "ToDraft", "UnknownSession",
]  # fmt: skip

# The owner of sessions made from the command line and by scripts: the one local user.
LOCAL_OWNER = ""


class PreviewOutdated(ValueError):
    """The A4 changed after its preview was shown: nothing was shared."""

    def __init__(self) -> None:
        super().__init__(
            "Het A4 is veranderd sinds het voorbeeld. Bekijk het nieuwe voorbeeld en deel "
            "opnieuw; er is nog niets opgeslagen."
        )


@dataclass(frozen=True)
class Outcome:
    """What one action produced: the session's new state and the events, in order."""

    state: SessionState
    events: list[Event]


def _too_long_edit(state: SessionState, edit: Edit) -> Notice:
    """The refusal of an edit over its part's limit; nothing is stored, the field keeps it."""
    limit = A4_MAX_CHARS[edit.part]
    return Notice(
        text=f"{A4_PART_NAMES[edit.part]} is te lang ({dutch_number(len(edit.value))} tekens; "
        f"maximaal {dutch_number(limit)}). Je wijziging is niet opgeslagen; je tekst staat nog "
        "in het veld. Kort hem in.",
        phase=state.phase,
        transient=True,
    )


def _shortened(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters: after a whole sentence in its second half,
    else at a word with "…"."""
    cut = text[: limit - 1]
    ends = [cut.rfind(mark) for mark in (". ", "! ", "? ", "\n")]
    if max(ends) >= limit // 2:
        return cut[: max(ends) + 1].rstrip()
    space = cut.rfind(" ")
    return (cut[:space] if space >= limit // 2 else cut).rstrip() + "…"


def _shorten_drafted(state: SessionState) -> list[Event]:
    """Shorten drafted A4 parts over their limit at a word boundary; a notice for each."""
    notices: list[Event] = []
    for part in A4_FIELDS:
        text, limit = getattr(state.a4, part), A4_MAX_CHARS[part]
        if len(text) <= limit:
            continue
        setattr(state.a4, part, _shortened(text, limit))
        notices.append(
            Notice(
                text=f"{A4_PART_NAMES[part]} is ingekort tot {dutch_number(limit)} tekens; je "
                "volledige antwoorden staan in het gesprek.",
                phase=state.phase,
                transient=True,
            )
        )
    return notices


class ReflectionService:
    """Start, continue, resume, list and delete reflection sessions; share finished beelden.

    Every call that reads or changes a session, a shared beeld or a team takes the owner (the
    login name, or the browser's key) and treats what is not theirs as unknown.
    """

    def __init__(
        self,
        facilitator: Facilitator,
        store: SessionStore,
        collection: CollectionStore,
        knowledge: Knowledge,
        teams: TeamService,
        files: SessionFiles,
        deidentifier: Deidentifier,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.facilitator = facilitator
        self.store = store
        self.collection = collection
        self.knowledge = knowledge
        self.files = files
        # Names, places, organisations and contact details out of what is shared.
        self.deidentifier = deidentifier
        # Team sessions: a service of its own whose every method takes the owner too.
        self.teams = teams
        # When a session was created and last changed (for the retention term); tests pass
        # a clock of their own.
        self.clock = clock
        self._lock = KeyedLocks()

    def now(self) -> str:
        """The service's clock as the ISO string stored with a session (UTC, seconds)."""
        return self.clock().astimezone(UTC).isoformat(timespec="seconds")

    # What the page shows besides sessions -----------------------------------------------------

    def situations(self) -> dict[int, tuple[str, str]]:
        """Each critical situation's title and description, by id."""
        return {s.id: (s.titel, s.beschrijving) for s in self.knowledge.corpus.situaties}

    def virtues(self) -> list[str]:
        """The booklet's list of virtues."""
        return self.facilitator.library.virtues()

    # Sessions ------------------------------------------------------------------------------

    def start(
        self,
        wie: Wie = "ik",
        moment: Moment = "achteraf",
        owner: str = LOCAL_OWNER,
        session_id: str | None = None,
    ) -> tuple[str, list[Event]]:
        """Create a session and return its id and opening events (a random id unless given)."""
        outcome = self.begin(wie, moment, owner, session_id)
        return outcome.state.id, outcome.events

    def begin(self, wie: Wie, moment: Moment, owner: str, session_id: str | None = None) -> Outcome:
        """Create a session; its first state and opening events."""
        stamp = self.now()
        state = SessionState(
            id=session_id or uuid.uuid4().hex,
            wie=wie,
            moment=moment,
            owner=owner,
            created=stamp,
            updated=stamp,
        )
        events = self.facilitator.start(state)
        events.append(self.facilitator.coverage(state))
        self.store.create(state)
        return Outcome(state, events)

    def state(self, session_id: str, owner: str = LOCAL_OWNER) -> SessionState:
        """The current state of one's session (after replaying anything left pending)."""
        with self._lock(session_id):
            return self._current(session_id, owner)

    def find(self, session_id: str | None, owner: str) -> SessionState | None:
        """One's session, or None when there is no such session of this owner."""
        if not session_id:
            return None
        try:
            return self.state(session_id, owner)
        except UnknownSession:
            return None

    def owns(self, session_id: str, owner: str) -> bool:
        """Does this session belong to `owner`?"""
        return self.store.owner_of(session_id) == owner

    def _current(self, session_id: str, owner: str) -> SessionState:
        loaded = self.store.load_with_pending(session_id)
        if loaded is None or loaded[0].owner != owner:
            raise UnknownSession(session_id)
        state, pending = loaded
        for seq, raw in pending:
            self._apply(state, parse_action(raw))
            state.updated = self.now()
            # When this save fails the action simply stays pending and is replayed next time.
            with contextlib.suppress(StoreError):
                self.store.save(state, handled_seq=seq)
        return state

    def act(
        self,
        session_id: str,
        action: Action,
        on_token: TokenSink | None = None,
        owner: str = LOCAL_OWNER,
    ) -> list[Event]:
        """Store an action, handle it, store the new state; return the events.

        `on_token` receives LLM text as it streams (when an LLM is configured).
        """
        return self.handle(session_id, owner, action, on_token).events

    def handle(
        self,
        session_id: str,
        owner: str,
        action: Action,
        on_token: TokenSink | None = None,
    ) -> Outcome:
        """One action on one's session: one load, the action stored, handled, one save."""
        with self._lock(session_id):
            state = self._current(session_id, owner)
            if isinstance(action, Edit) and len(action.value) > A4_MAX_CHARS[action.part]:
                return Outcome(state, [_too_long_edit(state, action)])
            try:
                seq = self.store.add_pending(session_id, action.model_dump(mode="json"))
            except KeyError as exc:
                raise UnknownSession(session_id) from exc
            except StoreError as exc:
                raise SaveFailed(exc, kept=False) from exc
            events = self._apply(state, action, on_token)
            events += _shorten_drafted(state)
            state.updated = self.now()
            try:
                self.store.save(state, handled_seq=seq)
            except StoreError as exc:
                raise SaveFailed(exc, kept=True) from exc
            return Outcome(state, events)

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
                # The invitation to add a picture has been answered: it is no description.
                if state.a4.afbeelding.strip() == NO_IMAGE_YET:
                    state.a4.afbeelding = ""
            case Edit(part=part, value=value):
                f.edit(state, part, value)
            case BuildBeeld(blocks=blocks, openingen=openingen, eigen=eigen):
                return f.build_beeld(
                    state, blocks, {str(k): v for k, v in openingen.items()}, eigen
                )
            case ChooseTitle(title=title):
                return f.choose_title(state, title)
        return [f.coverage(state)]

    def send(
        self,
        session_id: str,
        text: str,
        on_token: TokenSink | None = None,
        owner: str = LOCAL_OWNER,
    ) -> list[Event]:
        """Send a typed user turn."""
        return self.say(session_id, owner, text, on_token).events

    def say(
        self, session_id: str, owner: str, text: str, on_token: TokenSink | None = None
    ) -> Outcome:
        """A typed user turn; a text over the limit is refused with a notice, nothing stored."""
        if len(text) > MAX_TURN_CHARS:
            state = self.state(session_id, owner)
            notice = Notice(
                text=f"Je tekst is te lang ({dutch_number(len(text))} tekens; maximaal "
                f"{dutch_number(MAX_TURN_CHARS)}). Kort hem in; je tekst staat nog in het "
                "invoerveld.",
                phase=state.phase,
                transient=True,
            )
            return Outcome(state, [notice])
        return self.handle(session_id, owner, TextAction(text=text), on_token)

    def transcript(self, session_id: str, owner: str = LOCAL_OWNER) -> list[Turn]:
        """Every turn of one's session, in order."""
        return self.state(session_id, owner).turns

    def coverage(self, session_id: str, owner: str = LOCAL_OWNER) -> Coverage:
        """The coverage of one's session's perspectives."""
        return self.facilitator.coverage(self.state(session_id, owner))

    def list_sessions(self, owner: str = LOCAL_OWNER) -> list[SessionSummary]:
        """One owner's stored sessions, most recent first."""
        return self.store.list(owner)

    def image_path(self, state: SessionState) -> Path | None:
        """The uploaded image of a session, None without one."""
        return self.files.image(state.id, state.image)

    def preview_image(self, state: SessionState) -> Path | None:
        """The small copy of a session's image that the page shows, None without one."""
        return self.files.preview(state.id, state.image)

    def delete(self, session_id: str, owner: str = LOCAL_OWNER) -> bool:
        """Delete one's session for good: its beelden in the collection, the copies shown to
        a coach, its uploads and exports."""
        with self._lock(session_id):
            if not self.owns(session_id, owner):
                return False
            return self._remove(session_id)

    def expire(self, session_id: str, before: str) -> bool:
        """The retention term: delete a session (of any owner) as `delete` does, if it was last
        changed before `before` (an ISO time); checked again under its lock, so a session
        someone is using right now stays."""
        with self._lock(session_id):
            state = self.store.load(session_id)
            if state is None or state.updated >= before:
                return False
            return self._remove(session_id)

    def _remove(self, session_id: str) -> bool:
        removed = [b.id for b in self.collection.of_session(session_id)]
        for beeld_id in removed:
            self.collection.remove(beeld_id)
        if removed:
            self.knowledge.refresh(self.collection.all())
        deleted = self.store.delete(session_id)
        self.teams.forget_session(session_id)
        self.files.remove(session_id)
        return deleted

    def erase(self, owner: str) -> int:
        """ "Al mijn gegevens wissen": every session of `owner` with all that hangs on it, the
        teams they lead (with their files), their part in teams they joined, their own files.

        Returns the number of sessions deleted; other owners' data is left as it was.
        """
        self.files.remove(personal_key(owner))
        for team in self.teams.teams_of(owner):
            if team.coach == owner:
                self.delete_team(team.id, owner)
            else:
                self.teams.leave(team.id, owner)
        return sum(self.delete(summary.id, owner) for summary in self.store.list(owner))

    def export_dir(self, key: str) -> Path:
        """The folder the files of `key` are served from (after `may_fetch`)."""
        return self.files.exports(key)

    def may_fetch(self, key: str, owner: str) -> bool:
        """May `owner` download the files of `key` (a session, a team or their own key)?"""
        if key.startswith("team-"):
            try:
                return bool(self.teams.team_for(key.removeprefix("team-"), owner))
            except TeamError:
                return False
        if key.startswith("eigen-"):
            return key == personal_key(owner)
        return self.owns(key, owner)

    # The shared collection ---------------------------------------------------------------

    def publication_preview(
        self, session_id: str, use_initials: bool, owner: str = LOCAL_OWNER
    ) -> tuple[SavedBeeld, list[Replacement]]:
        """Exactly what would be stored if one's session's beeld were shared, and what was
        found that identifies people, places or organisations (`NotReady` while the
        de-identifier is still being prepared)."""
        state = self.state(session_id, owner)
        return prepare(state.a4, state.situatie, use_initials, self.deidentifier)

    def publish(
        self,
        session_id: str,
        consent: bool,
        use_initials: bool,
        owner: str = LOCAL_OWNER,
        shown: SavedBeeld | None = None,
    ) -> SavedBeeld:
        """Share one's session's A4 into the collection (only with explicit consent).

        What is stored is the preview; with `shown` (the preview the user saw) nothing is
        stored when the A4 changed since (`PreviewOutdated`).
        """
        if consent is not True:
            raise ConsentRequired()
        beeld, _ = self.publication_preview(session_id, use_initials, owner)
        if shown is not None and shown != beeld:
            raise PreviewOutdated()
        if not (beeld.titel.strip() and beeld.beeld.strip()):
            raise ValueError("Een beeld zonder titel of tekst kan niet gedeeld worden.")
        stored = self.collection.add(beeld, session_id)
        self.knowledge.refresh(self.collection.all())
        return stored

    def published(self, session_id: str, owner: str = LOCAL_OWNER) -> list[SavedBeeld]:
        """The beelden shared from one's session (none from another's)."""
        if not self.owns(session_id, owner):
            return []
        return self.collection.of_session(session_id)

    def unpublish(self, session_id: str, beeld_id: str, owner: str = LOCAL_OWNER) -> bool:
        """Remove a beeld shared from one's session from the collection and from retrieval."""
        if all(b.id != beeld_id for b in self.published(session_id, owner)):
            return False
        removed = self.collection.remove(beeld_id)
        if removed:
            self.knowledge.refresh(self.collection.all())
        return removed

    # Sharing with a coach ---------------------------------------------------------------------

    def share_with_team(
        self, team_id: str, session_id: str, owner: str, consent: bool
    ) -> SharedBeeld:
        """Let the coach of a team one joined see a copy of one's session's A4 (with consent)."""
        state = self.find(session_id, owner)
        if state is None:
            raise TeamError("Kies eerst een eigen sessie.")
        return self.teams.share_beeld(team_id, owner, session_id, state.a4, consent)

    def delete_team(self, team_id: str, coach: str) -> bool:
        """Delete a team one leads, with its exports (TeamError when it is not one's own)."""
        deleted = self.teams.delete_team(team_id, coach)
        self.files.remove(team_key(team_id))
        return deleted

    # The picture and the files made from a session or a team ----------------------------------

    def open(self, session_id: str | None, owner: str) -> Outcome | None:
        """One's session as it stands, with the events that show it; None if not one's own."""
        state = self.find(session_id, owner)
        return None if state is None else Outcome(state, self.snapshot(state))

    def building_blocks(self, session_id: str, owner: str = LOCAL_OWNER) -> list[Bouwsteen]:
        """One's own strongest sentences by perspective, to build the beeld from (after the
        staart; pick and order them with the `BuildBeeld` action)."""
        return self.facilitator.building_blocks(self.state(session_id, owner))

    def virtues_with_their_mean(self, state: SessionState) -> str:
        """The chosen virtues with the user's own extremes, as the building-block step offers
        them ("" without chosen virtues)."""
        return self.facilitator.virtues_with_their_mean(state)

    def sentence_openings(self, wie: Wie) -> dict[str, str]:
        """The beeld's sentence openings to complete, by key, in the session's form
        ("Daarom doe ik …"); `BuildBeeld.openingen` takes the words for the "…"."""
        return self.facilitator.bank.beeld.opening_prompts(wie)

    def snapshot(self, state: SessionState) -> list[Event]:
        """The events that show a session as it stands (for a page that draws it anew)."""
        return self.facilitator.snapshot(state)

    def attach_image(self, session_id: str, owner: str, upload: Path) -> Outcome:
        """Keep a checked copy of an uploaded picture as one's session's afbeelding."""
        self.state(session_id, owner)  # another owner's session is refused before any write
        name = store_image(upload, self.files.data_dir, session_id, self.files.max_image_mb)
        return self.handle(session_id, owner, SetImage(filename=name))

    def export(self, session_id: str, owner: str, kind: str) -> ExportResult:
        """Write one's session's A4 as pdf, docx or md (ExportFailed with a Dutch message)."""
        state = self.state(session_id, owner)
        context = self.a4_context(session_id, owner)
        return export_a4(state, self.image_path(state), kind, self.files.data_dir, context)

    def a4_context(self, session_id: str, owner: str) -> A4Context:
        """What the A4's quiet band shows for one's session: situation, virtues, ik/wij, date."""
        state = self.state(session_id, owner)
        situation = self.situations().get(state.situatie, ("", ""))[0]
        return session_context(state, situation, self.virtues())

    def export_summary(self, session_id: str, owner: str, kind: Literal["md", "pdf"]) -> Path:
        """Write a summary of one's session for one's coach (a file the user hands over)."""
        state = self.state(session_id, owner)
        situation = self.situations().get(state.situatie, (None, ""))[0]
        directory = self.files.exports(session_id)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            return export_summary(state, situation, kind, directory)
        except OSError as exc:
            reason = exc.strerror or exc
            raise ExportFailed(f"De samenvatting maken is niet gelukt: {reason}.") from exc

    def export_team(self, team_id: str, owner: str, kind: str) -> ExportResult:
        """Write the shared A4 of a team one is in (TeamError before the coach drafted it)."""
        team = self.teams.team_for(team_id, owner)
        if not team.a4.titel.strip() and not team.a4.beeld.strip():
            raise TeamError("Er is nog geen gedeeld A4: de coach stelt het eerst op.")
        title = self.situations().get(team.situatie, ("", ""))[0]
        virtues = self.virtues()
        context = team_context(team.a4, title, team.situatie, team.wie, team.created, virtues)
        return export_a4_as(team.a4, team_key(team.id), None, kind, self.files.data_dir, context)

    def write_guide(self, owner: str, situatie: int, group: int) -> Path:
        """Write the printable guide for a group session on one situation (PDF), as one's own."""
        return write_export(
            personal_key(owner),
            self.files.data_dir,
            f"gespreksleidraad-situatie-{situatie}.pdf",
            lambda tmp: guide_to_pdf(self.knowledge.corpus, self.teams.bank, situatie, group, tmp),
        )
