"""The retrieval eval reads styles and second choices, reports per style and for confusers,
and refuses a line it cannot score with its number, in Dutch."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from assistant.retrieval.evaluate import EvalFileError, evaluate, read_cases


class Ranked:
    """A retriever double: a fixed ranking per query."""

    def __init__(self, rankings: dict[str, list[int]]) -> None:
        self.rankings = rankings

    def match_situations(self, query: str, k: int = 3) -> list[Any]:
        return [SimpleNamespace(situation=s) for s in self.rankings[query][:k]]


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_scores_per_style_and_for_confusers(tmp_path: Path) -> None:
    cases = read_cases(
        write(
            tmp_path / "set.jsonl",
            [
                {"query": "a", "situation": 1, "style": "short"},
                {"query": "b", "situation": 2, "style": "short"},
                {"query": "c", "situation": 3, "style": "long", "second": 4},
                {"query": "d", "situation": 5, "style": "long", "second": 6},
            ],
        )
    )
    retriever = Ranked({"a": [1, 2], "b": [3, 2], "c": [4, 3], "d": [5, 6]})
    scores = evaluate(retriever, cases)  # type: ignore[arg-type]
    assert (scores.hit1, scores.hit3) == (0.5, 1.0)
    assert scores.by_style["short"].hit1 == 0.5 and scores.by_style["long"].mrr == 0.75
    assert (scores.first_first, scores.either_first) == (0.5, 1.0)
    assert scores.as_json()["styles"]["long"]["hit@1"] == 0.5


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"query": "", "situation": 1}, r"regel 2: de vraag \(query\) is leeg"),
        ({"query": "x", "situation": 999999999999}, "regel 2: situatie 999999999999 bestaat niet"),
        ({"query": "x", "situation": 1, "second": 11}, "regel 2: situatie 11 bestaat niet"),
        ({"query": "x", "situation": 1, "style": "epic"}, "regel 2: stijl 'epic' onbekend"),
    ],
)
def test_a_line_that_cannot_be_scored_is_refused_with_its_number(
    tmp_path: Path, line: dict[str, Any], message: str
) -> None:
    path = write(tmp_path / "bad.jsonl", [{"query": "goed", "situation": 2}, line])
    with pytest.raises(EvalFileError, match=message):
        read_cases(path)


def test_the_held_out_split_is_kept_apart_from_what_eval_prompts_reads() -> None:
    from assistant.settings import PROJECT_ROOT

    retrieval = PROJECT_ROOT / "evals" / "retrieval"
    tuned = {p.name for p in retrieval.glob("*.jsonl")}
    held = {p.name for p in (retrieval / "heldout").glob("*.jsonl")}
    assert {"gebruikers.jsonl", "verhalen.jsonl", "verwarring.jsonl"} <= held <= tuned
    for name in held:  # the same kind of file, never the same query
        dev = {c.query for c in read_cases(retrieval / name)}
        assert not dev & {c.query for c in read_cases(retrieval / "heldout" / name)}
    styles = {c.style for c in read_cases(retrieval / "heldout" / "gebruikers.jsonl")}
    assert styles == {"short", "medium", "long"}


def test_compounds_and_users_words_meet_the_corpus_words() -> None:
    from assistant.retrieval.bm25 import LexicalIndex
    from assistant.retrieval.nodes import Node

    nodes = [
        Node(
            id="a",
            text="De woningcorporatie en de medewerker",
            kind="situatie",
            title="a",
            source="x",
        ),
        Node(id="b", text="De wethouder neemt het besluit", kind="situatie", title="b", source="x"),
    ]
    index = LexicalIndex(nodes, {"schepen": "wethouder"})
    assert index.terms("woningcorporatiemedewerker") == index.terms("woningcorporatie medewerker")
    scores = index.scores("de schepen wil het niet")
    assert scores[1] > 0 and scores[0] == 0
    assert index.terms("xyzxyzxyzxyz") == []  # no known parts: nothing invented
