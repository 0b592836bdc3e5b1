"""Durability under SIGKILL: nothing a user was told is saved may be lost.

Starts a real `goedwerk serve` (fake embedding, a temporary data dir) and drives it with
gradio_client the way a user would: start a session, describe a situation, choose one, answer
until the A4 is drafted, edit its title, experience and beeld, share it into the collection,
start the next session. In every round a background thread kills the server with SIGKILL a
random 0-400 ms (seeded) after a request was sent. With the server dead, kill_checks.py checks
the data dir in this process through the service layer: every action the client got an
acknowledgement for (a completed predict) is there, each answer exactly once; every session
loads and its pending actions replay; SQLite's integrity_check passes, the Chroma store opens
and the data dir lock was released by the kill.

Then the server is restarted (timed until its page answers) and the client resumes the same
session through /hervat. Prints kills, acknowledged actions, lost actions (must be 0),
integrity failures (must be 0) and the restart time p50/p95; exits 1 when anything failed.

Run from the project root:

    .venv/bin/python bench/kill_test.py [--kills 50] [--seed 7] [--json]
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import argparse
import contextlib
import itertools
import json
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from gradio_client import Client
from kill_checks import Check, Sent, check_data_dir  # bench/, next to this script

from assistant.domain.session import SessionState
from assistant.serve_process import ServeProcess

KILL_WINDOW_S = 0.4
CALM_REQUESTS = 3  # at most this many requests in a round before the one the kill follows
GRACE_S = 1.0  # after the server died, a reply already on its way may still arrive
REQUEST_TIMEOUT_S = 120.0
ANSWERS_BEFORE_DRAFT = 20
EDITS = ("titel", "kenmerkende_ervaring", "beeld")
EDITS_PER_SESSION = 6
DESCRIPTION = "Mijn eigen directie steunt het idee niet, de gemeenten buiten wel."
ANSWER = (
    "Toen ik vorige week in het MT met Ahmed sprak, zei ik dat de gemeenten al meedoen. "
    "Ik heb daarna zelf een notitie van twee pagina's geschreven. Geduld en moed speelden een rol."
)
EDIT_TEXT = {
    "titel": "Samen koers houden",
    "kenmerkende_ervaring": "Toen ik in het MT met Ahmed sprak, viel het stil.",
    "beeld": "Goed werk was de gemeenten en de directie tegelijk serieus nemen.",
}
# Outputs of the page's main handlers as gradio_client returns them (buttons left out).
CHAT, SITUATIONS, SESSIONS, STATUS = 0, 1, 10, 12


class Server(ServeProcess):
    """The server under test, remembering whether this run SIGKILLed it."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        super().__init__(data_dir, log, {**os.environ, "GOEDWERK_EMBEDDING__MODE": "fake"})
        self.killed = False

    def start(self, timeout: float = 300) -> float:
        """Start on a free port; returns the seconds until the page answers."""
        self.killed = False
        return super().start(timeout)

    def kill(self) -> None:
        """SIGKILL: no handler, no flush, no clean-up runs in the server."""
        if self.alive():
            self.killed = True
        super().kill()


