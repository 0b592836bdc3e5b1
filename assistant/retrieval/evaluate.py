"""Retrieval eval: rank the situations for each query and score hit@1, hit@3 and MRR."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import GoedwerkError
from assistant.retrieval.search import HybridRetriever

# The booklet's situations are numbered 1–10; 0 is "none of them fits".
MAX_SITUATION = 10


class EvalFileError(GoedwerkError, ValueError):
    """The eval file cannot be read or a line is not `{"query": ..., "situation": N}`."""


@dataclass(frozen=True)
class EvalCase:
    """One labelled query: its situation, how it is written (short, medium, long) and, for a
    query that sits between two situations, the second choice."""

    query: str
    situation: int
    style: str | None = None
    second: int | None = None


STYLES = ("short", "medium", "long")


@dataclass(frozen=True)
class RetrievalScores:
    """Aggregate scores over an eval set."""

    n: int
    hit1: float
    hit3: float
    mrr: float
    misses: list[tuple[str, int, list[int]]]
    by_style: dict[str, RetrievalScores] = field(default_factory=dict)
    # Queries between two situations: the share where the first choice comes first, and
    # where one of the two does (None when the file has no second choices).
    first_first: float | None = None
    either_first: float | None = None

    def as_json(self) -> dict[str, Any]:
        """The one JSON object `goedwerk eval retrieval --json` prints."""
        result: dict[str, Any] = {
            "n": self.n, "hit@1": self.hit1, "hit@3": self.hit3, "mrr": self.mrr,
        }  # fmt: skip
        if self.by_style:
            result["styles"] = {k: v.as_json() for k, v in self.by_style.items()}
        if self.first_first is not None:
            result["first_first"] = self.first_first
            result["either_first"] = self.either_first
        return result


def read_cases(path: Path) -> list[EvalCase]:
    """Read a JSONL eval file; raise `EvalFileError` with a Dutch message on bad input."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvalFileError(f"Kan {path} niet lezen: {exc.strerror}") from exc
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
            query, situation = str(item["query"]).strip(), int(item["situation"])
            style = item.get("style")
            second = item.get("second")
            second = int(second) if second is not None else None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise EvalFileError(
                f'{path} regel {number}: verwacht {{"query": "...", "situation": N}}'
            ) from exc
        if not query:
            raise EvalFileError(f"{path} regel {number}: de vraag is leeg.")
        for value in (situation, second):
            if value is not None and not 0 <= value <= MAX_SITUATION:
                raise EvalFileError(
                    f"{path} regel {number}: situatie {value} bestaat niet "
                    f"(0 tot en met {MAX_SITUATION})."
                )
        if style is not None and style not in STYLES:
            raise EvalFileError(
                f"{path} regel {number}: stijl {style!r} onbekend (short, medium of long)."
            )
        cases.append(EvalCase(query, situation, style, second))
    if not cases:
        raise EvalFileError(f"{path} bevat geen vragen.")
    return cases


def evaluate(retriever: HybridRetriever, cases: list[EvalCase]) -> RetrievalScores:
    """Score the retriever's situation ranking on labelled queries: overall, per style when
    the cases carry one, and for confusers whether the first (or second) choice comes first."""
    rankings = [
        [m.situation for m in retriever.match_situations(case.query, k=100)] for case in cases
    ]
    scores = _scores(cases, rankings)
    by_style = {}
    for style in STYLES:
        picked = [i for i, c in enumerate(cases) if c.style == style]
        if picked:
            by_style[style] = _scores([cases[i] for i in picked], [rankings[i] for i in picked])
    confusers = [(c, r) for c, r in zip(cases, rankings, strict=True) if c.second is not None]
    first = either = None
    if confusers:
        n = len(confusers)
        first = round(sum(r[:1] == [c.situation] for c, r in confusers) / n, 4)
        either = round(
            sum(bool(r) and r[0] in (c.situation, c.second) for c, r in confusers) / n, 4
        )
    return RetrievalScores(
        scores.n, scores.hit1, scores.hit3, scores.mrr, scores.misses, by_style, first, either
    )


def _scores(cases: list[EvalCase], rankings: list[list[int]]) -> RetrievalScores:
    hit1 = hit3 = 0
    reciprocal = 0.0
    misses = []
    for case, ranking in zip(cases, rankings, strict=True):
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
