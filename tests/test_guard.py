"""Only the page's own origin may call the app, and the app never fetches an outside URL.

A page on another local port tries, in a real Chromium, what the probe did: read the API with
the user's cookies, join the queue, upload. The file route is handed URLs of a listener on
loopback that records every connection: none may arrive.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.settings import Settings
from assistant.ui.guard import FOREIGN_ORIGIN, NO_OUTSIDE_URLS, fetches_outside, origin_of

from .conftest import make_settings
from .inprocess import served_page
from .server import free_port, running_server
from .test_browser import ARGS, CHROMIUM

ATTACK_PAGE = """<!doctype html><meta charset="utf-8"><title>elders</title><script>
window.results = {};
async function probe(name, path, options) {
  try {
    const r = await fetch(APP + path, {credentials: "include", ...options});
    window.results[name] = r.status;
  } catch (e) { window.results[name] = "geblokkeerd"; }
}
const form = new FormData();
form.append("files", new Blob(["KWALLENDANS"], {type: "text/plain"}), "a.txt");
Promise.all([
  probe("info", "/gradio_api/info"),
  probe("join", "/gradio_api/queue/join", {method: "POST", body: "{}",
        headers: {"Content-Type": "application/json"}}),
  probe("upload", "/gradio_api/upload", {method: "POST", body: form}),
  probe("bestand", "/bestand/x/a.pdf"),
]).then(() => { window.done = true; });
</script>"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("guard") / "data") as url:
        yield url


@pytest.fixture
def foreign_page(tmp_path: Path, app_url: str) -> Iterator[str]:
    """A page served from another port on 127.0.0.1 that probes the app."""
    (tmp_path / "index.html").write_text(ATTACK_PAGE.replace("APP", repr(app_url)))
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    httpd.shutdown()


def test_a_page_on_another_port_cannot_read_or_drive_the_app_in_chromium(
    app_url: str, foreign_page: str
) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium ontbreekt: installeer het Debian-pakket chromium (zie Makefile).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        own = context.new_page()
        own.goto(app_url)  # the user's browser has the app's device cookie
        own.wait_for_selector("#nieuwe-sessie")
        own.click("#nieuwe-sessie")
        own.wait_for_selector("#gesprek .message-row")
        assert own.evaluate("fetch('/gradio_api/info').then(r => r.status)") == 200

        other = context.new_page()
        other.goto(foreign_page)
        other.wait_for_function("window.done === true", timeout=30_000)
        results = other.evaluate("window.results")
        browser.close()
    assert set(results) == {"info", "join", "upload", "bestand"}
    assert all(status in (403, "geblokkeerd") for status in results.values()), results


@pytest.fixture
def served(settings: Settings) -> Iterator[str]:
    extra = settings.server.model_copy(
        update={"allowed_origins": ["https://reflectie.example.org"]}
    )
    with served_page(settings.model_copy(update={"server": extra})) as page:
        yield page.url


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://127.0.0.1:9"},
        {"Origin": "http://localhost:7860"},
        {"Origin": "null"},
        {"Referer": "http://127.0.0.1:9/aanval.html"},
        {"Origin": "https://reflectie.example.org.evil.test"},
    ],
)
def test_api_calls_uploads_and_downloads_from_another_origin_are_refused_in_dutch(
    served: str, headers: dict[str, str]
) -> None:
    for method, path in [
        ("GET", "/gradio_api/info"),
        ("POST", "/gradio_api/queue/join"),
        ("POST", "/gradio_api/upload"),
        ("GET", "/bestand/x/a.pdf"),
    ]:
        response = httpx.request(method, served + path, headers=headers, timeout=30)
        assert response.status_code == 403, (method, path)
        assert response.text == FOREIGN_ORIGIN


def test_the_own_origin_an_allowed_proxy_and_plain_api_clients_pass(served: str) -> None:
    port = served.rsplit(":", 1)[1]
    for headers in [
        {"Origin": f"http://127.0.0.1:{port}"},
        {"Referer": f"http://127.0.0.1:{port}/"},
        {"Origin": "https://reflectie.example.org"},
        {},
    ]:
        assert httpx.get(served + "/gradio_api/info", headers=headers).status_code == 200


class Listener:
    """A loopback TCP listener that counts the connections it receives."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


def test_the_file_and_proxy_routes_never_connect_to_a_url_they_are_handed(
    tmp_path: Path,
) -> None:
    listener = Listener()
    target = f"http://127.0.0.1:{listener.port}/geheim"
    try:
        with served_page(make_settings(tmp_path / "data")) as page:
            for path in [
                f"/gradio_api/file={target}",
                f"/gradio_api/file={target.replace('://', '%3A%2F%2F')}",
                f"/gradio_api/file=HTTPS://127.0.0.1:{listener.port}/",
                f"/gradio_api/proxy={target}",
                f"/file={target}",
                "/gradio_api/file=http://1.1.1.1/",
            ]:
                response = httpx.get(page.url + path, timeout=30)
                assert response.status_code == 403, path
                assert response.text == NO_OUTSIDE_URLS
        assert listener.connections == 0
    finally:
        listener.close()


def test_what_counts_as_an_outside_fetch_and_as_an_origin() -> None:
    assert fetches_outside("/gradio_api/file=http://1.1.1.1/")
    assert fetches_outside("/gradio_api/file=http%3A//1.1.1.1/")
    assert fetches_outside("/gradio_api/proxy=anything")
    assert not fetches_outside("/gradio_api/file=/tmp/gradio/abc/beeld.png")
    assert origin_of("HTTP://127.0.0.1:7860/pagina?x=1") == "http://127.0.0.1:7860"
    assert origin_of("null") is None
