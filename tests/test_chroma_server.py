"""Server mode against a real `chroma run` process: build, re-sync, search; and no server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.components.vector_store import IndexUnavailable
from assistant.retrieval.setup import build_knowledge
from assistant.serve_process import free_port

from .conftest import make_settings

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0
CHROMA = Path(sys.executable).parent / "chroma"


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server, kill it if it does not stop."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A `chroma run` server on a free port with its data in tmp_path; yields the port."""
    if not CHROMA.is_file():
        pytest.fail(
            f"The `chroma` executable is missing ({CHROMA}); it is installed with chromadb "
            "(pip install chromadb) and is needed for server mode."
        )
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    port = free_port()
    log_path = tmp_path / "chroma.log"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(CHROMA),
                "run",
                "--host",
                HOST,
                "--port",
                str(port),
                "--path",
                str(tmp_path / "chroma-server"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"chroma run exited with code {process.returncode}:\n"
                    + log_path.read_text(errors="replace")[-2000:]
                )
            try:
                chromadb.HttpClient(
                    host=HOST, port=port, settings=ChromaSettings(anonymized_telemetry=False)
                ).heartbeat()
                break
            except Exception:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"chroma run did not answer on {HOST}:{port} within "
                        f"{STARTUP_TIMEOUT_S:.0f} s:\n"
                        + log_path.read_text(errors="replace")[-2000:]
                    )
                time.sleep(0.25)
        yield port
    finally:
        stop(process)


@pytest.mark.server
def test_server_mode_builds_resyncs_and_searches(tmp_path: Path, chroma_server: int) -> None:
    settings = make_settings(
        tmp_path / "data", vector_store={"mode": "server", "port": chroma_server}
    )

    first = build_knowledge(settings)
    nodes = len(first.retriever.nodes)
    assert nodes > 0
    assert first.last_sync.embedded == nodes
    assert first.dense.count() == nodes
    # Nothing was written to the data dir's embedded store.
    assert not settings.chroma_dir.exists()

    second = build_knowledge(settings)
    assert second.last_sync.embedded == 0
    assert second.last_sync.removed == 0
    assert second.dense.count() == nodes

    matches = second.retriever.match_situations(
        "niemand wil de notulen en de actielijst oppakken", k=3
    )
    assert len(matches) == 3
    assert 6 in [m.situation for m in matches]


@pytest.mark.server
def test_server_mode_without_server_says_how_to_start_one(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here
    settings = make_settings(tmp_path / "data", vector_store={"mode": "server", "port": port})

    with pytest.raises(IndexUnavailable) as info:
        build_knowledge(settings)

    message = str(info.value)
    assert f"Geen Chroma-server bereikbaar op {HOST}:{port}" in message
    assert f"chroma run --host {HOST} --port {port}" in message
