"""Start and stop a real `goedwerk serve` for tests that drive the page or its API."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.serve_process import free_port, serving

__all__ = ["free_port", "running_server"]


@contextmanager
def running_server(data_dir: Path, **env: str) -> Iterator[str]:
    """A `goedwerk serve` with the fake embedding and pattern de-identification on a free
    local port; yields its URL."""
    environ = {
        **os.environ,
        "GOEDWERK_EMBEDDING__MODE": "fake",
        # Deduce would build its lookup lists (a minute of CPU) in every test server.
        "GOEDWERK_DEIDENTIFY__MODE": "basic",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        **env,
    }
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"serve-{data_dir.name}-{os.getpid()}.log"
    with serving(data_dir, log, environ) as server:
        yield server.url
