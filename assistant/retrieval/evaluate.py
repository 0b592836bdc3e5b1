"""Retrieval eval: rank the situations for each query and score hit@1, hit@3 and MRR."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import GoedwerkError, os_reason
from assistant.retrieval.search import HybridRetriever


class EvalFileError(GoedwerkError, ValueError):
    """The eval file cannot be read or a line is not `{"query": ..., "situation": N}`."""


@dataclass(frozen=True)
class EvalCase:
    """One labelled query."""

    query: str
    situation: int
    line: int = 0


@dataclass(frozen=True)
class RetrievalScores:
    """Aggregate scores over an eval set."""

    n: int
    hit1: float
    hit3: float
    mrr: float
    misses: list[tuple[str, int, list[int]]]

    def as_json(self) -> dict[str, float | int]:
        """The one JSON object `goedwerk eval retrieval --json` prints."""
        return {"n": self.n, "hit@1": self.hit1, "hit@3": self.hit3, "mrr": self.mrr}


def read_cases(path: Path, situations: set[int] | None = None) -> list[EvalCase]:
    """Read a JSONL eval file; raise `EvalFileError` with a Dutch message on bad input.

    A line with an empty query, or (when `situations` is given) a situation that does not
    exist, is refused with its line number: scoring it would silently count a miss.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvalFileError(f"Kan {path} niet lezen: {os_reason(exc)}.") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvalFileError(f"{path} is geen geldige UTF-8-tekst (byte {exc.start}).") from exc
    cases = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            case = EvalCase(str(item["query"]), int(item["situation"]), number)
        except (ValueError, KeyError, TypeError) as exc:
            raise EvalFileError(
                f'{path} regel {number}: verwacht {{"query": "...", "situation": N}}'
            ) from exc
        if not case.query.strip():
            raise EvalFileError(f"{path} regel {number}: de vraag (query) is leeg.")
        if situations is not None and case.situation not in situations:
            known = ", ".join(str(n) for n in sorted(situations))
            raise EvalFileError(
                f"{path} regel {number}: situatie {case.situation} bestaat niet (wel: {known})."
            )
        cases.append(case)
    if not cases:
        raise EvalFileError(f"{path} bevat geen vragen.")
    return cases


def evaluate(retriever: HybridRetriever, cases: list[EvalCase]) -> RetrievalScores:
    """Score the retriever's situation ranking on labelled queries."""
    hit1 = hit3 = 0
    reciprocal = 0.0
    misses = []
    for case in cases:
        ranking = [m.situation for m in retriever.match_situations(case.query, k=100)]
        rank = ranking.index(case.situation) + 1 if case.situation in ranking else 0
        hit1 += rank == 1
        hit3 += 1 <= rank <= 3
        reciprocal += 1.0 / rank if rank else 0.0
        if rank != 1:
            misses.append((case.query, case.situation, ranking[:3]))
    n = len(cases)
    return RetrievalScores(
        n=n,
        hit1=round(hit1 / n, 4),
        hit3=round(hit3 / n, 4),
        mrr=round(reciprocal / n, 4),
        misses=misses,
    )
