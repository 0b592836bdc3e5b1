"""Serve the page inside the test process, for tests that need Gradio's own objects."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import gradio as gr
from pydantic import SecretStr

from assistant.app import build_service
from assistant.service import ReflectionService
from assistant.settings import Settings
from assistant.ui.app import build_ui
from assistant.ui.serving import launch

from .server import free_port


@dataclass
class ServedPage:
    """A page served on 127.0.0.1 in this process: its URL, Blocks and service."""

    url: str
    page: gr.Blocks
    service: ReflectionService


@contextmanager
def served_page(settings: Settings, logins: dict[str, str] | None = None) -> Iterator[ServedPage]:
    """Build the service and page from `settings` and serve them as `goedwerk serve` does.

    `logins` (name → password) turns login on with these accounts.
    """
    port = free_port()
    server = settings.server.model_copy(
        update={"port": port, "users": {n: SecretStr(p) for n, p in (logins or {}).items()}}
    )
    settings = settings.model_copy(update={"server": server})
    service = build_service(settings)
    page = build_ui(service, settings)
    launch(page, settings, service, block=False)
    try:
        yield ServedPage(f"http://127.0.0.1:{port}", page, service)
    finally:
        page.close()
