"""Who is asking, and files only for their owner.

Without login each browser (and each API client) gets its own random key in an HttpOnly
cookie; its sessions belong to that key, so two people on one server never see each other's
list. With login the owner is the login name. Exports are served by our own route, which
checks the owner on every request: a URL handed to someone else gives them nothing.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import secrets
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEVICE_COOKIE = "goedwerk_apparaat"
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
DOWNLOAD_PREFIX = "/bestand/"
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DEVICE_KEY = re.compile(r"[A-Za-z0-9_-]{32,64}")
MAX_EXPORT_BYTES = 100_000_000  # far above any A4, guide or summary: a file over it is no export


def device_owner(key: str) -> str:
    """The owner name for a browser key; the key itself (a secret) is never stored."""
    return "apparaat:" + hashlib.sha256(key.encode()).hexdigest()[:32]


def owner_of(cookies: Mapping[str, Any], username: str | None) -> str:
    """The login name; without login the browser's key, or a one-off owner without one."""
    if username:
        return username
    key = cookies.get(DEVICE_COOKIE)
    if isinstance(key, str) and _DEVICE_KEY.fullmatch(key):
        return device_owner(key)
    # No valid key: an owner nobody else has and that owns nothing.
    return device_owner(secrets.token_urlsafe(24))


def download_link(path: Path) -> str:
    """The page-relative URL of an export; its folder's name is the key it belongs to."""
    return f"{DOWNLOAD_PREFIX.lstrip('/')}{path.parent.name}/{quote(path.name)}"


def _cookies(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            found.update(cookie_parser(value.decode("latin-1")))
    return found


def _login_name(scope: Scope, cookies: Mapping[str, str]) -> str | None:
    """The logged-in user, as Gradio's own login check finds it (None without login)."""
    app = scope.get("app")
    tokens = getattr(app, "tokens", None)
    cookie_id = getattr(app, "cookie_id", None)
    if not tokens or cookie_id is None:
        return None
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(
        f"access-token-unsecure-{cookie_id}"
    )
    name = tokens.get(token) if token else None
    return name if isinstance(name, str) else None


def request_login(scope: Scope) -> tuple[bool, str | None]:
    """Does the app need a login, and who (if anyone) is logged in on this request?"""
    return _login_required(scope), _login_name(scope, _cookies(scope))


def _login_required(scope: Scope) -> bool:
    app = scope.get("app")
    return getattr(app, "auth", None) is not None


class AccessMiddleware:
    """Gives every client a device key and serves `/bestand/<key>/<file>` to its owner.

    A key is a session id, a team key or a personal key; `owns(key, owner)` and
    `export_dir(key)` come from the composition root.
    """

    def __init__(
        self,
        app: ASGIApp,
        owns: Callable[[str, str], bool],
        export_dir: Callable[[str], Path],
    ) -> None:
        self.app = app
        self.owns = owns
        self.export_dir = export_dir

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        new_key = None
        if not _DEVICE_KEY.fullmatch(cookies.get(DEVICE_COOKIE, "")):
            new_key = secrets.token_urlsafe(32)
            cookies[DEVICE_COOKIE] = new_key
            scope = dict(scope)
            headers = [(k, v) for k, v in scope["headers"] if k != b"cookie"]
            jar = "; ".join(f"{name}={value}" for name, value in cookies.items())
            scope["headers"] = [*headers, (b"cookie", jar.encode("latin-1"))]

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and new_key is not None:
                headers = MutableHeaders(scope=message)
                headers.append(
                    "set-cookie",
                    f"{DEVICE_COOKIE}={new_key}; Path=/; Max-Age={DEVICE_COOKIE_MAX_AGE}; "
                    "HttpOnly; SameSite=Lax",
                )
            await send(message)

        path = scope.get("path", "")
        if path.startswith(DOWNLOAD_PREFIX) and scope.get("method") in ("GET", "HEAD"):
            response = self._download(scope, cookies, path[len(DOWNLOAD_PREFIX) :])
            await response(scope, receive, send_with_cookie)
            return
        await self.app(scope, receive, send_with_cookie)

    def _download(self, scope: Scope, cookies: Mapping[str, str], rest: str) -> Any:
        """The export if this client owns its session; otherwise the same 404 for all cases."""
        not_found = PlainTextResponse("Niet gevonden.", status_code=404)
        username = _login_name(scope, cookies)
        if _login_required(scope) and username is None:
            return PlainTextResponse("Log eerst in.", status_code=401)
        session_id, _, name = rest.partition("/")
        if not _SESSION_ID.fullmatch(session_id) or not name or "/" in name:
            return not_found
        if not self.owns(session_id, owner_of(cookies, username)):
            return not_found
        data = _read_export(self.export_dir(session_id), name)
        if data is None:
            return not_found
        return Response(
            data,
            media_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            headers={
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
                # Export names are plain ASCII (export_filename); quoted all the same.
                "Content-Disposition": f'attachment; filename="{quote(name)}"',
            },
        )


def _read_export(directory: Path, name: str) -> bytes | None:
    """A finished export in `directory`, read without following any link; None otherwise.

    The name must be one of the folder's own entries (no path is ever built from it); the
    folder is opened as itself (not a link) and the file inside it with O_NOFOLLOW, so a link
    planted in an export folder, or one in place of the folder, leads nowhere. An empty file is
    an export still being written (or one a crash cut off) and is never served.
    """
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        folder = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | nofollow)
    except OSError:
        return None
    try:
        if name.startswith(".") or name not in os.listdir(folder):
            return None
        fd = os.open(name, os.O_RDONLY | nofollow | os.O_NONBLOCK, dir_fd=folder)
    except OSError:
        return None
    finally:
        os.close(folder)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= MAX_EXPORT_BYTES:
            return None
        return handle.read()
