"""Serving the page: per-request context, streaming, theme and launch settings."""

from __future__ import annotations

import queue
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from assistant.service import ReflectionService
from assistant.settings import Settings
from assistant.ui import views
from assistant.ui.access import AccessMiddleware, owner_of
from assistant.ui.guard import OriginGuard
from assistant.ui.login_guard import LoginGuard, LoginThrottle
from assistant.ui.page_head import DutchPageMiddleware, head
from assistant.ui.unicode_guard import UnicodeGuard
from assistant.ui.upload_guard import UploadGuard, UploadLimiter, UploadLimits

# An uploaded image is copied into the data dir and its upload removed at once; Gradio's cache
# sweep (every CACHE_SWEEP_S, files older than UPLOAD_LIFETIME_S) catches any left behind by an
# upload whose handler never ran. The upload limits count over the longest an upload may stay.
CACHE_SWEEP_S = 60
UPLOAD_LIFETIME_S = 300
UPLOAD_WINDOW_S = float(CACHE_SWEEP_S + UPLOAD_LIFETIME_S)


class PageContext:
    """What the handlers share: the service, settings and what the page lists (no user state)."""

    def __init__(self, service: ReflectionService, settings: Settings) -> None:
        self.service = service
        self.settings = settings
        self.situations = service.situations()
        self.virtues = service.virtues()

    def owner(self, request: gr.Request | None) -> str:
        """The login name; without login the key of this browser or API client."""
        if request is None:
            return owner_of({}, None)
        cookies = getattr(request, "cookies", None) or {}
        return owner_of(dict(cookies), getattr(request, "username", None))

    def address(self, request: gr.Request | None) -> str:
        """The client's address (the proxy's behind a reverse proxy); empty when unknown."""
        client = getattr(request, "client", None)
        return str(getattr(client, "host", "") or "")

    def session_choices(self, request: gr.Request | None) -> list[tuple[str, str]]:
        """The owner's sessions for the list: label and last change."""
        return [
            (f"{s.label} ({s.updated[:16].replace('T', ' ')})", s.id)
            for s in self.service.list_sessions(self.owner(request))
        ]


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


# Green as in the booklet, dark enough for text on white and on its own light tint (WCAG AA,
# 4.5:1): Gradio's green-500 on green-100 is about 2:1.
GREEN = gr.themes.Color(
    c50="#f0fdf4", c100="#dcfce7", c200="#bbf7d0", c300="#86efac", c400="#15803d",
    c500="#166534", c600="#14532d", c700="#14532d", c800="#052e16", c900="#052e16",
    c950="#022c22", name="goedwerk-groen",
)  # fmt: skip


def theme() -> gr.themes.Base:
    """A theme with system fonts only (the page makes no request to any outside host) and
    colours that keep text readable."""
    return gr.themes.Soft(
        primary_hue=GREEN,
        neutral_hue="gray",
        font=["system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"],
    ).set(
        body_text_color_subdued="*neutral_600",
        block_info_text_color="*neutral_600",
        input_placeholder_color="*neutral_500",
        button_primary_text_color="white",
        checkbox_label_text_color_selected="white",
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


def upload_limits(settings: Settings) -> UploadLimits:
    """The upload limits from the settings, over the time an upload may stay in the cache."""
    server = settings.server
    return UploadLimits(
        files_per_client=server.uploads_per_client,
        bytes_per_client=int(server.upload_mb_per_client * 1_000_000),
        files_total=server.uploads_total,
        bytes_total=int(server.upload_mb_total * 1_000_000),
        window_s=UPLOAD_WINDOW_S,
    )


def launch(
    page: gr.Blocks, settings: Settings, service: ReflectionService, block: bool = True
) -> Any:
    """Serve the page on the configured local address, never with a share link."""
    server = settings.server
    auth = server.logins() or None
    access = Middleware(
        AccessMiddleware,
        owns=service.may_fetch,
        export_dir=service.export_dir,
    )
    # Listed first, so it runs first: a refused request never reaches the owner checks.
    guard = Middleware(OriginGuard, allowed_origins=server.allowed_origins)
    throttle = LoginThrottle(
        server.login_attempts, server.login_attempts_per_address, server.login_lock_s
    )
    login = Middleware(LoginGuard, throttle=throttle)
    uploads = Middleware(
        UploadGuard,
        limiter=UploadLimiter(upload_limits(settings)),
        max_file_bytes=int(server.max_image_mb * 1_000_000),
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
        head=head(),
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
            "middleware": [
                guard,
                login,
                uploads,
                access,
                Middleware(UnicodeGuard),
                Middleware(DutchPageMiddleware),
            ],  # fmt: skip
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
