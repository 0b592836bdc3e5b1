"""Join codes: random, 50 bits, unambiguous, forgiving in what people type; the limiter."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from assistant.facilitator.questions import load_question_bank
from assistant.settings import PROJECT_ROOT
from assistant.teams import TeamError, TeamService, TeamStore, TooManyAttempts
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


def test_guessing_from_one_address_with_fresh_browsers_locks_that_address_only(
    tmp_path: Path,
) -> None:
    now = [0.0]
    bank = load_question_bank(PROJECT_ROOT / "prompts", "v1")
    service = TeamService(
        TeamStore(tmp_path / "teams.sqlite3"), bank, {1: "Situatie een"}, clock=lambda: now[0]
    )
    team = service.create("coach", 1)
    service.join(team.code, "lid", "", address="10.0.0.5")  # on the guesser's address already
    wrong = "ZZZZZ-ZZZZZ" if team.code != "ZZZZZ-ZZZZZ" else "YYYYY-YYYYY"
    refused = 0
    for i in range(120):  # the probe: a fresh browser key for every guess, one address
        try:
            service.join(wrong, f"vers-{i}", "", address="10.0.0.5")
        except TooManyAttempts:
            refused += 1
        except TeamError as exc:
            assert "Bij deze code hoort geen team" in str(exc)
        now[0] += 0.1
    assert refused == 100  # after 20 wrong codes the address is refused every code
    with pytest.raises(TooManyAttempts, match="Te vaak een onjuiste code"):
        service.join(team.code, "nog-een-vers", "", address="10.0.0.5")
    # Someone on another address, and someone already in, are not held up by the guesser.
    assert service.join(team.code, "deelnemer", "", address="10.0.0.9").label == "Deelnemer 2"
    assert service.join(team.code, "lid", "", address="10.0.0.5").label == "Deelnemer 1"
    assert service.limiter.tracked()[1] <= service.limiter.global_limit
    now[0] += 601  # the window has passed
    assert service.join(team.code, "nog-een-vers", "", address="10.0.0.5").label == "Deelnemer 3"


def test_the_page_passes_the_client_address() -> None:
    from types import SimpleNamespace

    from assistant.ui.serving import PageContext

    request = SimpleNamespace(client=SimpleNamespace(host="192.0.2.7"))
    assert PageContext.address(None, request) == "192.0.2.7"  # type: ignore[arg-type]
    assert PageContext.address(None, None) == ""  # type: ignore[arg-type]
