"""With login on, every route of the server refuses callers without credentials, except the few
the login page needs and a few of Gradio's that act only on an id the caller must already hold.

The routes are read from the served FastAPI app itself, so a route that a Gradio upgrade adds
is checked too: unless it is listed below with its reason, it has to refuse.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx
from gradio_client import Client
from starlette.routing import Mount

from .conftest import make_settings
from .downloads import export_url
from .inprocess import served_page

LOGIN = ("coach", "geheim-42")

# Open: the login page and what it loads (no data of any session).
LOGIN_PAGE = {
    "/": "the page shell, which shows the login form",
    "/login": "where the login form posts",
    "/login/": "where the login form posts",
    "/logout": "clears the login cookie",
    "/assets/{path:path}": "the page's scripts and styles",
    "/static/{path:path}": "Gradio's images and fonts",
    "/svelte/{path:path}": "the page's scripts",
    "/favicon.ico": "icon",
    "/theme.css": "theme",
    "/gradio_api/theme.css": "theme",
    "/robots.txt": "robots",
    "/manifest.json": "app name and icons",
    "/pwa_icon": "icon",
    "/pwa_icon/{size}": "icon",
    "/gradio_api/user": "who is logged in: null",
    "/gradio_api/user/": "who is logged in: null",
    "/gradio_api/token": "the caller's own cookie: null",
    "/gradio_api/token/": "the caller's own cookie: null",
    "/gradio_api/app_id": "a random number per server start (a key for browser storage)",
    "/gradio_api/app_id/": "a random number per server start (a key for browser storage)",
    "/gradio_api/startup-events": "runs the start-up events once; they ran at launch",
    "/gradio_api/custom_component/{id}/{environment}/{type}/{file_name}": "none here: 404",
}
# Open in Gradio 6.31 without a login check, but they act only on an id that Gradio hands to
# the caller's own client (an event id or session hash, random): a made-up id does nothing.
NEEDS_AN_ID = {
    "/gradio_api/heartbeat/{session_hash}": "keeps a session alive; streams 'ALIVE' only",
    "/gradio_api/cancel": "cancels the caller's own event",
    "/gradio_api/reset": "no-op",
    "/gradio_api/reset/": "no-op",
    "/gradio_api/stream/{event_id}": "input of a streaming event (none here)",
    "/gradio_api/stream/{event_id}/close": "closes a streaming event",
    "/gradio_api/stream/{session_hash}/{run}/{component_id}/playlist.m3u8": "media stream",
    "/gradio_api/stream/{session_hash}/{run}/{component_id}/{segment_id}.{ext}": "media stream",
    "/gradio_api/stream/{session_hash}/{run}/{component_id}/playlist-file": "media stream",
}
# Features the page switches off: they answer 403 or 404 to everybody.
TURNED_OFF = {
    "/monitoring/{key}": "enable_monitoring=False",
    "/gradio_api/runs": "run_history=False",
    "/gradio_api/runs/": "run_history=False",
    "/gradio_api/vibe-edit": "vibe editor off",
    "/gradio_api/vibe-edit/": "vibe editor off",
    "/gradio_api/undo-vibe-edit": "vibe editor off",
    "/gradio_api/undo-vibe-edit/": "vibe editor off",
    "/gradio_api/vibe-code": "vibe editor off",
    "/gradio_api/vibe-code/": "vibe editor off",
    "/gradio_api/vibe-starter-queries": "vibe editor off",
    "/gradio_api/vibe-starter-queries/": "vibe editor off",
}
PARAMETERS = {"size": "192", "component_id": "1", "environment": "client", "ext": "ts"}
# One body that every POST route accepts, so that a refusal is never a mere 422.
BODY = {
    "data": [],
    "fn_index": 0,
    "session_hash": "x" * 10,
    "event_id": uuid.uuid4().hex,
    "prompt": "x",
    "hash": "x",
    "code": "x",
}


def routes(entries: Iterable[object], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(path, method) of every route, into included routers and mounts."""
    for route in entries:
        included = getattr(route, "original_router", None)
        if included is not None:  # FastAPI's lazily included router
            yield from routes(included.routes, prefix + route.include_context.prefix)  # type: ignore[attr-defined]
        elif isinstance(route, Mount):
            yield prefix + route.path, "GET"
            yield from routes(route.routes, prefix + route.path)
        else:
            for method in sorted(getattr(route, "methods", None) or {"GET"}):
                yield prefix + route.path, method  # type: ignore[attr-defined]


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: PARAMETERS.get(m.group(1), "x" + m.group(1)), path)


def call(client: httpx.Client, method: str, url: str) -> tuple[int, str, bytes]:
    """Status, redirect target and at most the first 64 KiB (the heartbeat never ends)."""
    body = BODY if method == "POST" else None
    with client.stream(method, url, json=body) as response:
        content = b""
        for chunk in response.iter_raw():
            content += chunk
            if len(content) > 65_536 or "heartbeat" in url:
                break
        return response.status_code, response.headers.get("location", ""), content


def test_with_login_on_every_route_but_the_login_page_refuses_calls_without_credentials(
    tmp_path: Path,
) -> None:
    settings = make_settings(
        tmp_path / "data", server={"auth_user": LOGIN[0], "auth_password": LOGIN[1]}
    )
    marker = f"MARKER-{uuid.uuid4().hex[:12]}"
    with served_page(settings) as served:
        session_id, _ = served.service.start(owner=LOGIN[0])
        served.service.send(
            session_id, f"Mijn directie steunt het idee niet ({marker}).", owner=LOGIN[0]
        )
        user = Client(served.url, auth=LOGIN, verbose=False, download_files=False)
        user.predict("ik", "achteraf", api_name="/nieuwe_sessie")
        user.predict(
            f"De gemeenten doen wel mee, zei ik in het MT ({marker}).", api_name="/antwoord"
        )
        user.predict("", api_name="/concept")
        anchor, _ = user.predict(api_name="/export_pdf")
        exported = export_url(served.url, anchor)

        found = sorted(set(routes(served.page.app.routes)))
        paths = {path for path, _ in found}
        assert {"/config", "/gradio_api/queue/join", "/gradio_api/file={path_or_url:path}"} <= paths
        assert "/openapi.json" not in paths  # no schema of the app without login

        refused, answered = [], {}
        with httpx.Client(base_url=served.url, timeout=10, follow_redirects=False) as anonymous:
            for path, method in found:
                status, location, content = call(anonymous, method, concrete(path))
                assert marker.encode() not in content, (method, path)
                assert status < 500, (method, path, status)
                if path in LOGIN_PAGE or path in NEEDS_AN_ID:
                    answered[(method, path)] = status
                elif path in TURNED_OFF:
                    assert status in (403, 404), (method, path, status)
                else:
                    assert status in (401, 403) or "login" in location, (method, path, status)
                    refused.append(path)
            status, _, content = call(anonymous, "GET", exported)
            assert status == 401 and not content.startswith(b"%PDF")
            _, _, content = call(anonymous, "GET", "/gradio_api/heartbeat/" + "x" * 10)
            assert content.strip() == b"data: ALIVE"

            login = anonymous.post("/login", data={"username": LOGIN[0], "password": LOGIN[1]})
            assert login.status_code == 200
            assert anonymous.get("/config").status_code == 200
            assert anonymous.get(exported).content.startswith(b"%PDF")
    assert len(refused) >= 30, refused
