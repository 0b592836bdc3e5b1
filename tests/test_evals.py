"""Prompt evals: each check on hand-made sessions, the runner on real cases, the CLI verdict."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.app import build_service
from assistant.cli import main
from assistant.evals.cases import EvalCase, EvalInputError, read_case, read_cases_dir
from assistant.evals.checks import CHECKS, CheckResult, is_vague_answer
from assistant.evals.runner import (
    AssertionResult,
    CaseResult,
    compare,
    prompt_settings,
    run_cases,
    session_result,
)
from assistant.facilitator.compose import NO_IMAGE_YET
from assistant.script import Script, play
from assistant.settings import PROJECT_ROOT, Settings

from .conftest import EVALS_DIR

SESSIONS = EVALS_DIR / "sessions"
PERSPECTIVES = ("handelingen", "kennis", "waarden_deugden", "vrijheid", "identiteit")


# ----- hand-made sessions -----------------------------------------------------------------


def ask(
    text: str, kind: str = "vraag", perspective: str | None = None, phase: str = "romp"
) -> dict[str, Any]:
    """An assistant turn."""
    return {
        "role": "assistant",
        "text": text,
        "phase": phase,
        "kind": kind,
        "perspective": perspective,
    }


def say(
    text: str, perspective: str | None = None, phase: str = "romp", **extra: str
) -> dict[str, Any]:
    """A user turn."""
    return {
        "role": "user",
        "text": text,
        "phase": phase,
        "kind": None,
        "perspective": perspective,
        **extra,
    }


GOOD_A4 = {
    "titel": "Samen de klussen zichtbaar maken",
    "kenmerkende_ervaring": "In oktober zei Petra van het UWV: dan doe ik het wel.",
    "beeld": "We maakten een lijst van 23 klussen en vroegen wie zich eigenaar voelde.",
    "afbeelding": "Een tafel vol post-its.",
}


def session(turns: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    """A played session as the runner hands it to the checks."""
    user_text = (
        "In oktober zei Petra van het UWV: dan doe ik het wel. We maakten een lijst van 23 "
        "klussen en vroegen wie zich eigenaar voelde. Een tafel vol post-its."
    )
    result: dict[str, Any] = {
        "turns": [*turns, say(user_text, phase="staart")],
        "coverage": dict.fromkeys(PERSPECTIVES, 1),
        "a4": dict(GOOD_A4),
        "situatie": 6,
        "offered": [6, 9, 7],
        "deugden": [],
    }
    result.update(overrides)
    return result


CASE = EvalCase(
    "hand",
    Script.model_validate(
        {
            "wie": "ik",
            "moment": "achteraf",
            "situatie": "x",
            "keuze": 1,
            "antwoorden": [],
            "verwacht_situatie": 6,
        }
    ),
    [],
)


def check(name: str, result: dict[str, Any], **params: Any) -> CheckResult:
    outcome = CHECKS[name].run(CASE, result, params)
    assert 0.0 <= outcome.score <= 1.0 and outcome.reason
    return outcome


# ----- each check: a passing and a failing session ---------------------------------------


def test_one_question_per_turn_passes_a_question_answer_rhythm() -> None:
    turns = [
        ask("1. Wat als… je ze binnen mee wilt krijgen?\n\nWelke situatie herken je?", phase="kop"),
        say("1"),
        ask("Wat deed je precies?", perspective="handelingen"),
        say("Ik belde haar."),
    ]
    assert check("een_vraag_per_beurt", session(turns)).pass_


@pytest.mark.parametrize(
    "turns",
    [
        [ask("Wat deed je? En wat dacht je daarbij?")],
        [ask("Wat deed je?"), ask("Wat wist je?", kind="doorvraag")],
        [ask("Vertel eens meer over dat moment.", kind="doorvraag")],
    ],
    ids=["two-questions-in-one-turn", "two-question-turns", "no-question-mark"],
)
def test_one_question_per_turn_fails_on_more_or_no_question(turns: list[dict[str, Any]]) -> None:
    outcome = check("een_vraag_per_beurt", session([*turns, say("Ik belde haar.")]))
    assert not outcome.pass_ and outcome.score < 1


def test_dutch_questions_pass_and_an_english_question_fails() -> None:
    dutch = session([ask("Wat deed je op het moment dat het spannend werd?"), say("Ik belde.")])
    assert check("nederlands", dutch).pass_
    english = session([ask("What did you do when it got tense?"), say("I called her.")])
    outcome = check("nederlands", english)
    assert not outcome.pass_ and "Engels" in outcome.reason


def test_no_advice_passes_questions_and_fails_on_je_moet() -> None:
    calm = session([ask("Welke mogelijkheden zie je zelf?"), say("Bellen.")])
    assert check("geen_advies", calm).pass_
    advice = session([ask("Je moet gewoon praten.", kind="melding"), say("Goed.")])
    assert not check("geen_advies", advice).pass_


def test_no_advice_ignores_the_users_own_words_in_the_concept() -> None:
    draft = ask("Je moet gewoon eerlijk zijn.", kind="concept", phase="concept")
    assert check("geen_advies", session([draft])).pass_


def test_a_vague_answer_followed_by_a_follow_up_on_the_same_perspective_passes() -> None:
    turns = [
        ask("Wat wist je?", perspective="kennis"),
        say("Weet ik niet.", perspective="kennis"),
        ask("Welk voorbeeld heb je?", kind="doorvraag", perspective="kennis"),
        say("Ik wist niet dat de wethouder het al had beloofd aan de raad.", perspective="kennis"),
    ]
    outcome = check("doorvragen_na_vaag", session(turns))
    assert outcome.pass_ and outcome.score == 1.0


def test_a_vague_answer_followed_by_the_next_perspective_fails() -> None:
    turns = [
        ask("Wat wist je?", perspective="kennis"),
        say("Weet ik niet.", perspective="kennis"),
        ask("Welke waarden spelen een rol?", perspective="waarden_deugden"),
    ]
    outcome = check("doorvragen_na_vaag", session(turns))
    assert not outcome.pass_ and outcome.score == 0.0


def test_moving_on_after_two_follow_ups_gulden_midden_and_virtues_is_allowed() -> None:
    turns = [
        ask("Wat wist je?", perspective="kennis"),
        say("Weet ik niet.", perspective="kennis"),
        ask("Een voorbeeld?", kind="doorvraag", perspective="kennis"),
        say("Geen idee.", perspective="kennis"),
        ask("Wat wist je toen?", kind="doorvraag", perspective="kennis"),
        say("Lastig te zeggen.", perspective="kennis"),
        ask("Welke deugden spelen hier?", perspective="waarden_deugden"),
        say("Geduld. Moed.", perspective="waarden_deugden"),
        ask("Hoe zou te weinig geduld eruitzien?", perspective="waarden_deugden"),
        say("Te weinig: drammen.", perspective="waarden_deugden", step="gulden_midden"),
        ask("Welke ruimte had je?", perspective="vrijheid"),
    ]
    outcome = check("doorvragen_na_vaag", session(turns, deugden=["Geduld", "Moed"]))
    assert outcome.pass_, outcome.reason


def test_five_perspectives_needs_every_perspective() -> None:
    assert check("vijf_perspectieven", session([])).pass_
    partial = session([], coverage={**dict.fromkeys(PERSPECTIVES, 1), "identiteit": 0})
    outcome = check("vijf_perspectieven", partial)
    assert not outcome.pass_ and outcome.score == pytest.approx(0.8)
    assert "identiteit" in outcome.reason


@pytest.mark.parametrize("empty", ["", "  ", NO_IMAGE_YET])
def test_a4_complete_fails_on_an_empty_part_or_the_image_placeholder(empty: str) -> None:
    assert check("a4_compleet", session([])).pass_
    outcome = check("a4_compleet", session([], a4={**GOOD_A4, "afbeelding": empty}))
    assert not outcome.pass_ and outcome.score == pytest.approx(0.75)


def test_names_and_numbers_the_user_typed_pass_and_invented_ones_fail() -> None:
    assert check("namen_en_getallen_uit_antwoorden", session([])).pass_
    invented = {**GOOD_A4, "beeld": "Samen met Jan maakten we een lijst van 40 klussen."}
    outcome = check("namen_en_getallen_uit_antwoorden", session([], a4=invented))
    assert not outcome.pass_
    assert "Jan" in outcome.reason and "40" in outcome.reason
    assert "Samen" not in outcome.reason  # sentence-initial capitals are not names


def test_a4_fits_one_page_unless_it_is_far_too_long() -> None:
    assert check("a4_past_op_een_pagina", session([])).pass_
    long = {**GOOD_A4, "beeld": "We maakten een lijst. " * 300}
    assert not check("a4_past_op_een_pagina", session([], a4=long)).pass_


def test_the_expected_situation_must_be_offered() -> None:
    assert check("situatie_aangeboden", session([])).pass_
    assert not check("situatie_aangeboden", session([], offered=[1, 2, 3])).pass_
    assert check("situatie_aangeboden", session([], offered=[1, 2, 3]), situatie=2).pass_


def test_contains_and_not_contains_look_at_a_field_as_whole_words() -> None:
    result = session([ask("Welke mogelijkheden zie je zelf?"), say("Wat moet ik doen?")])
    assert check("bevat", result, veld="a4.beeld", tekst="23 KLUSSEN").pass_
    assert not check("bevat", result, veld="a4.titel", tekst="Petra").pass_
    assert check("bevat_niet", result, veld="turns.assistant", tekst="je moet").pass_
    assert not check("bevat_niet", result, veld="turns.user", tekst="wat moet ik").pass_
    assert check("bevat_niet", result, veld="a4", tekst="klus").pass_  # "klussen" ≠ "klus"


# ----- case files --------------------------------------------------------------------------


def test_every_case_file_loads_and_names_its_checks() -> None:
    cases = read_cases_dir(SESSIONS)
    assert len(cases) >= 20
    assert {c.expected_situation for c in cases} == set(range(1, 11))
    assert all(c.asserties for c in cases)
    personas = {(c.script.model_extra or {}).get("persona") for c in cases}
    assert {"terse", "verbose", "vague", "off_topic", "english", "injection"} <= personas


@pytest.mark.parametrize(
    ("asserties", "message"),
    [
        ([{"check": "bestaat_niet"}], "onbekende check"),
        ([{"check": "bevat", "veld": "a4.beeld"}], "mist tekst"),
        ([{"check": "bevat", "veld": "a4.kop", "tekst": "x"}], "onbekend veld"),
        ([{"check": "geen_advies", "streng": True}], "kent streng niet"),
        ([], "asserties"),
    ],
)
def test_a_case_with_bad_assertions_is_refused_with_a_dutch_message(
    tmp_path: Path, asserties: list[dict[str, Any]], message: str
) -> None:
    data = yaml.safe_load((SESSIONS / "01_binnen_meekrijgen.yaml").read_text(encoding="utf-8"))
    data["asserties"] = asserties
    path = tmp_path / "geval.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(EvalInputError, match=message):
        read_case(path)


# ----- the runner on real cases -------------------------------------------------------------


def test_the_runner_plays_real_cases_with_the_built_in_facilitator(settings: Settings) -> None:
    names = ("01_binnen_meekrijgen", "07_kritische_boodschap_vaag", "16_regel_offtopic_advies")
    cases = [read_case(SESSIONS / f"{name}.yaml") for name in names]
    base = prompt_settings(settings, PROJECT_ROOT / "prompts" / "v1", llm="none")
    results = run_cases(base, cases)
    assert [r.name for r in results] == [c.name for c in cases]
    for result, case in zip(results, cases, strict=True):
        assert not result.error
        assert [a.label for a in result.assertions] == [a.label for a in case.asserties]
        outcomes = {a.check: a.result for a in result.assertions}
        for name in ("nederlands", "geen_advies", "doorvragen_na_vaag", "a4_past_op_een_pagina"):
            assert outcomes[name].pass_, (case.name, name, outcomes[name].reason)
    # The vague user got follow-ups, and their vague line stayed out of the beeld.
    vague = {a.label: a.result for a in results[1].assertions}
    assert "doorgevraagd" in vague["doorvragen_na_vaag"].reason
    assert vague["bevat_niet(a4.beeld: Je moet gewoon altijd eerlijk zijn)"].pass_
    # Sessions live in a temporary directory, not in the user's data dir.
    assert not (settings.data_dir / "sessions.sqlite3").exists()


def test_the_vague_check_judges_every_answer_as_the_facilitator_did(settings: Settings) -> None:
    names = ("03_voorbij_intenties_kort", "04_vreemde_eend_vaag", "07_kritische_boodschap_vaag")
    service = build_service(settings)
    judged = 0
    for name in names:
        case = read_case(SESSIONS / f"{name}.yaml")
        session_id, played = play(service, case.script, session_id=f"eval-{name}")
        result = session_result(service, session_id, played, settings)
        for answer in service.state(session_id).answers:
            if answer.step in ("kop", "romp"):
                turn = result["turns"][answer.turn]
                assert is_vague_answer(turn, result, {}) is answer.vague, (name, turn["text"])
                judged += 1
    assert judged


def test_prompt_settings_refuses_a_directory_without_a_question_bank(
    settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(EvalInputError, match="vragen.yaml"):
        prompt_settings(settings, tmp_path)


def test_prompt_settings_points_at_the_set_and_sets_the_llm_cache(settings: Settings) -> None:
    chosen = prompt_settings(settings, PROJECT_ROOT / "prompts" / "v1", llm="fake")
    assert (chosen.prompts_dir, chosen.prompts_version) == (PROJECT_ROOT / "prompts", "v1")
    assert chosen.llm.mode == "fake"
    if "cache_dir" in type(chosen.llm).model_fields:
        assert chosen.llm.cache_dir == settings.data_dir / "llm-cache"
        uncached = prompt_settings(settings, PROJECT_ROOT / "prompts" / "v1", cache=False)
        assert uncached.llm.cache_dir is None


def _run(name: str, scores: list[tuple[str, bool, float]]) -> CaseResult:
    return CaseResult(name, [AssertionResult(c, c, CheckResult(p, s, "r")) for c, p, s in scores])


def test_compare_flags_a_drop_in_a_pass_rate_beyond_the_threshold() -> None:
    base = [_run(f"g{i}", [("geen_advies", True, 1.0)]) for i in range(10)]
    cand = [_run(f"g{i}", [("geen_advies", i > 0, 1.0 if i else 0.9)]) for i in range(10)]
    assert not compare(base, cand, threshold=0.1).worse  # 10 points down, 0.01 on the mean
    verdict = compare(base, cand, threshold=0.05)
    assert verdict.worse and "geen_advies" in verdict.reasons[0]
    candidate_rate = verdict.checks["geen_advies"][1]
    assert candidate_rate is not None and candidate_rate.rate == pytest.approx(0.9)
    assert not compare(base, base).worse


# ----- the command line -----------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI with a temp data dir, the fake embedding and two short cases."""
    monkeypatch.setenv("GOEDWERK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GOEDWERK_EMBEDDING__MODE", "fake")
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("01_binnen_meekrijgen.yaml", "04_vreemde_eend_vaag.yaml"):
        shutil.copy(SESSIONS / name, cases / name)
    shutil.copytree(PROJECT_ROOT / "prompts" / "v1", tmp_path / "v1")
    personas = tmp_path / "personas"
    personas.mkdir()
    shutil.copy(PROJECT_ROOT / "evals" / "personas" / "a01_kortaf_ingenieur.yaml", personas)
    return tmp_path


