"""Files of a session reach only its owner: exports are served by goedwerk's own route, which
checks the owner (login name, or the browser's key without login) on every request; uploads are
copied into the data dir and Gradio's copy removed; nothing in the data dir is served by Gradio's
file route, and both routes refuse traversal.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpcore
import httpx
import pytest
from gradio.utils import get_upload_folder
from gradio_client import Client, handle_file
from PIL import Image

from assistant.domain.session import SessionState
from assistant.sessions.store import SessionStore
from assistant.ui.access import DEVICE_COOKIE
from assistant.ui.layout import named

from .conftest import make_settings
from .downloads import fetch
from .inprocess import served_page
from .server import running_server

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
    client.predict(
        named(result)["situation_choice"]["choices"][0][0], "", api_name="/kies_situatie"
    )
    client.predict(
        "Toen ik vorige week in het MT met Ahmed sprak, zei ik dat de gemeenten al meedoen. "
        "Ik heb daarna zelf een notitie van twee pagina's geschreven.",
        api_name="/antwoord",
    )
    client.predict("", api_name="/concept")
    return str(named(started)["sessions"]["value"])


def resume_is_refused(client: Client, session_id: str) -> bool:
    """Does /hervat refuse this session (by Gradio's choice check or by the page's owner check)?"""
    try:
        result = client.predict(session_id, api_name="/hervat")
    except Exception:  # noqa: BLE001 - Gradio refuses a value that is not among the choices
        return True
    return "Kies eerst een sessie" in named(result)["status"]


def test_a_client_without_the_session_gets_no_export_of_it(server: Server) -> None:
    owner = Client(server.url, verbose=False, download_files=False)
    play_to_draft(owner)
    anchor, _ = owner.predict(api_name="/export_pdf")
    assert fetch(server.url, anchor, owner.cookies).content.startswith(b"%PDF")

    other = Client(server.url, verbose=False, download_files=False)
    for kind in ("pdf", "docx", "md"):
        assert other.predict(api_name=f"/export_{kind}")[1] == "Start eerst een sessie."
    # The link itself, handed to someone else, gives them nothing.
    for cookies in (other.cookies, {}, {DEVICE_COOKIE: "x" * 43}):
        response = fetch(server.url, anchor, cookies)
        assert response.status_code == 404 and b"%PDF" not in response.content

    someone_else = SessionState(id=uuid.uuid4().hex, owner="anna")
    SessionStore(server.data_dir / "sessions.sqlite3").create(someone_else)
    other.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    assert resume_is_refused(other, someone_else.id)
    result = other.predict(api_name="/export_pdf")
    assert someone_else.id not in str(result[0])


def test_without_login_each_client_lists_only_its_own_sessions(server: Server) -> None:
    first = Client(server.url, verbose=False, download_files=False)
    first_session = play_to_draft(first)
    second = Client(server.url, verbose=False, download_files=False)
    result = second.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    assert {session_id for _, session_id in named(result)["sessions"]["choices"]} == {
        named(result)["sessions"]["value"]
    }
    assert resume_is_refused(second, first_session)
    # The same browser key (cookie) later sees its sessions again.
    again = Client(
        server.url, verbose=False, download_files=False, httpx_kwargs={"cookies": first.cookies}
    )
    result = again.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    assert first_session in {session_id for _, session_id in named(result)["sessions"]["choices"]}
    assert "Sessie hervat." in named(again.predict(first_session, api_name="/hervat"))["status"]


def test_with_two_logins_neither_sees_resumes_nor_exports_the_others_session(
    tmp_path: Path,
) -> None:
    accounts = {"anna": "anna-geheim-1", "bert": "bert-geheim-2"}
    with served_page(make_settings(tmp_path / "data"), logins=accounts) as served:
        anna = Client(served.url, auth=("anna", accounts["anna"]), verbose=False)
        anna_session = play_to_draft(anna)
        assert served.service.store.owner_of(anna_session) == "anna"
        anchor, _ = anna.predict(api_name="/export_pdf")
        assert fetch(served.url, anchor, anna.cookies).content.startswith(b"%PDF")

        bert = Client(served.url, auth=("bert", accounts["bert"]), verbose=False)
        assert bert.predict(api_name="/export_pdf")[1] == "Start eerst een sessie."
        assert fetch(served.url, anchor, bert.cookies).status_code == 404
        assert fetch(served.url, anchor, {}).status_code == 401
        result = bert.predict("ik", "achteraf", api_name="/nieuwe_sessie")
        listed = {session_id for _, session_id in named(result)["sessions"]["choices"]}
        assert listed == {named(result)["sessions"]["value"]}  # bert's new session only
        assert resume_is_refused(bert, anna_session)


def test_an_export_never_passes_through_gradios_file_route_or_cache(server: Server) -> None:
    client = Client(server.url, verbose=False, download_files=False)
    session_id = play_to_draft(client)
    client.predict(f"Uniek {uuid.uuid4().hex}", api_name="/bewerk_titel")
    anchor, _ = client.predict(api_name="/export_pdf")
    response = fetch(server.url, anchor, client.cookies)
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["cache-control"] == "no-store"
    (kept,) = server.data_dir.glob(f"exports/{session_id}/*.pdf")
    cache = Path(get_upload_folder())
    assert not [p for p in cache.rglob("*") if p.is_file() and p.name == kept.name]
    response = httpx.get(f"{server.url}/gradio_api/file={kept}")
    assert response.status_code == 403 and b"%PDF" not in response.content


def test_an_uploaded_image_leaves_no_copy_in_gradios_cache(server: Server, tmp_path: Path) -> None:
    client = Client(server.url, verbose=False, download_files=False)
    play_to_draft(client)
    picture = tmp_path / "brug-uniek.png"
    Image.new("RGB", (41, 29), (40, 120, 61)).save(picture)
    client.predict(handle_file(str(picture)), api_name="/afbeelding")
    data = picture.read_bytes()
    cache = Path(get_upload_folder())
    assert not [p for p in cache.rglob("*.png") if p.is_file() and p.read_bytes() == data]


def raw_get(base: str, target: str, cookies: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET with the request target sent byte for byte (httpx itself would resolve `../`)."""
    url = httpx.URL(base)
    jar = "; ".join(f"{name}={value}" for name, value in (cookies or {}).items())
    response = httpcore.request(
        "GET",
        httpcore.URL(scheme=b"http", host=url.host.encode(), port=url.port, target=target.encode()),
        headers=[(b"cookie", jar.encode())] if jar else [],
    )
    return response.status, response.content


