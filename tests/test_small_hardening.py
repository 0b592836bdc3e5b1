"""The small ones: an export killed midway is never served and is cleaned up at start; a title
of 256+ characters still exports as DOCX; a lone surrogate in raw JSON no longer breaks the
client's stream; a link in an export folder is not followed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from docx import Document
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from assistant.domain.session import A4
from assistant.export.writing import export_a4_as
from assistant.sessions.files import remove_unfinished
from assistant.settings import PROJECT_ROOT
from assistant.startup import check_serving
from assistant.ui.access import DEVICE_COOKIE, AccessMiddleware, device_owner

from .conftest import make_settings
from .inprocess import served_page

KILLED_EXPORT = """
import sys, time
from pathlib import Path
from assistant.export.writing import write_export

def half(tmp):
    tmp.write_bytes(b"%PDF-1.4 half")
    print("writing", flush=True)
    time.sleep(60)

write_export("sessie1", Path(sys.argv[1]), "beeld.pdf", half)
"""


def downloads(data_dir: Path) -> TestClient:
    """goedwerk's download route over `data_dir`'s exports, every key owned by the caller."""
    app = AccessMiddleware(
        PlainTextResponse("app"),
        owns=lambda key, owner: True,
        export_dir=lambda key: data_dir / "exports" / key,
    )
    return TestClient(app)


def test_an_export_killed_midway_is_not_served_and_is_gone_after_a_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_EXPORT, str(data_dir)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    folder = data_dir / "exports" / "sessie1"
    left = sorted(p.name for p in folder.iterdir())
    assert "beeld.pdf" in left and (folder / "beeld.pdf").stat().st_size == 0
    assert any(name.startswith(".beeld-") and name.endswith(".tmp") for name in left)

    assert downloads(data_dir).get("/bestand/sessie1/beeld.pdf").status_code == 404
    check_serving(make_settings(data_dir))  # what `goedwerk serve` does at start
    assert list(folder.iterdir()) == []


def test_a_finished_export_is_served_whole(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = export_a4_as(
        A4(titel="Samen", beeld="Wij deden het."), "sessie1", None, "md", data_dir
    )
    reply = downloads(data_dir).get(f"/bestand/sessie1/{result.path.name}")
    assert reply.status_code == 200 and reply.content == result.path.read_bytes()
    assert reply.headers["content-disposition"] == 'attachment; filename="samen.md"'
    assert remove_unfinished(data_dir) == 0 and result.path.exists()


def test_a_link_in_an_export_folder_or_in_place_of_one_is_not_followed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    secret = tmp_path / "geheim.txt"
    secret.write_text("root:x:0:0 geheim")
    folder = data_dir / "exports" / "sessie1"
    folder.mkdir(parents=True)
    (folder / "beeld.pdf").symlink_to(secret)
    (data_dir / "exports" / "sessie2").symlink_to(secret.parent)
    client = downloads(data_dir)
    for url in ("/bestand/sessie1/beeld.pdf", "/bestand/sessie2/geheim.txt"):
        reply = client.get(url)
        assert reply.status_code == 404 and b"geheim" not in reply.content
    remove_unfinished(data_dir)  # links are left alone, not followed
    assert secret.read_text() == "root:x:0:0 geheim"


def test_a_title_of_300_characters_exports_as_docx_with_the_whole_title_on_the_page(
    tmp_path: Path,
) -> None:
    title = " ".join(["samenwerking"] * 25)  # 324 characters
    a4 = A4(titel=title, kenmerkende_ervaring="Het begon klein.", beeld="Wij deden het samen.")
    result = export_a4_as(a4, "sessie1", None, "docx", tmp_path / "data")
    document = Document(str(result.path))
    assert len(document.core_properties.title) == 255
    assert title.startswith(document.core_properties.title)
    assert title in "\n".join(p.text for p in document.paragraphs)


def _events(client: httpx.Client, fn_index: int, data: bytes) -> list[dict]:
    body = b'{"data": %s, "fn_index": %d, "session_hash": "sessie-proef"}' % (data, fn_index)
    joined = client.post(
        "/gradio_api/queue/join", content=body, headers={"content-type": "application/json"}
    )
    assert joined.status_code == 200
    messages = []
    with client.stream(
        "GET", "/gradio_api/queue/data", params={"session_hash": "sessie-proef"}
    ) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                messages.append(json.loads(line[5:]))
                if messages[-1].get("msg") == "process_completed":
                    break
    return messages


def test_a_lone_surrogate_in_raw_json_gets_a_reply_and_is_stored_as_a_replacement(
    tmp_path: Path,
) -> None:
    with (
        served_page(make_settings(tmp_path / "data")) as served,
        httpx.Client(base_url=served.url, timeout=60) as client,
    ):
        config = client.get("/config").json()
        fn = {d.get("api_name"): i for i, d in enumerate(config["dependencies"])}
        _events(client, fn["nieuwe_sessie"], b'["ik", "achteraf"]')
        began = time.perf_counter()
        done = _events(client, fn["antwoord"], b'[null, "De gemeente \\ud800 doet mee."]')[-1]
        assert done["msg"] == "process_completed" and done["success"] is True
        assert time.perf_counter() - began < 30
        owner = device_owner(client.cookies[DEVICE_COOKIE])
        [summary] = served.service.list_sessions(owner)
        said = [t.text for t in served.service.transcript(summary.id, owner) if t.role == "user"]
        assert said == ["De gemeente \ufffd doet mee."]