class ScriptedUser:
    """A user working through sessions; knows where a session stands from the replies."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.session: str | None = None
        self.step = "situatie"  # situatie, keuze, reflectie, concept
        self.choice = ""
        self.answers = 0
        self.edits = 0
        self.errors: list[str] = []
        # The browser key (cookie) the server gave this user: the same browser after a restart.
        self.cookies: dict[str, str] = {}

    def next_request(self) -> tuple[str, tuple[Any, ...], Sent]:
        """The next request (endpoint, arguments) and its record."""
        n = len(self.sent) + 1
        tag = f"[kt-{n:04d}]"
        sid = self.session
        if sid is None:
            return "/nieuwe_sessie", ("ik", "achteraf"), Sent(n, "start", None)
        if self.step == "situatie":
            text = f"{DESCRIPTION} {tag}"
            return "/antwoord", (text,), Sent(n, "antwoord", sid, tag)
        if self.step == "keuze":
            return "/kies_situatie", (self.choice, ""), Sent(n, "keuze", sid, self.choice)
        if self.step == "concept":
            if self.edits >= EDITS_PER_SESSION:
                return "/deel", (False, True), Sent(n, "deel", sid)
            part = EDITS[self.edits % len(EDITS)]
            value = f"{EDIT_TEXT[part]} {tag}"
            return f"/bewerk_{part}", (value,), Sent(n, f"bewerk_{part}", sid, value)
        if self.answers >= ANSWERS_BEFORE_DRAFT:
            return "/concept", ("",), Sent(n, "concept", sid)
        return "/antwoord", (f"{ANSWER} {tag}",), Sent(n, "antwoord", sid, tag)

    def acknowledge(self, sent: Sent, result: Any) -> None:
        """A reply came back: record the acknowledgement and move on in the script."""
        if sent.kind.startswith("bewerk_"):
            sent.acked = True
            self.edits += 1
            return
        status = result[0] if sent.kind == "deel" else result[STATUS]
        if sent.kind == "deel":
            if not str(status).startswith("Gedeeld"):
                self.errors.append(f"#{sent.n} deel: {status}")
                return
            sent.acked = True
            self.session = None
            return
        if status:
            self.errors.append(f"#{sent.n} {sent.kind}: {status}")
            return
        sent.acked = True
        if sent.kind == "start":
            sent.session = sent.value = self.session = result[SESSIONS]["value"]
            self.step, self.answers, self.edits = "situatie", 0, 0
            return
        if sent.kind == "antwoord" and self.step != "situatie":
            self.answers += 1
        self.follow(result, default="reflectie")

    def follow(self, result: Any, default: str) -> None:
        """Where the session stands according to a full page reply."""
        offer = result[SITUATIONS]
        chat = "\n".join(str(m["content"]) for m in result[CHAT])
        if isinstance(offer, dict) and offer.get("visible"):
            self.step, self.choice = "keuze", offer["choices"][0][1]
        elif "[Concept" in chat:
            self.step = "concept"
        else:
            self.step = default

    def resume(self, state: SessionState | None, shared: bool, client: Client) -> None:
        """After a restart: pick the session up where the data dir says it stands."""
        if self.session is None:
            return
        if state is None or shared:
            self.session = None  # never created, or finished: the next session starts
            return
        # A fresh page lists the sessions on load; /hervat only accepts a listed id.
        client.predict("", api_name="/antwoord")
        result = client.predict(self.session, api_name="/hervat")
        steps = {"situatie": "situatie", "keuze": "keuze", "concept": "concept"}
        self.follow(result, default=steps.get(state.step, "reflectie"))


class RequestFailed(RuntimeError):
    """A request failed while the server was alive: an error of the app, not of the kill."""


def _wait_for_reply(job: Any, server: Server) -> Any:
    """The job's reply, or None when the kill cut it off."""
    dead_since: float | None = None
    began = time.monotonic()
    while True:
        try:
            return job.result(timeout=0.05)
        except TimeoutError:
            pass
        except Exception as exc:  # a broken connection surfaces in many types
            if not server.killed:
                raise RequestFailed(f"{type(exc).__name__}: {exc}") from exc
            return None
        if not server.alive():
            dead_since = dead_since or time.monotonic()
            if time.monotonic() - dead_since > GRACE_S:
                return None
        if time.monotonic() - began > REQUEST_TIMEOUT_S:
            raise TimeoutError("geen antwoord van een levende server")


def _release_waiters(client: Client) -> None:
    # gradio_client waits forever for a reply on a stream the server dropped; a None message
    # ends those waits (as a stop of the server would), so no thread is left behind.
    with client.pending_lock:
        for messages in client.pending_messages_per_event.values():
            messages.append(None)
    client.close()


def play_round(client: Client, user: ScriptedUser, server: Server, calm: int, delay: float) -> None:
    """Send requests until the server dies: `calm` of them, then one the kill follows `delay`
    seconds after it was sent (in a background thread), then more until the kill lands."""
    timer: threading.Timer | None = None
    try:
        for count in itertools.count():
            endpoint, args, sent = user.next_request()
            user.sent.append(sent)
            job = client.submit(*args, api_name=endpoint)
            if timer is None and count >= calm:
                timer = threading.Timer(delay, server.kill)
                timer.start()
            try:
                result = _wait_for_reply(job, server)
            except RequestFailed as exc:
                user.errors.append(f"#{sent.n} {sent.kind}: {exc}")
                return
            if result is None:
                return
            user.acknowledge(sent, result)
    finally:
        if timer is not None:
            timer.join()


