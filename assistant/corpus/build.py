"""Regenerate the mechanically parsed corpus records from `corpus/sources/`.

    python -m assistant.corpus.build            # rewrite the YAML files
    python -m assistant.corpus.build --check    # exit 1 when a committed file differs

`herkenning.yaml` is written by hand and is not touched here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assistant.corpus import parse_002, parse_003, parse_004, parse_cases, yamlio
from assistant.corpus.load import FILES
from assistant.settings import default_corpus_dir

SOURCES = {
    "000": "000_4e52e9ad32a27b41.txt",
    "001": "001_db83b993a7497b43.txt",
    "002": "002_da155ee923d7f03f.txt",
    "003": "003_9723ce89685e712b.txt",
    "004": "004_d619ba5fbae2261f.txt",
}


def read_source(corpus_dir: Path, key: str) -> list[str]:
    """The lines of one source text, without line endings."""
    return (corpus_dir / "sources" / SOURCES[key]).read_text(encoding="utf-8").splitlines()


def _plain(records: list[Any]) -> list[Any]:
    return [r.model_dump(mode="json") if isinstance(r, BaseModel) else r for r in records]


def build_records(corpus_dir: Path) -> dict[str, str]:
    """Parse every source; return the YAML text per record file name."""
    situaties, beelden, deugden = parse_004.parse(read_source(corpus_dir, "004"), SOURCES["004"])
    praktijken = parse_002.parse(read_source(corpus_dir, "002"), SOURCES["002"])
    praktijken += parse_cases.parse_000(read_source(corpus_dir, "000"), SOURCES["000"])
    praktijken += parse_cases.parse_001(read_source(corpus_dir, "001"), SOURCES["001"])
    achtergrond = parse_003.parse(read_source(corpus_dir, "003"), SOURCES["003"])
    records: dict[str, list[Any]] = {
        "situaties": situaties,
        "beelden": beelden,
        "deugden": deugden,
        "praktijken": praktijken,
        "achtergrond": achtergrond,
    }
    return {FILES[name]: yamlio.dump(_plain(items)) for name, items in records.items()}


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the generated record files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus_dir())
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    differing = []
    for name, text in build_records(args.corpus).items():
        path = args.corpus / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differing.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if differing:
        print("Verschilt van de bronnen: " + ", ".join(differing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
