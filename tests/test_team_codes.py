"""Join codes: random, 50 bits, unambiguous, forgiving in what people type; the limiter."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from assistant.facilitator.questions import load_question_bank
from assistant.settings import PROJECT_ROOT
from assistant.teams import TeamService, TeamStore, TooManyAttempts
from assistant.teams.codes import (
    ALPHABET,
    CODE_BITS,
    JoinLimiter,
    format_code,
    new_code,
    normalise_code,
)


def test_a_code_has_fifty_bits_from_an_unambiguous_alphabet() -> None:
    assert len(set(ALPHABET)) == 32 and not set("ILOU") & set(ALPHABET)
    assert CODE_BITS >= 50
    codes = [new_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(f"[{ALPHABET}]{{10}}", c) for c in codes)
    # Every character position uses the whole alphabet (a broken generator would not).
    assert all(len({c[i] for c in codes}) == 32 for i in range(10))
    assert 10 * math.log2(len(ALPHABET)) == CODE_BITS


def test_a_code_is_shown_as_two_groups_of_five() -> None:
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", format_code(new_code()))


@pytest.mark.parametrize(
    "typed", ["ab1cd-ef0gh", " AB1CD EF0GH ", "abicd-efogh", "ABLCD—EF0GH".replace("—", "-")]
)
def test_typed_codes_are_normalised(typed: str) -> None:
    assert normalise_code(typed) == "AB1CDEF0GH"


@pytest.mark.parametrize("typed", ["", "ABCDE", "ABCDE-FGHJKM", "ABCDE-FGHJU", "ABCDE-FGH!K"])
def test_what_cannot_be_a_code_is_recognised(typed: str) -> None:
    assert normalise_code(typed) is None


def test_a_team_is_joined_with_the_code_typed_loosely(tmp_path: Path) -> None:
    bank = load_question_bank(PROJECT_ROOT / "prompts", "v1")
    service = TeamService(TeamStore(tmp_path / "teams.sqlite3"), bank, {1: "Situatie een"})
    team = service.create("coach", 1)
    loose = team.code.lower().replace("-", "  ").replace("0", "o").replace("1", "l")
    assert service.join(loose, "someone", "").team_id == team.id


def test_a_taken_code_is_not_given_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bank = load_question_bank(PROJECT_ROOT / "prompts", "v1")
    service = TeamService(TeamStore(tmp_path / "teams.sqlite3"), bank, {1: "Situatie een"})
    codes = iter(["AAAAAAAAAA", "AAAAAAAAAA", "BBBBBBBBBB"])
    monkeypatch.setattr("assistant.teams.service.new_code", lambda: next(codes))
    first, second = service.create("coach", 1), service.create("coach", 1)
    assert (first.code, second.code) == ("AAAAA-AAAAA", "BBBBB-BBBBB")


def test_the_limiter_forgets_failures_after_the_window_and_stays_small() -> None:
    now = [0.0]
    limiter = JoinLimiter(lambda: now[0], per_owner=2, global_limit=3, window_s=100)
    limiter.failed("a")
    now[0] = 10
    limiter.failed("a")
    with pytest.raises(TooManyAttempts, match="2 minuten") as locked:
        limiter.check("a")
    assert locked.value.retry_after == pytest.approx(90)
    limiter.check("b")
    now[0] = 101  # the first failure is out of the window
    limiter.check("a")
    for owner in "cdefgh":
        limiter.failed(owner)
    owners, failures = limiter.tracked()
    assert owners <= 3 and failures <= 3
