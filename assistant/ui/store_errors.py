"""A store that cannot be read or opened, on every page handler: its Dutch message, the page
(and what the user typed) left as it was."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import gradio as gr

from assistant.sessions.sqlite import StoreError

F = TypeVar("F", bound=Callable[..., Any])
KEPT = "Wat je typte, staat nog op de pagina."


def store_errors_in_dutch(handler: F) -> F:
    """A store that cannot be read or opened stops the handler with its Dutch message.

    Raised as `gr.Error`, which the page shows whatever `show_error` says, and which leaves
    every output (the typed text in its field included) as it was.
    """
    if inspect.isgeneratorfunction(handler):

        @functools.wraps(handler)
        def streaming(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from handler(*args, **kwargs)
            except StoreError as exc:
                raise gr.Error(f"{exc} {KEPT}") from exc

        return streaming  # type: ignore[return-value]

    @functools.wraps(handler)
    def plain(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except StoreError as exc:
            raise gr.Error(f"{exc} {KEPT}") from exc

    return plain  # type: ignore[return-value]
