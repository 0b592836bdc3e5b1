"""Join codes (Crockford base32, 50 bits) and a bounded limiter for wrong guesses."""

from __future__ import annotations

import math
import re
import secrets
import threading
from collections import OrderedDict, deque
from collections.abc import Callable

from assistant.teams.models import TooManyAttempts
from assistant.text import minutes_nl

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand stays unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
CODE_BITS = CODE_LENGTH * int(math.log2(len(ALPHABET)))  # 50
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    """A fresh random code, 10 characters without separator."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """`ABCDE12345` → `ABCDE-12345`, as shown to people."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(text: str) -> str | None:
    """The code someone typed in canonical form, or None when it cannot be a code.

    Case, spaces and dashes do not matter; O reads as 0, I and L as 1.
    """
    code = _SEPARATORS.sub("", text.upper()).translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


class JoinLimiter:
    """Counts wrong join codes per owner, per client address and over everyone, within a
    sliding window.

    The per-address count stops a guesser who takes a fresh browser key (a fresh owner) for
    every try; it is kept apart from the owners', so only people sharing that address (behind
    one proxy, say) are affected by a guesser there, never those on other addresses.
    Memory stays bounded: only failures inside the window are kept, and the global cap limits
    how many there can be, so at most `global_limit` owners and addresses are tracked.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        per_owner: int = 5,
        global_limit: int = 60,
        window_s: float = 600.0,
        per_address: int = 20,
    ) -> None:
        self._clock = clock
        self.per_owner = per_owner
        self.per_address = per_address
        self.global_limit = global_limit
        self.window_s = window_s
        self._owners: OrderedDict[str, deque[float]] = OrderedDict()
        self._addresses: OrderedDict[str, deque[float]] = OrderedDict()
        self._all: deque[float] = deque()
        self._guard = threading.Lock()

    def _prune(self, now: float) -> None:
        cutoff = now - self.window_s
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for tracked in (self._owners, self._addresses):
            for key in list(tracked):
                times = tracked[key]
                while times and times[0] <= cutoff:
                    times.popleft()
                if not times:
                    del tracked[key]

    def _wait(self, times: deque[float] | None, limit: int, now: float) -> float:
        if times is None or len(times) < limit:
            return 0.0
        return times[len(times) - limit] + self.window_s - now

    def retry_after(self, owner: str, everyone: bool = True, address: str = "") -> float:
        """Seconds until this owner (from this address) may try a code again; 0 when they may.

        With `everyone=False` only the owner's and the address's own wrong codes count:
        strangers' guesses elsewhere never stop someone who has the right code.
        """
        with self._guard:
            now = self._clock()
            self._prune(now)
            waits = [
                self._wait(self._owners.get(owner), self.per_owner, now),
                self._wait(self._addresses.get(address), self.per_address, now) if address else 0.0,
            ]
            if everyone:
                waits.append(self._wait(self._all, self.global_limit, now))
            return max(waits)

    def tracked(self) -> tuple[int, int]:
        """How many owners and failures are kept now (both stay within `global_limit`)."""
        with self._guard:
            return max(len(self._owners), len(self._addresses)), len(self._all)

    def check(self, owner: str, everyone: bool = True, address: str = "") -> None:
        """Raise `TooManyAttempts` while this owner, this address (or everyone) has guessed
        wrong too often."""
        wait = self.retry_after(owner, everyone, address)
        if wait > 0:
            raise TooManyAttempts(
                "Te vaak een onjuiste code ingevoerd. "
                f"Probeer het over {minutes_nl(wait)} opnieuw.",
                retry_after=wait,
            )

    def failed(self, owner: str, address: str = "") -> None:
        """Record a wrong code from this owner (at this client address)."""
        with self._guard:
            now = self._clock()
            self._prune(now)
            for tracked, key in ((self._owners, owner), (self._addresses, address)):
                if key:
                    tracked.setdefault(key, deque()).append(now)
                    tracked.move_to_end(key)
                while len(tracked) > self.global_limit:
                    tracked.popitem(last=False)
            self._all.append(now)
            # The global cap refuses attempts before they are recorded, so this only trims
            # what a caller recording without checking could add.
            while len(self._all) > self.global_limit:
                self._all.popleft()
