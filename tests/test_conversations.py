"""The simulated users: every persona plays a whole session, and the figures meet the targets
of the listening facilitator, without an LLM and with the fake one."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evals.conversations import Persona, _Player, read_personas, run_personas
from assistant.evals.runner import prompt_settings
from assistant.settings import PROJECT_ROOT

from .conftest import make_settings

PERSONAS = PROJECT_ROOT / "evals" / "personas"


def test_the_persona_set_covers_every_situation_ik_and_wij_before_and_after() -> None:
    personas = read_personas(PERSONAS)
    assert len(personas) >= 14
    assert {p.situatie for p in personas} >= set(range(11))
    assert {p.wie for p in personas} == {"ik", "wij"}
    assert {p.moment for p in personas} == {"achteraf", "vooruit"}


def test_the_player_answers_from_the_part_asked_and_behaves_once() -> None:
    persona = read_personas(PERSONAS)[0]
    player = _Player(persona)
    behaviour = next(b for b in persona.gedrag)
    assert player.reply(behaviour.bij) == behaviour.tekst
    assert player.reply(behaviour.bij) != behaviour.tekst


@pytest.mark.parametrize("llm", ["none", "fake"])
def test_the_personas_meet_the_listening_targets(tmp_path: Path, llm: str) -> None:
    # With the clarifying question on, as users meet it: the personas answer it and go on.
    settings = make_settings(tmp_path / "data", facilitator={})
    base = prompt_settings(settings, PROJECT_ROOT / "prompts" / "v1", llm=llm)
    result = run_personas(base, read_personas(PERSONAS))
    total = result["totaal"]
    assert total["echo"] >= 0.6 and total["depth"] >= 4
    for key in (
        "gevoel_erkend",
        "meta_hersteld",
        "advies_zonder_advies",
        "vaag_doorgevraagd",
        "overgeslagen_aangeboden",
    ):
        done, n = total[key]
        assert n and done == n, key
    slips = {
        name: {k: row[k] for k in ("herhaald", "vorm_fout", "tijd_fout") if row[k]}
        for name, row in result["personas"].items()
    }
    assert not any(slips.values()), slips
    assert total["advies_zinnen"] == 0 and total["spiegels_max"] <= 3


def test_a_broken_persona_file_is_refused_in_dutch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "x.yaml").write_text("naam: x\nwie: zij\n", encoding="utf-8")
    with pytest.raises(Exception, match="Persona x.yaml is ongeldig"):
        read_personas(tmp_path)
    assert Persona  # the model is the persona file's schema
