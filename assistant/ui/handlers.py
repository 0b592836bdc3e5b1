"""The reflection tab's handlers: each turns a page event into one service call and a view.

They pass the owner of the request to the service and render what it returns; the rules
(who may see what, what an action does) live in the service.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import gradio as gr

from assistant.components.deidentify import NotReady
from assistant.domain.session import A4_FIELDS, A4Field, SessionState
from assistant.export.markdown import escape
from assistant.export.writing import ExportFailed, ImageRejected
from assistant.facilitator.compose import fits_one_page
from assistant.facilitator.events import Event, Notice
from assistant.service import (
    Action,
    ChooseSituation,
    ChooseVirtues,
    ConsentRequired,
    DismissMirror,
    Edit,
    Outcome,
    PreviewOutdated,
)
from assistant.sessions.store import StoreError
from assistant.ui import views
from assistant.ui.blocks_view import BlocksView, blocks_view
from assistant.ui.layout import ReflectionLayout, updates
from assistant.ui.render import page_view
from assistant.ui.serving import PageContext, stream_reply
from assistant.ui.store_errors import store_errors_in_dutch

Updates = dict[Any, Any]


class ReflectionHandlers:
    """The handlers of one page; they hold no user state (that is the session id per tab)."""

    def __init__(self, ctx: PageContext, layout: ReflectionLayout) -> None:
        self.ctx = ctx
        self.service = ctx.service
        self.layout = layout

    # Rendering ---------------------------------------------------------------------------

    def view(
        self,
        state: SessionState | None,
        events: list[Event] | None,
        request: gr.Request | None,
        status: str = "",
        typed: str = "",
    ) -> Updates:
        """The page for a session after these events (None: as it stands when opened)."""
        opened = events is None
        if state is not None and events is None:
            events = self.service.snapshot(state)
        view = page_view(
            state,
            events or [],
            sessions=self.ctx.session_choices(request),
            situations=self.ctx.situations,
            image=self.service.preview_image(state) if state else None,
            fits=fits_one_page(state.a4) if state else True,
            status=status,
            typed=typed,
            blocks=self.blocks_of(state, request),
            opened=opened,
        )
        out = updates(self.layout, view)
        out[self.layout.session_id] = view.session_id
        return out

    def blocks_of(
        self, state: SessionState | None, request: gr.Request | None
    ) -> BlocksView | None:
        """The building-block panel of a session in that step."""
        if state is None or state.step != "bouwstenen":
            return None
        found = self.service.building_blocks(state.id, self.ctx.owner(request))
        openings = self.service.sentence_openings(state.wie)
        return blocks_view(state, found, openings, self.service.virtues_with_their_mean(state))

    def own_session(self, sid: str | None, request: gr.Request | None) -> SessionState | None:
        """The session of this tab if it is the requester's own (None otherwise)."""
        return self.service.find(sid, self.ctx.owner(request))

    # Sessions ------------------------------------------------------------------------------

    @store_errors_in_dutch
    def opening(self, request: gr.Request) -> Updates:
        """The page as it first loads: this browser's last session, where it was left."""
        owner = self.ctx.owner(request)
        for summary in self.service.list_sessions(owner)[:1]:
            state = self.service.find(summary.id, owner)
            if state is not None:
                return self.view(state, None, request, "Verder met je laatste sessie.")
        return self.view(None, [], request)

    @store_errors_in_dutch
    def start(self, wie: str, moment: str, request: gr.Request) -> Updates:
        """Start a new session."""
        try:
            outcome = self.service.begin(wie, moment, self.ctx.owner(request))  # type: ignore[arg-type]
        except StoreError as exc:
            return self.view(None, [], request, str(exc))
        return self.view(outcome.state, outcome.events, request)

    @store_errors_in_dutch
    def resume(self, selected: str | None, request: gr.Request) -> Updates:
        """Open a stored session from the list."""
        state = self.own_session(selected, request)
        if state is None:
            return self.view(None, [], request, "Kies eerst een sessie uit de lijst.")
        return self.view(state, None, request, "Sessie hervat.")

    @store_errors_in_dutch
    def delete(self, sid: str | None, sure: bool, request: gr.Request) -> Updates:
        """Delete the open session, after the confirmation box is ticked."""
        state = self.own_session(sid, request)
        if not sure:
            return self._unconfirmed(state, request)
        if state is None:
            return {
                **self.view(None, [], request, "Er is geen sessie geopend."),
                **self._unticked(),
            }
        self.service.delete(state.id, self.ctx.owner(request))
        return {**self.view(None, [], request, "De sessie is verwijderd."), **self._unticked()}

    @store_errors_in_dutch
    def erase(self, sid: str | None, sure: bool, request: gr.Request) -> Updates:
        """Al mijn gegevens wissen: one service call, after the confirmation box is ticked."""
        if not sure:
            return self._unconfirmed(self.own_session(sid, request), request)
        self.service.erase(self.ctx.owner(request))
        return {**self.view(None, [], request, "Al je gegevens zijn gewist."), **self._unticked()}

    def _unconfirmed(self, state: SessionState | None, request: gr.Request) -> Updates:
        message = "Vink eerst ‘Ja, ik weet het zeker’ aan."
        return {**self.view(state, None, request, message), **self._unticked()}

    def _unticked(self) -> Updates:
        return {self.layout.confirm: False}

    # The conversation ----------------------------------------------------------------------

    @store_errors_in_dutch
    def send(self, sid: str | None, typed: str, request: gr.Request) -> Iterator[Updates]:
        """A typed answer: echoed at once, the reply streamed when an LLM writes it."""
        owner = self.ctx.owner(request)
        state = self.service.find(sid, owner)
        if state is None:
            message = "Start eerst een nieuwe sessie; je tekst staat nog in het veld."
            yield self.view(None, [], request, message, typed=typed)
            return
        if not typed.strip():
            empty = views.LABELS[state.wie].empty
            yield self.view(state, None, request, empty, typed=typed)
            return
        echo = self.view(state, [], request)
        chat = [*echo[self.layout.chat], {"role": "user", "content": views.as_text(typed)}]
        yield {**echo, self.layout.chat: chat}
        result: dict[str, Any] = {}
        work = lambda sink: self.service.say(state.id, owner, typed, sink)  # noqa: E731
        for streamed in stream_reply(work, result):
            bubble = {"role": "assistant", "content": views.as_text(streamed)}
            yield {self.layout.chat: [*chat, bubble]}
        if "error" in result:
            yield self.view(state, None, request, _failure(result["error"]), typed=typed)
            return
        outcome: Outcome = result["events"]
        # A turn refused before it was stored stays in the field to be shortened or sent again.
        refused = len(outcome.state.turns) == len(state.turns) and any(
            getattr(e, "transient", False) for e in outcome.events
        )
        kept = typed if refused else ""
        yield self.view(outcome.state, outcome.events, request, typed=kept)

    @store_errors_in_dutch
    def act(self, sid: str | None, action: Action, request: gr.Request, keep: str = "") -> Updates:
        """One action on the open session; the typed text stays in the field."""
        state = self.own_session(sid, request)
        if state is None:
            return self.view(None, [], request, "Start eerst een nieuwe sessie.", typed=keep)
        try:
            outcome = self.service.handle(state.id, self.ctx.owner(request), action)
        except StoreError as exc:
            return self.view(state, None, request, str(exc), typed=keep)
        return self.view(outcome.state, outcome.events, request, typed=keep)

    def acting(self, make: Callable[[], Action]) -> Callable[..., Updates]:
        """A handler for a button that makes one action."""

        def handler(sid: str | None, typed: str, request: gr.Request) -> Updates:
            return self.act(sid, make(), request, typed)

        return handler

    @store_errors_in_dutch
    def choose(
        self, sid: str | None, choice: str | None, typed: str, request: gr.Request
    ) -> Updates:
        """Pick an offered situation ("2. …" or "0. …")."""
        if not choice:
            return self.view(self.own_session(sid, request), None, request, typed=typed)
        index = int(choice.split(".", 1)[0])
        return self.act(sid, ChooseSituation(index=index), request, typed)

    @store_errors_in_dutch
    def pick_virtues(self, sid: str | None, chosen: list[str], request: gr.Request) -> None:
        """Record the virtues picked from the list."""
        state = self.own_session(sid, request)
        if state is None:
            return
        try:
            self.service.handle(state.id, self.ctx.owner(request), ChooseVirtues(virtues=chosen))
        except StoreError as exc:
            raise gr.Error(str(exc)) from exc

    @store_errors_in_dutch
    def dismiss(self, sid: str | None, typed: str, request: gr.Request) -> Updates:
        """Hide the latest mirror."""
        state = self.own_session(sid, request)
        mirror = views.last_mirror_id(state)
        if mirror is None:
            return self.view(state, None, request, typed=typed)
        return self.act(sid, DismissMirror(mirror_id=mirror), request, typed)

    # The A4 --------------------------------------------------------------------------------

    def edit(self, part: A4Field) -> Callable[..., str | dict[str, Any]]:
        """A handler that stores an edit of one A4 part and returns the new preview.

        Wired to both input and blur, so a pasted text is stored even without a keystroke;
        an unchanged value stores nothing.
        """

        @store_errors_in_dutch
        def handler(sid: str | None, value: str, request: gr.Request) -> str | dict[str, Any]:
            state = self.own_session(sid, request)
            if state is None:
                return gr.update()
            state, refused = self._save_fields(state, {part: value}, request)
            return self._preview(state, refused)

        return handler

    def _save_fields(
        self, state: SessionState, values: dict[A4Field, str | None], request: gr.Request
    ) -> tuple[SessionState, list[str]]:
        """Store the A4 parts whose text differs from the session's (before an export too).

        Returns the new state and the service's refusals (a part over its limit): those parts
        are not stored, and the page's field keeps what was typed (it is no output here).
        """
        owner = self.ctx.owner(request)
        refused: list[str] = []
        for part, value in values.items():
            if value is None or getattr(state.a4, part) == value:
                continue
            try:
                outcome = self.service.handle(state.id, owner, Edit(part=part, value=value))
            except StoreError as exc:
                # An error, not a stale preview: the field keeps the text; API callers see
                # the call fail instead of a reply that looks like a saved edit.
                raise gr.Error(f"{exc} Je tekst staat nog in het veld.") from exc
            state = outcome.state
            refused += [e.text for e in outcome.events if isinstance(e, Notice) and e.transient]
        return state, refused

    def _preview(self, state: SessionState, refused: list[str] | None = None) -> str:
        image = self.service.preview_image(state)
        preview = views.a4_preview(state, image, fits_one_page(state.a4))
        return views.a4_refusals(refused or []) + preview

    @store_errors_in_dutch
    def pick_title(self, sid: str | None, chosen: str | None, request: gr.Request) -> list[Any]:
        """Take a suggested title."""
        if not chosen:
            return [gr.update(), gr.update()]
        return [chosen, self.edit("titel")(sid, chosen, request)]

    @store_errors_in_dutch
    def upload(self, sid: str | None, path: str | None, request: gr.Request) -> list[Any]:
        """Keep an uploaded image with the session (Gradio's copy is removed at once)."""
        state = self.own_session(sid, request)
        if state is None or not path:
            if path:
                Path(path).unlink(missing_ok=True)
            message = "Start eerst een sessie om een afbeelding toe te voegen."
            return [None, gr.update(), message, gr.update()]
        try:
            outcome = self.service.attach_image(state.id, self.ctx.owner(request), Path(path))
        except (ImageRejected, StoreError) as exc:
            return [None, gr.update(), str(exc), gr.update()]
        finally:
            # Gradio would serve its upload copy to anyone with the URL; ours is kept.
            Path(path).unlink(missing_ok=True)
        shown = outcome.state.a4.afbeelding
        return [None, self._preview(outcome.state), "Afbeelding toegevoegd.", shown]

    @store_errors_in_dutch
    def save_a4(
        self,
        sid: str | None,
        titel: str,
        ervaring: str,
        beeld: str,
        afbeelding: str,
        request: gr.Request,
    ) -> str | dict[str, Any]:
        """Store the four A4 fields as the page shows them (run before every export)."""
        state = self.own_session(sid, request)
        if state is None:
            return gr.update()
        values = dict(zip(A4_FIELDS, (titel, ervaring, beeld, afbeelding), strict=True))
        state, refused = self._save_fields(state, values, request)  # type: ignore[arg-type]
        if refused:
            # No export of an A4 that is not what the page shows (the export waits on success).
            raise gr.Error(" ".join(refused))
        return self._preview(state)

    def export(self, kind: str) -> Callable[..., list[Any]]:
        """A handler that writes the A4 as pdf, docx or md and returns its download link."""

        @store_errors_in_dutch
        def handler(sid: str | None, request: gr.Request) -> list[Any]:
            state = self.own_session(sid, request)
            if state is None:
                return [None, "Start eerst een sessie."]
            try:
                result = self.service.export(state.id, self.ctx.owner(request), kind)
            except ExportFailed as exc:
                return [None, str(exc)]
            # Served by our own route, to this session's owner only (see ui/access.py).
            return [views.download_anchor(result.path), result.message]

        return handler

    def summary(self, kind: Literal["md", "pdf"]) -> Callable[..., list[Any]]:
        """A handler that writes a summary of the session for the user's coach."""

        @store_errors_in_dutch
        def handler(sid: str | None, request: gr.Request) -> list[Any]:
            state = self.own_session(sid, request)
            if state is None:
                return ["", "Start eerst een sessie."]
            try:
                path = self.service.export_summary(state.id, self.ctx.owner(request), kind)
            except ExportFailed as exc:
                return ["", str(exc)]
            message = "Samenvatting gemaakt: een bestand om zelf aan je coach te geven."
            return [views.download_anchor(path), message]

        return handler

    # The collection ------------------------------------------------------------------------

    @store_errors_in_dutch
    def show_publication(self, sid: str | None, initials: bool, request: gr.Request) -> list[Any]:
        """Exactly what would be stored in the collection, before anything is."""
        owner = self.ctx.owner(request)
        state = self.service.find(sid, owner)
        if state is None or state.step != "concept":
            return ["_Er is nog geen A4 om te delen._", gr.update(choices=[])]
        return [
            self._publication_text(state.id, initials, owner),
            gr.update(choices=self._shared_choices(state.id, owner)),
        ]

    def _publication_text(self, session_id: str, initials: bool, owner: str) -> str:
        try:
            beeld, found = self.service.publication_preview(session_id, initials, owner)
        except NotReady as exc:
            return f"_{escape(str(exc))}_"
        return views.publication_preview(beeld, found, initials)

    def _shared_choices(self, session_id: str, owner: str) -> list[tuple[str, str]]:
        return [(b.titel, b.id) for b in self.service.published(session_id, owner)]

    @store_errors_in_dutch
    def publish(
        self, sid: str | None, initials: bool, given: bool, shown: str, request: gr.Request
    ) -> list[Any]:
        """Share the A4 into the collection, only with the consent box ticked and only as the
        preview showed it (a changed A4 gets a new preview and is not shared yet)."""
        owner = self.ctx.owner(request)
        state = self.service.find(sid, owner)
        if state is None or state.step != "concept":
            return ["Maak eerst het A4 af.", gr.update(), False, gr.update()]
        preview = self._publication_text(state.id, initials, owner)
        try:
            if given is not True:
                raise ConsentRequired()
            # The page's Markdown gives its text back as inspect.cleandoc left it.
            if inspect.cleandoc(preview) != inspect.cleandoc(shown or ""):
                raise PreviewOutdated()
            stored = self.service.publish(
                state.id, consent=given, use_initials=initials, owner=owner
            )
        except ConsentRequired as exc:
            return [str(exc) + " Vink eerst de toestemming aan.", gr.update(), False, preview]
        except NotReady as exc:
            return [str(exc), gr.update(), given, preview]
        except ValueError as exc:  # PreviewOutdated too: nothing was stored
            return [str(exc), gr.update(), given, preview]
        return [
            f"Gedeeld in de collectie: “{escape(stored.titel)}”.",
            gr.update(choices=self._shared_choices(state.id, owner), value=stored.id),
            False,
            gr.update(),
        ]

    @store_errors_in_dutch
    def unpublish(self, sid: str | None, beeld_id: str | None, request: gr.Request) -> list[Any]:
        """Take a shared beeld out of the collection."""
        owner = self.ctx.owner(request)
        state = self.service.find(sid, owner)
        if state is None or not beeld_id:
            return ["Kies eerst een gedeeld beeld.", gr.update()]
        if not self.service.unpublish(state.id, beeld_id, owner):
            return ["Dit beeld hoort niet bij deze sessie.", gr.update()]
        choices = self._shared_choices(state.id, owner)
        return ["Verwijderd uit de collectie.", gr.update(choices=choices, value=None)]


def _failure(error: BaseException) -> str:
    if isinstance(error, StoreError):  # a Dutch message for the user
        return f"{error} Je tekst staat nog in het veld."
    return f"Er ging iets mis ({type(error).__name__}); je tekst staat nog in het veld."
