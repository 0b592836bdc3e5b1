"""Bounded work per turn: a very long text is stored whole but searched, and heard by the
facilitator, by a bounded part."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.app import build_service
from assistant.retrieval.setup import Knowledge, build_knowledge
from assistant.service import ChooseSituation, ReflectionService

from .conftest import make_settings

STORY = (
    "Toen ik vorige week met Ahmed van de gemeente sprak, zei ik dat wij de klus samen oppakken. "
)
SENTENCE = "De samenwerking met de gemeente loopt vast omdat niemand de klussen oppakt. "


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return build_knowledge(make_settings(tmp_path_factory.mktemp("bounded") / "data"))


def _recording(knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lengths of the texts retrieval embeds and scores from now on."""
    seen: list[int] = []
    retriever = knowledge.retriever
    kind = type(retriever._embedding)  # a pydantic model: patched on its class
    embed = kind.get_query_embedding
    score = retriever._lexical.scores

    def embedding(self: Any, query: str) -> list[float]:
        seen.append(len(query))
        return embed(self, query)

    def scores(query: str) -> np.ndarray:
        seen.append(len(query))
        return score(query)

    monkeypatch.setattr(kind, "get_query_embedding", embedding)
    monkeypatch.setattr(retriever._lexical, "scores", scores)
    return seen


def test_a_200000_character_text_is_searched_by_a_bounded_part(
    knowledge: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _recording(knowledge, monkeypatch)
    bound = knowledge.settings.retrieval.max_query_chars
    long_text = SENTENCE * (200_000 // len(SENTENCE))
    long = knowledge.retriever.match_situations(long_text, k=3)
    assert seen and max(seen) <= bound
    assert [m.situation for m in long] == [
        m.situation for m in knowledge.retriever.match_situations(long_text[:bound], k=3)
    ]


def test_a_short_query_is_searched_as_it_is(
    knowledge: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _recording(knowledge, monkeypatch)
    knowledge.retriever.match_situations(SENTENCE, k=3)
    assert set(seen) == {len(SENTENCE)}


def test_a_long_first_answer_is_stored_whole(tmp_path: Path, knowledge: Knowledge) -> None:
    service = build_service(make_settings(tmp_path / "data"), knowledge=knowledge)
    long_text = SENTENCE * 2000
    session_id, _ = service.start("ik", "achteraf")
    began = time.perf_counter()
    service.send(session_id, long_text)
    elapsed = time.perf_counter() - began
    state = service.state(session_id)
    stored = [t.text for t in state.turns if t.role == "user"]
    assert max(len(text) for text in stored) >= len(long_text.strip()) - 10
    print(f"first answer of {len(long_text)} characters: {elapsed:.2f} s")


def _in_the_kop(service: ReflectionService) -> str:
    session_id, _ = service.start("ik", "achteraf")
    service.send(session_id, "De samenwerking met de gemeente loopt vast.")
    service.act(session_id, ChooseSituation(index=1))
    return session_id


def test_a_200000_character_answer_is_heard_by_a_bounded_part_and_stored_whole(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    service = build_service(make_settings(tmp_path / "data"), knowledge=knowledge)
    bound = service.facilitator.config.max_answer_chars
    long_text = (STORY * (200_000 // len(STORY) + 1))[:200_000]
    session_id = _in_the_kop(service)
    for _ in range(3):  # the kop's story, then answers in the romp
        began = time.perf_counter()
        events = service.send(session_id, long_text)
        elapsed = time.perf_counter() - began
        assert events and elapsed < 2.0, f"a reply took {elapsed:.2f} s"
    state = service.state(session_id)
    said = [t.text for t in state.turns if t.role == "user"][-3:]
    assert [len(text) for text in said] == [len(long_text.strip())] * 3  # stored whole
    assert all(len(a.text) <= bound for a in state.answers)  # what the method drew on
    assert state.answers[-1].text == long_text[: len(state.answers[-1].text)]


def test_four_long_answers_at_once_do_not_hold_up_another_users_short_turn(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    service = build_service(make_settings(tmp_path / "data"), knowledge=knowledge)
    long_text = (STORY * (200_000 // len(STORY) + 1))[:200_000]
    pasting = [_in_the_kop(service) for _ in range(4)]
    other = _in_the_kop(service)
    began = time.perf_counter()
    service.send(other, STORY)
    alone = time.perf_counter() - began
    with ThreadPoolExecutor(5) as pool:
        longs = [pool.submit(service.send, sid, long_text) for sid in pasting]
        time.sleep(0.05)  # the long ones are under way
        began = time.perf_counter()
        pool.submit(service.send, other, STORY).result()
        short = time.perf_counter() - began
        for done in longs:
            done.result()
    assert short < 2.0, f"the short turn took {short:.2f} s beside four long ones"
    print(f"short turn alone {alone:.2f} s, beside four of 200,000 characters {short:.2f} s")
