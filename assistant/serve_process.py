"""`goedwerk serve` as a child process on a free local port: for tests, benchmarks, kill tests.

One implementation of start (wait until the page answers), SIGKILL and a clean stop, so the
test fixtures and the bench scripts do not each carry their own copy.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from assistant.settings import PROJECT_ROOT


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def page_status(url: str, timeout: float = 2) -> int:
    """The HTTP status of a page, or 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except OSError:
        return 0


class ServeProcess:
    """One `python -m assistant serve` on a data dir; each start picks a free port."""

    def __init__(self, data_dir: Path, log: Path, environ: Mapping[str, str]) -> None:
        self.data_dir = data_dir
        self.log = log
        self.environ = dict(environ)
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self, timeout: float = 120) -> float:
        """Start the server; returns the seconds until its page answers 200."""
        port = free_port()
        env = {
            **self.environ,
            "GOEDWERK_DATA_DIR": str(self.data_dir),
            "GOEDWERK_SERVER__PORT": str(port),
        }
        began = time.perf_counter()
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "assistant", "serve"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.url = f"http://127.0.0.1:{port}"
        while page_status(self.url) != 200:
            if self.process.poll() is not None:
                raise RuntimeError(f"goedwerk serve stopte ({self.process.returncode}): {self.log}")
            if time.perf_counter() - began > timeout:
                self.stop()
                raise TimeoutError(f"goedwerk serve kwam niet op: {self.log}")
            time.sleep(0.05)
        return time.perf_counter() - began

    @property
    def pid(self) -> int:
        """The server's process id."""
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        """Is the server process still running?"""
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no handler, no flush, no clean-up runs in the server."""
        if self.process is not None and self.alive():
            self.process.send_signal(signal.SIGKILL)

    def wait(self, timeout: float = 60) -> None:
        """Wait until the process is gone (after a kill)."""
        if self.process is not None:
            self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """End the server normally, forcefully if it does not stop within 15 s."""
        if self.process is not None and self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def serving(data_dir: Path, log: Path, environ: Mapping[str, str]) -> Iterator[ServeProcess]:
    """A started server that is stopped on leaving the block."""
    server = ServeProcess(data_dir, log, environ)
    try:
        server.start()
        yield server
    finally:
        server.stop()
