"""Lone surrogates in a JSON request become U+FFFD before Gradio reads it.

JSON may carry "\\ud800", a half of a UTF-16 pair that no UTF-8 text can hold. Gradio hands it
to the handler as it is, and the reply that echoes it (the chat shows the typed text at once)
cannot be encoded: that client's event stream broke off mid-way, with no message. Replacing
every lone surrogate in the request by the replacement character, in one place before any
handler, keeps each reply encodable; `clean_text` then stores the text as usual.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A \uD800-\uDFFF escape; a literal backslash before it only costs a needless parse.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def without_lone_surrogates(value: Any) -> Any:
    """`value` (parsed JSON) with every lone surrogate in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub(REPLACEMENT, value)
    if isinstance(value, list):
        return [without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {without_lone_surrogates(k): without_lone_surrogates(v) for k, v in value.items()}
    return value


class UnicodeGuard:
    """ASGI middleware: JSON request bodies without lone surrogates."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        if "json" not in Headers(scope=scope).get("content-type", ""):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, receive, send)
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if _SURROGATE_ESCAPE.search(body):
            try:
                cleaned = without_lone_surrogates(json.loads(body))
                body = json.dumps(cleaned, ensure_ascii=False).encode("utf-8")
            except ValueError:
                pass  # not JSON after all: Gradio answers it as it would
            scope = dict(scope)
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"content-length"] + [
                (b"content-length", str(len(body)).encode())
            ]

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
