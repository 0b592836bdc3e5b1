"""Uploads bounded per client address and over everyone: files and bytes within a window.

Gradio's `POST /gradio_api/upload` keeps every file it is sent in its cache until the sweep
(see `ui/app.py`), and it needs no session: forty files of 4.9 MB were taken in under a second.
This middleware sits in front of it. An upload must say its size (Content-Length), may hold a
few files of at most the image limit together, and is counted per client address and over all
clients within a window as long as an upload may stay in the cache, so what uploads can hold on
disk (and in this middleware's buffer) stays within the total limits. Past a limit the answer
is 429 with a Dutch message. Behind a reverse proxy every client has the proxy's address: then
the per-client limits are shared, as the login throttle's are, unless login is on: then each
logged-in user has their own, and an upload without a login is refused before it counts.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.text import minutes_nl
from assistant.ui.access import request_login

UPLOAD_PATHS = ("/gradio_api/upload", "/gradio_api/upload/")
MAX_FILES_PER_UPLOAD = 4
FORM_OVERHEAD = 64_000  # the multipart headers around the files, generously
NO_SIZE = "Geweigerd: een upload moet vooraf zijn grootte melden."
TOO_LARGE = "Geweigerd: deze upload is te groot."
TOO_MANY_FILES = f"Geweigerd: hoogstens {MAX_FILES_PER_UPLOAD} bestanden per keer."
LOG_IN_FIRST = "Log eerst in."


def whose_own(client: str) -> str:
    """'van dit adres' or 'van deze gebruiker', for the refusal."""
    return "van deze gebruiker" if client.startswith("naam:") else "van dit adres"


@dataclass(frozen=True)
class UploadLimits:
    """How many files and bytes one client address, and everyone together, may upload."""

    files_per_client: int
    bytes_per_client: int
    files_total: int
    bytes_total: int
    window_s: float


class UploadLimiter:
    """Counts uploads (time, address, files, bytes) within a sliding window.

    Memory stays bounded: an upload is recorded only when it fits the total limits, and only
    uploads inside the window are kept.
    """

    def __init__(self, limits: UploadLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._recent: deque[tuple[float, str, int, int]] = deque()
        self._guard = threading.Lock()

    def admit(self, address: str, files: int, size: int) -> str | None:
        """Record this upload of a client ('adres:…' or 'naam:…') when it fits every limit;
        otherwise the Dutch refusal."""
        lim = self.limits
        with self._guard:
            now = self._clock()
            while self._recent and self._recent[0][0] <= now - lim.window_s:
                self._recent.popleft()
            mine = [u for u in self._recent if u[1] == address]
            checks = (
                (mine, lim.files_per_client, lim.bytes_per_client, whose_own(address)),
                (list(self._recent), lim.files_total, lim.bytes_total, "op dit moment"),
            )
            for uploads, most_files, most_bytes, whose in checks:
                over_files = sum(u[2] for u in uploads) + files > most_files
                over_bytes = sum(u[3] for u in uploads) + size > most_bytes
                if over_files or over_bytes:
                    wait = uploads[0][0] + lim.window_s - now if uploads else lim.window_s
                    return f"Te veel uploads {whose}. Probeer het over {minutes_nl(wait)} opnieuw."
            self._recent.append((now, address, files, size))
            return None


class UploadGuard:
    """ASGI middleware in front of Gradio's upload route, using an `UploadLimiter`."""

    def __init__(self, app: ASGIApp, limiter: UploadLimiter, max_file_bytes: int) -> None:
        self.app = app
        self.limiter = limiter
        self.max_upload_bytes = MAX_FILES_PER_UPLOAD * max_file_bytes + FORM_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (
            scope["type"] == "http"
            and scope.get("method") == "POST"
            and scope.get("path") in UPLOAD_PATHS
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            size = int(headers.get("content-length", ""))
        except ValueError:
            await PlainTextResponse(NO_SIZE, status_code=411)(scope, receive, send)
            return
        if size > self.max_upload_bytes:
            await PlainTextResponse(TOO_LARGE, status_code=413)(scope, receive, send)
            return
        body = await _read(receive, size)
        if body is None:
            await PlainTextResponse(TOO_LARGE, status_code=413)(scope, receive, send)
            return
        files = _file_parts(body, headers.get("content-type", ""))
        if files > MAX_FILES_PER_UPLOAD:
            await PlainTextResponse(TOO_MANY_FILES, status_code=413)(scope, receive, send)
            return
        required, username = request_login(scope)
        if required and username is None:  # Gradio refuses it too; it must not count
            await PlainTextResponse(LOG_IN_FIRST, status_code=401)(scope, receive, send)
            return
        client = scope.get("client") or ("?", 0)
        # A logged-in user has a budget of their own, also behind a proxy's one address.
        who = f"naam:{username}" if username else f"adres:{client[0]}"
        refusal = self.limiter.admit(who, max(files, 1), size)
        if refusal is not None:
            wait = str(math.ceil(self.limiter.limits.window_s))
            response = PlainTextResponse(refusal, status_code=429, headers={"Retry-After": wait})
            await response(scope, receive, send)
            return

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _read(receive: Receive, size: int) -> bytes | None:
    """The whole request body; None when it is longer than it said it was."""
    chunks: list[bytes] = []
    got = 0
    more = True
    while more:
        message = await receive()
        chunk = message.get("body", b"")
        got += len(chunk)
        if got > size:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _file_parts(body: bytes, content_type: str) -> int:
    """How many parts of a multipart body are files."""
    _, found, boundary = content_type.partition("boundary=")
    if not found:
        return 0
    marker = b"--" + boundary.split(";")[0].strip().strip('"').encode("latin-1")
    parts = body.split(marker)[1:]
    return sum(b"filename=" in part.split(b"\r\n\r\n", 1)[0] for part in parts)
