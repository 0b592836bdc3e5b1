"""Serve the page inside the test process, for tests that need Gradio's own objects."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import gradio as gr

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
def served_page(settings: Settings, **launch_options: object) -> Iterator[ServedPage]:
    """Build the service and page from `settings` and serve them on a free port.

    Without `launch_options` the page is served as `goedwerk serve` does (`serving.launch`);
    with them, `page.launch(**launch_options)` is called directly (e.g. two logins).
    """
    port = free_port()
    settings = settings.model_copy(
        update={"server": settings.server.model_copy(update={"port": port})}
    )
    service = build_service(settings)
    page = build_ui(service, settings)
    if launch_options:
        page.queue()
        page.launch(
            server_name="127.0.0.1",
            server_port=port,
            prevent_thread_lock=True,
            quiet=True,
            enable_monitoring=False,
            blocked_paths=[str(settings.data_dir)],
            **launch_options,  # type: ignore[arg-type]
        )
    else:
        launch(page, settings, block=False)
    try:
        yield ServedPage(f"http://127.0.0.1:{port}", page, service)
    finally:
        page.close()
