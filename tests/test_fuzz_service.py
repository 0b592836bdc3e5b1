"""The service API under arbitrary input (hypothesis): it never fails, loses or changes text.

One service (fake embedding, temp data dir) serves the whole module; every example starts its
own session in it. After each action the state as the facilitator left it in memory (recorded
when the store saves it) must equal the state read back from the store, every accepted user
text must be in the transcript exactly as `clean_text` made it, and no assistant turn may give
advice. A text over MAX_TURN_CHARS gets the Dutch notice and leaves the session untouched.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from assistant.app import build_service
from assistant.domain.perspectives import Perspectief
from assistant.domain.session import A4_FIELDS, SessionState
from assistant.facilitator.events import Notice
from assistant.facilitator.language import gives_advice
from assistant.service import (
    A4_MAX_CHARS,
    MAX_TURN_CHARS,
    Action,
    Back,
    ChoosePerspective,
    ChooseSituation,
    ChooseVirtues,
    DismissMirror,
    Edit,
    ReflectionService,
    Skip,
    ToDraft,
)
from assistant.text import clean_text

from .conftest import make_settings

CONCRETE = (
    "Toen ik vorige week in het overleg met Ahmed van de provincie zat, zei ik dat we drie weken "
    "nodig hadden. Ik heb daarna de notitie zelf geschreven en rondgestuurd."
)
SPECIAL_TEXTS = [
    "",
    " ",
    "\n\t \r\n",
    "\x00",
    "a\x00b\x07c\x1b[31mrood\x7f\x85",
    "👩‍👩‍👧‍👦🏳️‍🌈👍🏽",
    "שלום, ik werk met مرحبا en 你好 samen \u202eomgekeerd\u202c",
    "e\u0301e\u0301n Cafe\u0301",  # decomposed accents become NFC
    "\ufeffBOM\u200b\u200d",
    "half an emoji \ud83d and a lone \udc00 surrogate",
    "e\x00\u0301",  # the accent meets its letter once the NUL is gone
    "sla over",
    "terug",
    "ga naar kennis",
    "ik ben klaar",
    "0",
    "geen",
    "2",
    "Wat moet ik doen? Wie heeft gelijk?",
    "<script>window.__xss=1</script>",
    CONCRETE,
    CONCRETE + " Geduld en moed speelden daarbij een rol.",
]


@dataclass(frozen=True)
class Send:
    """A typed user turn through `service.send`."""

    text: str


@dataclass(frozen=True)
class Pick:
    """A situation choice by number, in range or not (negative included)."""

    index: int


# Arbitrary Unicode, control characters and NUL included (surrogates too: a JSON API can
# deliver a lone surrogate as "\ud800").
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
long_text = st.builds(
    lambda s, n: (s * n)[:60_000], st.text(min_size=1, max_size=40), st.integers(1, 3000)
)
texts = st.one_of(st.sampled_from(SPECIAL_TEXTS), any_text, long_text)

actions: st.SearchStrategy[Send | Pick | Action] = st.one_of(
    st.builds(Send, texts),
    st.builds(Send, st.just("x" * (MAX_TURN_CHARS + 1))),
    st.builds(Pick, st.integers(-2, 8)),
    st.builds(ChoosePerspective, perspective=st.sampled_from(Perspectief)),
    st.builds(Skip),
    st.builds(Back),
    st.builds(ToDraft),
    st.builds(
        Edit,
        part=st.sampled_from(A4_FIELDS),
        value=texts,
    ),
    st.builds(DismissMirror, mirror_id=any_text),
    st.builds(
        ChooseVirtues,
        virtues=st.lists(st.one_of(st.sampled_from(["Geduld", "Moed", "Onzin", ""]), any_text)),
    ),
)


@dataclass
class Recorder:
    """The service plus the last state it saved per session, as it was in memory."""

    service: ReflectionService
    saved: dict[str, SessionState]


@pytest.fixture(scope="module")
def recorder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorder]:
    service = build_service(make_settings(tmp_path_factory.mktemp("fuzz") / "data"))
    saved: dict[str, SessionState] = {}
    store_save = service.store.save

    def recording_save(state: SessionState, handled_seq: int | None = None) -> None:
        saved[state.id] = state.model_copy(deep=True)
        store_save(state, handled_seq)

    service.store.save = recording_save  # type: ignore[method-assign]
    yield Recorder(service, saved)


def play(recorder: Recorder, steps: list[Send | Pick | Action]) -> None:
    service = recorder.service
    session_id, _ = service.start("ik", "achteraf")
    typed: list[str] = []  # accepted user texts, as they must appear in the transcript
    for step in steps:
        before = service.state(session_id)
        if isinstance(step, Send):
            events = service.send(session_id, step.text)
            if len(step.text) > MAX_TURN_CHARS:
                assert len(events) == 1 and isinstance(events[0], Notice)
                assert "te lang" in events[0].text
                assert service.state(session_id) == before  # nothing stored
                continue
            typed.append(clean_text(step.text))
        elif isinstance(step, Pick):
            if step.index < 0:  # refused where the action is made, before the service
                with pytest.raises(ValidationError):
                    ChooseSituation(index=step.index)
                continue
            service.act(session_id, ChooseSituation(index=step.index))
        else:
            service.act(session_id, step)
        after = service.state(session_id)
        if isinstance(step, Edit):
            if len(clean_text(step.value)) > A4_MAX_CHARS[step.part]:
                assert after == before  # refused with a notice, nothing stored
                continue
            assert getattr(after.a4, step.part) == clean_text(step.value)
        assert after == recorder.saved[session_id]
        assert after.turns[: len(before.turns)] == before.turns  # the transcript only grows
        if isinstance(step, Send):
            first_new = after.turns[len(before.turns)]
            assert first_new.role == "user" and first_new.text == typed[-1]
            assert unicodedata.is_normalized("NFC", first_new.text)
            assert all(
                unicodedata.category(c) not in ("Cc", "Cs") or c in "\n\t" for c in typed[-1]
            )
        said = iter(t.text for t in after.turns if t.role == "user")
        assert all(any(text == t for t in said) for text in typed)  # all of them, in order
        advice = [t.text for t in after.turns if t.role == "assistant" and gives_advice(t.text)]
        assert advice == []


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=st.lists(actions, max_size=12))
@example(steps=[Send(text) for text in SPECIAL_TEXTS])
def test_any_sequence_of_actions_is_handled_stored_and_kept_exactly(
    recorder: Recorder, steps: list[Send | Pick | Action]
) -> None:
    play(recorder, steps)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=st.lists(texts, min_size=1, max_size=8))
def test_arbitrary_answers_through_a_whole_session_are_kept_exactly(
    recorder: Recorder, answers: list[str]
) -> None:
    steps: list[Send | Pick | Action] = [
        Send("De samenwerking met de gemeente loopt vast."),
        ChooseSituation(index=1),
    ]
    steps += [Send(a) for a in answers] + [ToDraft()]
    play(recorder, steps)


def test_a_text_of_exactly_max_turn_chars_is_stored_in_full_and_one_more_gets_a_notice(
    recorder: Recorder,
) -> None:
    """At 1 MB (MAX_TURN_CHARS characters) a paste is a turn; one character more is refused.

    The refusal is a Dutch notice (the text stays in the input field); nothing is stored.
    """
    service = recorder.service
    session_id, _ = service.start("ik", "achteraf")
    service.send(session_id, "De samenwerking met de gemeente loopt vast.")
    service.act(session_id, ChooseSituation(index=1))
    paste = (CONCRETE + " ") * (MAX_TURN_CHARS // (len(CONCRETE) + 1) + 1)
    paste = paste[:MAX_TURN_CHARS]
    assert len(paste) == MAX_TURN_CHARS == 1_000_000

    before = service.state(session_id)
    events = service.send(session_id, paste + "x")
    assert [type(e) for e in events] == [Notice] and "te lang" in events[0].text
    assert "1.000.000" in events[0].text
    assert service.state(session_id) == before

    service.send(session_id, paste)
    turns = service.state(session_id).turns
    assert [t.text for t in turns if t.role == "user"][-1] == paste


def seconds_for_a_paste(service: ReflectionService, size: int) -> float:
    """Time one description and one kop answer of `size` characters."""
    text = ((CONCRETE + " ") * (size // len(CONCRETE) + 1))[:size]
    session_id, _ = service.start("ik", "achteraf")
    start = time.process_time()  # CPU time: what would blow up; disk syncs vary
    service.send(session_id, text)
    service.act(session_id, ChooseSituation(index=1))
    service.send(session_id, text)
    return time.process_time() - start


def test_a_one_megabyte_paste_costs_about_ten_times_a_hundred_kilobytes(
    recorder: Recorder,
) -> None:
    """No quadratic blow-up: ten times the text takes about ten times as long, not a hundred."""
    service = recorder.service
    seconds_for_a_paste(service, 10_000)  # warm caches
    small = min(seconds_for_a_paste(service, 100_000) for _ in range(2))
    large = seconds_for_a_paste(service, 1_000_000)
    print(f"100 kB: {small:.2f} s, 1 MB: {large:.2f} s")
    assert large < 30 * small + 1.0