def test_the_file_routes_refuse_traversal_and_every_path_outside_their_own_files(
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
    # goedwerk's own export route, asked by the owner of the session itself.
    own = f"/bestand/{session_id}"
    targets += [
        f"{own}/../../sessions.sqlite3",
        f"{own}/..%2f..%2fsessions.sqlite3",
        f"{own}/%2e%2e%2f%2e%2e%2fsessions.sqlite3",
        f"{own}/%252e%252e%252fsessions.sqlite3",
        f"{own}/..%5c..%5csessions.sqlite3",
        f"{own}/{quote(str(database), safe='')}",
        f"{own}/{database}",
        f"{own}/{export.name}%00",
        f"{own}/{export.name}/",
        f"{own}/.",
        f"{own}/..",
        f"{own}/",
        f"/bestand/..%2f{session_id}/{export.name}",
        f"/bestand/../uploads/{session_id}/{upload.name}",
        f"/bestand/{session_id}/../../uploads/{session_id}/{upload.name}",
        f"/bestand/{up}etc/passwd",
        "/bestand/%2fetc/passwd",
        "/bestand//etc/passwd",
    ]
    for target in targets:
        status, body = raw_get(server.url, target, client.cookies)
        assert status in (400, 403, 404), (target, status)
        assert not any(secret in body for secret in SECRETS), target
    status, body = raw_get(server.url, f"{own}/{quote(export.name)}", client.cookies)
    assert status == 200 and body.startswith(b"%PDF")  # the route itself works
