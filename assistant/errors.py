"""The errors a user sees: the message is the Dutch text to show, `exit_code` what the CLI returns.

The bottom layer: it imports nothing from the package, so every module may raise these.
Existing built-in bases (ValueError, KeyError, ...) stay beside them where code catches those.
"""

from __future__ import annotations

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3


class GoedwerkError(Exception):
    """A problem the user can act on; `str(exc)` is the Dutch message, shown without traceback."""

    exit_code: int = EXIT_BAD_INPUT


class Unavailable(GoedwerkError):
    """Something goedwerk needs cannot be used: the index, a store, a model or its data files."""

    exit_code = EXIT_UNAVAILABLE
