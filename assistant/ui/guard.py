"""Requests only from the page's own origin, and no fetching of outside URLs.

Browsers send cookies to every port of 127.0.0.1 (SameSite=Lax treats other ports as the same
site), and Gradio's CORS lets localhost origins through with credentials. So a page served on
any other local port could drive a user's sessions. Every API call, upload and download whose
Origin (or, without one, Referer) is not the app's own is refused; a reverse proxy adds its
public origin in `server.allowed_origins`. Clients that send neither header (gradio_client,
curl) are not browsers carrying someone else's cookies, and pass.

Gradio's file route also fetches any http(s) URL it is handed (`/gradio_api/file=http://…`),
and its `/proxy=` route forwards to other hosts; goedwerk uses neither, so both are closed:
nothing leaves the machine on a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

GUARDED_PREFIXES = ("/gradio_api/", "/bestand/")
FOREIGN_ORIGIN = "Geweigerd: dit verzoek komt niet van de pagina van goedwerk zelf."
NO_OUTSIDE_URLS = "Geweigerd: goedwerk haalt niets op van andere adressen."
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, lower-cased; None when it has none."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def fetches_outside(path: str) -> bool:
    """Would Gradio fetch another host for this path (an http(s) `file=` or any `proxy=`)?"""
    for marker in ("/file=", "/proxy="):
        _, found, rest = unquote(path).partition(marker)
        if not found:
            continue
        if marker == "/proxy=" or rest.lower().lstrip("/").startswith(("http:", "https:")):
            return True
        if "://" in rest:
            return True
    return False


class OriginGuard:
    """Refuses foreign-origin API calls, uploads and downloads, and outside-URL fetches."""

    def __init__(self, app: ASGIApp, allowed_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = {o for o in (origin_of(a) for a in allowed_origins) if o}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if fetches_outside(path) or fetches_outside(scope.get("raw_path", b"").decode("latin-1")):
            await self._refuse(scope, receive, send, 403, NO_OUTSIDE_URLS)
            return
        guarded = path.startswith(GUARDED_PREFIXES) or (
            scope["type"] == "http" and scope.get("method") not in _SAFE_METHODS
        )
        if guarded and not self._own_origin(scope):
            await self._refuse(scope, receive, send, 403, FOREIGN_ORIGIN)
            return
        await self.app(scope, receive, send)

    def _own_origin(self, scope: Scope) -> bool:
        """Is the request's Origin (or Referer) this app's own, or an allowed one?"""
        headers = Headers(scope=scope)
        claimed = headers.get("origin")
        if claimed is None:
            referer = headers.get("referer")
            if referer is None:
                return True  # not a browser page: no one else's cookies ride along
            claimed = referer
        origin = origin_of(claimed)  # "null" (sandboxed frames, file://) has none: refused
        if origin is None:
            return False
        scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", ""), scope.get("scheme"))
        own = origin_of(f"{scheme}://{headers.get('host', '')}")
        return origin == own or origin in self.allowed

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, status: int, message: str
    ) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await PlainTextResponse(message, status_code=status)(scope, receive, send)