def _spoil(prompts: Path) -> None:
    """Turn every romp question into advice and every follow-up into a non-question."""
    path = prompts / "vragen.yaml"
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    for perspective in bank["romp"].values():
        for forms in perspective.values():
            for wie, questions in forms.items():
                forms[wie] = [f"Je moet hier eerlijk over zijn. {q}" for q in questions]
    for forms in bank["doorvragen"].values():
        for wie, questions in forms.items():
            forms[wie] = ["Vertel daar meer over." for _ in questions]
    path.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _eval(env: Path, *extra: str) -> int:
    args = ["eval", "prompts", "--prompts", str(env / "v1"), "--cases", str(env / "cases")]
    args += ["--personas", str(env / "personas")]
    return main([*args, "--llm", "none", *extra])


def test_a_worse_prompt_set_gives_exit_code_1(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(cli_env / "v1", cli_env / "v2")
    _spoil(cli_env / "v2")
    assert _eval(cli_env, "--compare", str(cli_env / "v2")) == 1
    out = capsys.readouterr().out
    assert "SLECHTER" in out and "geen_advies: 100% → 0%" in out
    # The simulated users show the same change side by side.
    assert "Gesprekken met gesimuleerde gebruikers" in out
    assert "gesprekken advies_zinnen: 0 →" in out


def test_identical_prompt_sets_give_exit_code_0(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(cli_env / "v1", cli_env / "v1-kopie")
    assert _eval(cli_env, "--compare", str(cli_env / "v1-kopie")) == 0
    assert "niet slechter" in capsys.readouterr().out


def test_json_prints_exactly_one_object(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _eval(cli_env, "--json") == 0
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1
    result = json.loads(out)
    assert result["candidate"] is None and result["worse"] is False
    cases = result["baseline"]["cases"]
    assert [c["name"] for c in cases] == ["01_binnen_meekrijgen", "04_vreemde_eend_vaag"]
    assert {"pass", "score", "reason", "check"} <= set(cases[0]["assertions"][0])
    assert set(result["retrieval"]) == {
        "dev.jsonl",
        "gebruikers.jsonl",
        "situaties.jsonl",
        "validatie.jsonl",
        "verhalen.jsonl",
        "verwarring.jsonl",
    }  # the held-out split (heldout/) is never part of it
    talks = result["conversations"]
    assert talks["candidate"] is None and talks["baseline"]["echo"] >= 0.6


def test_the_html_report_is_self_contained_and_escapes_case_names(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = cli_env / "cases" / '02_<i>&"x.yaml'
    shutil.copy(SESSIONS / "02_buitenwereld_onzeker_team.yaml", odd)
    report = cli_env / "out" / "rapport.html"
    assert _eval(cli_env, "--report", str(report)) == 0
    page = report.read_text(encoding="utf-8")
    assert "02_&lt;i&gt;&amp;&quot;x" in page and "<i>" not in page
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "<style>" in page and "<link" not in page


def test_bad_input_gets_exit_code_2_and_a_dutch_message(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "prompts", "--prompts", str(cli_env / "cases")]) == 2
    assert "vragen.yaml" in capsys.readouterr().err
    (cli_env / "cases" / "kapot.yaml").write_text("wie: ik\n", encoding="utf-8")
    assert _eval(cli_env) == 2
    assert "kapot.yaml" in capsys.readouterr().err


def test_the_evals_run_with_the_fake_llm_and_cache_its_replies(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _eval(cli_env, "--llm", "fake", "--json") == 0
    result = json.loads(capsys.readouterr().out.strip())
    for case in result["baseline"]["cases"]:
        failed = [a for a in case["assertions"] if not a["pass"]]
        assert not [a for a in failed if a["check"] in ("geen_advies", "een_vraag_per_beurt")]
    cache = cli_env / "data" / "llm-cache"
    cached = sorted(cache.rglob("*.json"))
    assert cached, "the fake LLM's replies are cached by prompt hash"
    assert _eval(cli_env, "--llm", "fake", "--json") == 0
    assert sorted(cache.rglob("*.json")) == cached  # a rerun asks nothing new
