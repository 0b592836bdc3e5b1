"""How long Deduce takes to get ready, and how much memory it holds: the first build of its
lookup structures (once per install, in a background thread when serving), a later load from
the cache, and one beeld de-identified.

Run from the project root (the build folder is fresh unless `--cache` names one):

    .venv/bin/python bench/bench_deidentify.py [--cache DIR] [--street-list]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from assistant.components.deidentify import DeduceDeidentifier
from assistant.sessions.publish import deidentify

BEELD = (
    "Pieter belde me op een maandag. Toen ik met Karin van de gemeente Dalfsen sprak, liep het "
    "vast. Jan de Vries van het UWV was bereikbaar op 06-12345678 en via jan.devries@uwv.nl."
)


def ready_in(cache: Path, street_list: bool) -> float:
    """Seconds until a fresh de-identifier on `cache` is ready."""
    deidentifier = DeduceDeidentifier(cache, street_list=street_list)
    start = time.perf_counter()
    if not deidentifier.wait(timeout=1800):
        raise SystemExit("Deduce kon niet worden voorbereid.")
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    text, _ = deidentify(BEELD, deidentifier)
    print(f"  één beeld: {1000 * (time.perf_counter() - start):.0f} ms → {text}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="build folder (default: a fresh temp dir)")
    parser.add_argument("--street-list", action="store_true", help="with the street list")
    args = parser.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="deduce-bench-"))
    print(f"eerste keer (bouwen of laden) in {cache}: {ready_in(cache, args.street_list):.1f} s")
    print(f"daarna (uit de cache): {ready_in(cache, args.street_list):.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"piekgeheugen van dit proces: {peak:.0f} MB")


if __name__ == "__main__":
    main()
