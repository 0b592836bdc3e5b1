"""Repeated wrong passwords are slowed down and then refused, per login name and per address.

Gradio's own login route checks a password as fast as it is asked; this middleware sits in
front of `POST /login`: it counts wrong answers (HTTP 400 from Gradio) per login name and per
client address within a window, waits a little longer after each, and past the limit answers
429 with a Dutch message until the window has passed. A right password resets its name's and
address's count.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.text import minutes_nl

LOGIN_PATHS = ("/login", "/login/")
MAX_TRACKED = 10_000  # keys kept at most, so guessing cannot fill memory


def too_many_message(seconds: float) -> str:
    """The Dutch refusal, with the wait rounded up to whole minutes."""
    return f"Te vaak een onjuist wachtwoord. Probeer het over {minutes_nl(seconds)} opnieuw."


class LoginThrottle:
    """Counts wrong logins per key ('naam:…', 'adres:…') within a sliding window."""

    def __init__(
        self,
        per_name: int,
        per_address: int,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"naam": per_name, "adres": per_address}
        self.window_s = window_s
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._guard = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def retry_after(self, keys: list[str]) -> float:
        """Seconds until these keys may try again; 0 when they may now."""
        with self._guard:
            now = self._clock()
            waits = [0.0]
            for key in keys:
                limit = self.limits[key.partition(":")[0]]
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[len(times) - limit] + self.window_s - now)
            return max(waits)

    def failures(self, keys: list[str]) -> int:
        """The most recent wrong logins of any of these keys."""
        with self._guard:
            now = self._clock()
            return max((len(self._recent(k, now)) for k in keys), default=0)

    def failed(self, keys: list[str]) -> None:
        """Record a wrong password for these keys."""
        with self._guard:
            now = self._clock()
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)
                self._failures.move_to_end(key)
            while len(self._failures) > MAX_TRACKED:
                self._failures.popitem(last=False)

    def succeeded(self, keys: list[str]) -> None:
        """A right password: forget these keys' failures."""
        with self._guard:
            for key in keys:
                self._failures.pop(key, None)


class LoginGuard:
    """ASGI middleware in front of Gradio's `POST /login`, using a `LoginThrottle`."""

    def __init__(self, app: ASGIApp, throttle: LoginThrottle, delay_s: float = 0.5) -> None:
        self.app = app
        self.throttle = throttle
        self.delay_s = delay_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (
            scope["type"] == "http"
            and scope.get("method") == "POST"
            and scope.get("path") in LOGIN_PATHS
        ):
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        form = parse_qs(body.decode("utf-8", "replace"))
        name = (form.get("username") or [""])[0].strip().casefold()
        client = scope.get("client") or ("?", 0)
        keys = [f"naam:{name}", f"adres:{client[0]}"]
        wait = self.throttle.retry_after(keys)
        if wait > 0:
            response = JSONResponse(
                {"detail": too_many_message(wait)},
                status_code=429,
                headers={"Retry-After": str(math.ceil(wait))},
            )
            await response(scope, receive, send)
            return
        # Each earlier wrong answer makes the next one slower.
        await asyncio.sleep(self.delay_s * self.throttle.failures(keys))

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] == 400:
                    self.throttle.failed(keys)
                elif message["status"] < 300:
                    self.throttle.succeeded(keys)
            await send(message)

        await self.app(scope, replay, watch)
