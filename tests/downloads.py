"""Fetching an export the way the page does: the link's URL, with the client's own cookies."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import httpx
from gradio_client import Client

HREF = re.compile(r'href="([^"]+)"')


def export_url(base: str, anchor: str) -> str:
    """The absolute URL of the download link in the export's HTML."""
    found = HREF.search(anchor)
    assert found, anchor
    return f"{base.rstrip('/')}/{found.group(1)}"


def fetch(base: str, anchor: str, cookies: dict[str, str]) -> httpx.Response:
    """GET an export's link with these cookies."""
    return httpx.get(export_url(base, anchor), cookies=cookies, timeout=30)


def download_export(base: str, client: Client, anchor: str, directory: Path) -> Path:
    """Save the export behind the link as `client` (its cookies), under its own name."""
    response = fetch(base, anchor, client.cookies)
    assert response.status_code == 200, response.status_code
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / unquote(export_url(base, anchor).rsplit("/", 1)[1])
    target.write_bytes(response.content)
    return target