@dataclass
class Report:
    """The figures of a whole run."""

    kills: int = 0
    acknowledged: int = 0
    lost: dict[str, int] = field(default_factory=dict)  # what → the round it was first missed
    duplicated: dict[str, int] = field(default_factory=dict)
    integrity_failures: list[str] = field(default_factory=list)
    request_errors: list[str] = field(default_factory=list)
    unacknowledged_kept: int = 0
    replayed: int = 0
    sessions: int = 0
    first_start_s: float = 0.0
    restart_s: list[float] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        times = np.asarray(self.restart_s or [0.0])
        return {
            "kills": self.kills,
            "acknowledged_actions": self.acknowledged,
            "lost_actions": len(self.lost),
            "duplicated_actions": len(self.duplicated),
            "integrity_failures": len(self.integrity_failures),
            "request_errors": len(self.request_errors),
            "unacknowledged_but_kept": self.unacknowledged_kept,
            "pending_replayed": self.replayed,
            "sessions": self.sessions,
            "first_start_s": round(self.first_start_s, 2),
            "restart_p50_s": round(float(np.percentile(times, 50)), 2),
            "restart_p95_s": round(float(np.percentile(times, 95)), 2),
            "details": {
                "lost": [f"ronde {r}: {x}" for x, r in self.lost.items()],
                "duplicated": [f"ronde {r}: {x}" for x, r in self.duplicated.items()],
                "integrity": self.integrity_failures,
                "request_errors": self.request_errors,
            },
        }


def run(kills: int, seed: int, workdir: Path, progress: bool = False) -> Report:
    """Play the scripted user against a server that is killed `kills` times."""
    rng = random.Random(seed)
    data_dir = workdir / "data"
    server = Server(data_dir, workdir / "serve.log")
    user = ScriptedUser()
    report = Report()
    found = Check()
    say = sys.stderr
    # gradio_client prints a traceback for every connection a kill breaks: expected, so kept
    # out of sight in a file next to the server's log.
    with (workdir / "client.log").open("w") as noise, contextlib.redirect_stderr(noise):
        report.first_start_s = server.start()
        try:
            for round_no in range(1, kills + 1):
                found = kill_round(server, user, rng, found)
                report.kills += 1
                report.integrity_failures += [f"ronde {round_no}: {f}" for f in found.failures]
                for item in found.lost:
                    report.lost.setdefault(item, round_no)
                for item in found.duplicated:
                    report.duplicated.setdefault(item, round_no)
                report.replayed += found.replayed
                report.restart_s.append(server.start())
                if progress:
                    print(
                        f"  ronde {round_no}: {sum(s.acked for s in user.sent)} bevestigd, "
                        f"{len(report.lost)} kwijt, herstart {report.restart_s[-1]:.1f} s",
                        file=say,
                        flush=True,
                    )
        finally:
            server.stop()
    report.acknowledged = sum(s.acked for s in user.sent)
    report.unacknowledged_kept = found.unacked_kept
    report.request_errors = user.errors
    report.sessions = len(found.states)
    return report


def kill_round(server: Server, user: ScriptedUser, rng: random.Random, last: Check) -> Check:
    """Resume, play until the kill, check the data dir with the server dead."""
    client = Client(server.url, verbose=False, httpx_kwargs={"cookies": dict(user.cookies)})
    user.cookies = dict(client.cookies)
    user.resume(last.states.get(user.session or ""), user.session in last.shared, client)
    calm, delay = rng.randint(0, CALM_REQUESTS), rng.uniform(0, KILL_WINDOW_S)
    try:
        play_round(client, user, server, calm, delay)
    finally:
        server.kill()
        server.wait()
        _release_waiters(client)
    return check_data_dir(server.data_dir, user.sent)


def print_report(report: Report, seed: int) -> None:
    """The figures as text."""
    figures = report.as_json()
    print(
        f"goedwerk kill test — SIGKILL 0–{KILL_WINDOW_S * 1000:.0f} ms after a request, seed {seed}"
    )
    print(f"kills done                {figures['kills']}")
    print(f"acknowledged actions      {figures['acknowledged_actions']}")
    print(f"lost actions              {figures['lost_actions']}")
    print(f"duplicated actions        {figures['duplicated_actions']}")
    print(f"integrity failures        {figures['integrity_failures']}")
    print(f"request errors            {figures['request_errors']}")
    print(f"unacknowledged but kept   {figures['unacknowledged_but_kept']}")
    print(f"pending actions replayed  {figures['pending_replayed']}")
    print(f"sessions                  {figures['sessions']}")
    print(f"first start               {figures['first_start_s']:.1f} s (index built)")
    print(f"restart time p50          {figures['restart_p50_s']:.1f} s")
    print(f"restart time p95          {figures['restart_p95_s']:.1f} s")
    for name, items in figures["details"].items():
        for item in items:
            print(f"  {name}: {item}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50, help="how many times to kill (50)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the kill delays (7)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="goedwerk-kill-") as tmp:
        report = run(args.kills, args.seed, Path(tmp), progress=not args.json)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print_report(report, args.seed)
    failed = report.lost or report.duplicated or report.integrity_failures or report.request_errors
    return 1 if failed else 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
