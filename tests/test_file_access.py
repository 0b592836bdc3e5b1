"""Files of a session reach only its own client: exports are handed out under an unguessable,
short-lived URL, nothing in the data dir is ever served, and the file route refuses traversal.

Gradio 6 serves any file in its cache to whoever asks for its URL (the file route knows no
sessions), so what is tested here is what keeps that URL from anyone else: a 128-bit random
directory and Gradio's cache sweep.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpcore
import httpx
import pytest
from gradio.route_utils import delete_files_created_by_app
from gradio.utils import get_upload_folder
from gradio_client import Client, handle_file
from PIL import Image

from assistant.facilitator.state import SessionState
from assistant.sessions.store import SessionStore
from assistant.ui.app import CACHE_SWEEP_S, DOWNLOAD_LIFETIME_S

from .conftest import make_settings
from .inprocess import served_page
from .server import running_server

SITUATIONS, SESSIONS, STATUS = 1, 10, 12
SECRETS = (b"SQLite format 3", b"root:x:0:0", b"%PDF", b"\x89PNG")


@dataclass
class Server:
    url: str
    data_dir: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("files") / "data"
    with running_server(data_dir) as url:
        yield Server(url, data_dir.resolve())


def play_to_draft(client: Client) -> str:
    """A short session up to the A4, with a story the A4 keeps; returns the session id."""
    started = client.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    result = client.predict(
        "Mijn eigen directie steunt het idee niet, de gemeenten buiten wel.", api_name="/antwoord"
    )
    client.predict(result[SITUATIONS]["choices"][0][0], "", api_name="/kies_situatie")
    client.predict(
        "Toen ik vorige week in het MT met Ahmed sprak, zei ik dat de gemeenten al meedoen. "
        "Ik heb daarna zelf een notitie van twee pagina's geschreven.",
        api_name="/antwoord",
    )
    client.predict("", api_name="/concept")
    return str(started[SESSIONS]["value"])


def resume_is_refused(client: Client, session_id: str) -> bool:
    """Does /hervat refuse this session (by Gradio's choice check or by the page's owner check)?"""
    try:
        result = client.predict(session_id, api_name="/hervat")
    except Exception:  # noqa: BLE001 - Gradio refuses a value that is not among the choices
        return True
    return "Kies eerst een sessie" in result[STATUS]


def test_a_client_without_the_session_gets_no_export_of_it(server: Server) -> None:
    owner = Client(server.url, verbose=False, download_files=False)
    play_to_draft(owner)
    exported, _ = owner.predict(api_name="/export_pdf")
    assert exported is not None

    other = Client(server.url, verbose=False, download_files=False)
    for kind in ("pdf", "docx", "md"):
        assert other.predict(api_name=f"/export_{kind}") == (None, "Start eerst een sessie.")

    someone_else = SessionState(id=uuid.uuid4().hex, owner="anna")
    SessionStore(server.data_dir / "sessions.sqlite3").create(someone_else)
    other.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    assert resume_is_refused(other, someone_else.id)
    result = other.predict(api_name="/export_pdf")
    assert result[0] is None or someone_else.id not in result[0]


def test_with_two_logins_neither_sees_resumes_nor_exports_the_others_session(
    tmp_path: Path,
) -> None:
    accounts = [("anna", "anna-geheim-1"), ("bert", "bert-geheim-2")]
    with served_page(make_settings(tmp_path / "data"), auth=accounts) as served:
        anna = Client(served.url, auth=accounts[0], verbose=False, download_files=False)
        anna_session = play_to_draft(anna)
        assert served.service.state(anna_session).owner == "anna"
        assert anna.predict(api_name="/export_pdf")[0] is not None

        bert = Client(served.url, auth=accounts[1], verbose=False, download_files=False)
        assert bert.predict(api_name="/export_pdf") == (None, "Start eerst een sessie.")
        result = bert.predict("ik", "achteraf", api_name="/nieuwe_sessie")
        listed = {session_id for _, session_id in result[SESSIONS]["choices"]}
        assert listed == {result[SESSIONS]["value"]}  # bert's new session only
        assert resume_is_refused(bert, anna_session)


def test_an_export_is_served_from_a_random_128_bit_directory_never_from_the_data_dir(
    server: Server,
) -> None:
    client = Client(server.url, verbose=False, download_files=False)
    play_to_draft(client)
    first, _ = client.predict(api_name="/export_pdf")
    second, _ = client.predict(api_name="/export_pdf")  # the same A4 again
    cache = Path(get_upload_folder()).resolve()
    directories = []
    for exported in (first, second):
        path = Path(exported["path"])
        assert path.parent.parent == cache
        assert re.fullmatch(r"[0-9a-f]{32}", path.parent.name)
        assert exported["url"].endswith(f"/gradio_api/file={path}")
        directories.append(path.parent.name)
        assert httpx.get(exported["url"]).content.startswith(b"%PDF")
    assert directories[0] != directories[1]

    for kept in server.data_dir.glob("exports/*/*.pdf"):
        response = httpx.get(f"{server.url}/gradio_api/file={kept}")
        assert response.status_code == 403 and b"%PDF" not in response.content


def test_gradios_cache_sweep_removes_an_export_and_its_url_stops_working(tmp_path: Path) -> None:
    with served_page(make_settings(tmp_path / "data")) as served:
        assert served.page.delete_cache == (CACHE_SWEEP_S, DOWNLOAD_LIFETIME_S)
        client = Client(served.url, verbose=False, download_files=False)
        play_to_draft(client)
        exported, _ = client.predict(api_name="/export_pdf")
        assert httpx.get(exported["url"]).status_code == 200

        delete_files_created_by_app(served.page, age=0)  # what the sweep does after the lifetime

        assert not Path(exported["path"]).exists()
        response = httpx.get(exported["url"])
        assert response.status_code in (403, 404) and b"%PDF" not in response.content


def raw_get(base: str, target: str) -> tuple[int, bytes]:
    """GET with the request target sent byte for byte (httpx itself would resolve `../`)."""
    url = httpx.URL(base)
    response = httpcore.request(
        "GET",
        httpcore.URL(scheme=b"http", host=url.host.encode(), port=url.port, target=target.encode()),
    )
    return response.status, response.content


def test_the_file_route_refuses_traversal_and_every_path_outside_gradios_cache(
    server: Server, tmp_path: Path
) -> None:
    client = Client(server.url, verbose=False, download_files=False)
    session_id = play_to_draft(client)
    client.predict(api_name="/export_pdf")
    picture = tmp_path / "brug.png"
    Image.new("RGB", (40, 30), (40, 120, 60)).save(picture)
    client.predict(handle_file(str(picture)), api_name="/afbeelding")
    data = server.data_dir
    database = data / "sessions.sqlite3"
    (export,) = data.glob(f"exports/{session_id}/*.pdf")
    (upload,) = data.glob(f"uploads/{session_id}/afbeelding.*")
    cache = Path(get_upload_folder()).resolve()
    up_from_cache = "../" * len(cache.parts[1:])
    database_from_cache = f"{cache}/{up_from_cache}{str(database).lstrip('/')}"
    up = "../" * 12

    targets = [
        f"/gradio_api/file={database}",
        f"/gradio_api/file={export}",
        f"/gradio_api/file={upload}",
        "/gradio_api/file=/etc/passwd",
        f"/gradio_api/file={up}etc/passwd",
        f"/gradio_api/file={up.replace('../', '%2e%2e%2f')}etc%2fpasswd",
        f"/gradio_api/file={up.replace('../', '%2E%2E%2F')}etc%2Fpasswd",
        f"/gradio_api/file={up.replace('../', '..%2f')}etc%2fpasswd",
        f"/gradio_api/file={up.replace('../', '%252e%252e%252f')}etc%252fpasswd",
        f"/gradio_api/file={up.replace('../', '..%5c')}etc%5cpasswd",
        f"/gradio_api/file={cache}/{up_from_cache}etc/passwd",
        f"/gradio_api/file={database_from_cache}",
        f"/gradio_api/file={quote(database_from_cache, safe='')}",
        f"/gradio_api/file={cache}/x/{up_from_cache}..{export}",
        "/gradio_api/file=%2fetc%2fpasswd",
        "/gradio_api/file=//etc/passwd",
        "/gradio_api/file=/etc/passwd%00.png",
        f"/gradio_api/file={database}%00",
        f"/gradio_api/file/{up}etc/passwd",
        f"/gradio_api/file/{database}",
        f"/gradio_api/file/{up.replace('../', '%2e%2e%2f')}etc%2fpasswd",
        f"/file={database}",
        "/file=/etc/passwd",
        f"/file={up}etc/passwd",
        f"/gradio_api/file=http://127.0.0.1:{httpx.URL(server.url).port}/gradio_api/file={database}",
    ]
    for target in targets:
        status, body = raw_get(server.url, target)
        assert status in (400, 403, 404), (target, status)
        assert not any(secret in body for secret in SECRETS), target


def test_stopping_the_server_deletes_the_exports_it_handed_out(tmp_path: Path) -> None:
    with running_server(tmp_path / "data") as url:  # stopped with SIGTERM
        client = Client(url, verbose=False, download_files=False)
        play_to_draft(client)
        exported, _ = client.predict(api_name="/export_pdf")
        assert Path(exported["path"]).exists()
    assert not Path(exported["path"]).exists()
    assert list((tmp_path / "data").glob("exports/*/*.pdf"))  # the user's own copy stays
