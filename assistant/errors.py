"""The errors a user sees: the message is the Dutch text to show, `exit_code` what the CLI returns.

The bottom layer: it imports nothing from the package, so every module may raise these.
Existing built-in bases (ValueError, KeyError, ...) stay beside them where code catches those.
"""

from __future__ import annotations

import errno

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3


class GoedwerkError(Exception):
    """A problem the user can act on; `str(exc)` is the Dutch message, shown without traceback."""

    exit_code: int = EXIT_BAD_INPUT


class Unavailable(GoedwerkError):
    """Something goedwerk needs cannot be used: the index, a store, a model or its data files."""

    exit_code = EXIT_UNAVAILABLE


_OS_REASONS = {
    errno.ENOENT: "het bestand of de map bestaat niet",
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EACCES: "geen toegang (schrijf- of leesrechten ontbreken)",
    errno.EPERM: "dit is niet toegestaan",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.EEXIST: "het bestand bestaat al",
}


def os_reason(exc: OSError) -> str:
    """The Dutch reason for a system error (the system's own text is English)."""
    return _OS_REASONS.get(exc.errno or 0, f"systeemfout {exc.errno or type(exc).__name__}")
