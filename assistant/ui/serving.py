"""Serving the page: per-request context, streaming, theme and launch settings."""

from __future__ import annotations

import queue
import signal
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from assistant.domain.session import SessionState
from assistant.service import ReflectionService, UnknownSession
from assistant.settings import Settings
from assistant.teams import TeamError
from assistant.ui import exports, views
from assistant.ui.access import AccessMiddleware, owner_of, personal_key


class PageContext:
    """What the handlers share: the service, settings and derived paths (no user state)."""

    def __init__(self, service: ReflectionService, settings: Settings) -> None:
        self.service = service
        self.settings = settings
        corpus = self.corpus = service.facilitator.library.corpus
        self.situations = {s.id: (s.titel, s.beschrijving) for s in corpus.situaties}
        self.virtues = service.facilitator.library.virtues()

    def owner(self, request: gr.Request | None) -> str:
        """The login name; without login the key of this browser or API client."""
        if request is None:
            return owner_of({}, None)
        cookies = getattr(request, "cookies", None) or {}
        return owner_of(dict(cookies), getattr(request, "username", None))

    def state(self, session_id: str | None, request: gr.Request | None) -> SessionState | None:
        """The session's state if it exists and belongs to this user."""
        if not session_id or not self.service.owns(session_id, self.owner(request)):
            return None
        try:
            return self.service.state(session_id)
        except UnknownSession:
            return None

    def image_path(self, state: SessionState | None) -> Path | None:
        if state is None or not state.image:
            return None
        return exports.upload_dir(self.settings.data_dir, state.id) / state.image

    def session_choices(self, request: gr.Request | None) -> list[tuple[str, str]]:
        return [
            (f"{s.label} ({s.updated[:16].replace('T', ' ')})", s.id)
            for s in self.service.list_sessions(self.owner(request))
        ]


def may_fetch(service: ReflectionService, key: str, owner: str) -> bool:
    """May `owner` download the files of `key` (a session, a team or their own key)?"""
    if key.startswith("team-"):
        try:
            return service.teams is not None and bool(service.teams.team_for(key[5:], owner))
        except TeamError:
            return False
    if key.startswith("eigen-"):
        return key == personal_key(owner)
    return service.owns(key, owner)


def stream_reply(
    work: Callable[[Callable[[str], None]], Any], outcome: dict[str, Any]
) -> Iterator[str]:
    """Run `work(sink)` in a thread; yield the text streamed to `sink` so far as it grows.

    The result lands in `outcome["events"]`, an exception in `outcome["error"]`.
    """
    tokens: queue.Queue[str | None] = queue.Queue()

    def run() -> None:
        try:
            outcome["events"] = work(tokens.put)
        except Exception as exc:  # noqa: BLE001 - reported to the page, never lost
            outcome["error"] = exc
        finally:
            tokens.put(None)

    threading.Thread(target=run, daemon=True).start()
    streamed = ""
    while (token := tokens.get()) is not None:
        streamed += token
        yield streamed


def theme() -> gr.themes.Base:
    """A theme with system fonts only: the page makes no request to any outside host."""
    return gr.themes.Soft(
        primary_hue="green",
        font=["system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"],
    )


BUSY_MESSAGE = (
    "Het is nu te druk: je verzoek kon niet in de wachtrij. Probeer het over een minuut opnieuw."
)


async def busy_in_dutch(request: Request, exc: HTTPException) -> Response:
    """Gradio's full queue (HTTP 503, "Queue is full") with a Dutch message; others as usual.

    Raw HTTP callers see this message; gradio_client and the page's own script replace any
    503 by a fixed English text of their own.
    """
    if exc.status_code == 503:
        return JSONResponse(
            {"detail": BUSY_MESSAGE}, status_code=503, headers={"Retry-After": "60"}
        )
    return await http_exception_handler(request, exc)


def launch(
    page: gr.Blocks, settings: Settings, service: ReflectionService, block: bool = True
) -> Any:
    """Serve the page on the configured local address, never with a share link."""
    server = settings.server
    auth = server.logins() or None
    access = Middleware(
        AccessMiddleware,
        owns=partial(may_fetch, service),
        export_dir=lambda session_id: exports.export_dir(settings.data_dir, session_id),
    )
    page.queue(default_concurrency_limit=server.concurrency, max_size=server.queue_size)
    served = page.launch(
        server_name=server.host,
        server_port=server.port,
        share=False,
        auth=auth,
        auth_message="Log in om goedwerk te gebruiken." if auth else None,
        prevent_thread_lock=True,
        show_error=False,
        theme=theme(),
        css=views.PAGE_CSS,
        blocked_paths=[str(settings.data_dir)],
        max_file_size=int(server.max_image_mb * 1_000_000),
        footer_links=[],
        quiet=True,
        # Private by default: no request statistics page, no copy of the user's answers in the
        # browser's run history, no FastAPI schema; a full queue answers in Dutch.
        enable_monitoring=False,
        run_history=False,
        app_kwargs={
            "openapi_url": None,
            "exception_handlers": {HTTPException: busy_in_dutch},
            "middleware": [access],
        },
    )
    if block:
        serve_until_stopped(page)
    return served


def serve_until_stopped(page: gr.Blocks) -> None:
    """Block until Ctrl-C or SIGTERM, then close the page properly.

    Gradio's own blocking loop stops only the HTTP server, which then gives up waiting for
    open connections and skips the shutdown step that deletes the files Gradio handed out
    (exports). `page.close()` ends those connections first, so the cleanup runs.
    """
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while page.is_running and not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        page.close()
