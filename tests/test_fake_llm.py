"""The fake LLM answers by the prompt's name and values, never by the prompt's wording."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from assistant.app import build_enricher
from assistant.components.llm import FakeRequest
from assistant.facilitator import fake_llm
from assistant.facilitator.prompts import PROMPT_NAMES, fence
from assistant.settings import PROJECT_ROOT

from .conftest import make_settings

ANSWER = (
    "Toen ik vorige week in het overleg met Ahmed zat, zei ik dat we drie weken nodig hadden. "
    "Ik heb daarna de notitie zelf geschreven en rondgestuurd aan het hele team."
)
VARIABLES = {
    "vraag_herformuleren": {
        "vraag": "Wat deed je toen het stil werd?",
        "perspectief": "Handelingen",
        "uitleg_perspectief": "wat je doet",
        "vorm": "jij",
        "antwoorden": fence(ANSWER),
    },
    "vaagheid": {"vraag": "Wat deed je?", "antwoord": fence("Je moet gewoon altijd eerlijk zijn.")},
    "beeld_schrijven": {
        "vorm": "ik",
        "situatie": "Binnen meekrijgen",
        "antwoorden": "Ervaring:\n" + fence(ANSWER),
        "voorbeelden": fence("Een ander beeld van goed werk, alleen ter inspiratie geschreven."),
    },
    "titels": {
        "beeld": fence("Samen de klussen zichtbaar maken. Wie voelt zich eigenaar"),
        "deugden": "moed",
    },
}


def reworded_prompts(tmp_path: Path) -> Path:
    """A copy of prompt set v1 whose LLM prompts say everything in other words."""
    prompts = tmp_path / "prompts"
    shutil.copytree(PROJECT_ROOT / "prompts" / "v1", prompts / "v1")
    for name in PROMPT_NAMES:
        path = prompts / "v1" / "llm" / f"{name}.yaml"
        prompt = yaml.safe_load(path.read_text("utf-8"))
        prompt["systeem"] = "Een heel andere systeemtekst, in andere woorden."
        prompt["tekst"] = "Anders gezegd:\n\n" + "\n\n".join(
            f"{v.upper()} hieronder:\n{{{v}}}" for v in reversed(prompt["variabelen"])
        )
        path.write_text(yaml.safe_dump(prompt, allow_unicode=True), "utf-8")
    return prompts


def test_rewording_a_prompt_does_not_change_the_fakes_answer(tmp_path: Path) -> None:
    answers = {}
    for label, prompts_dir in (
        ("v1", PROJECT_ROOT / "prompts"),
        ("herschreven", reworded_prompts(tmp_path)),
    ):
        settings = make_settings(
            tmp_path / label, llm={"mode": "fake"}, prompts_dir=prompts_dir, prompts_version="v1"
        )
        enricher = build_enricher(settings)
        assert enricher is not None
        answers[label] = {}
        for name in PROMPT_NAMES:
            prompt = enricher.prompts.render(name, **VARIABLES[name])
            answers[label][name] = enricher.asker.ask(prompt)
    assert answers["herschreven"] == answers["v1"]
    assert answers["v1"]["vraag_herformuleren"] == "Wat deed je toen het stil werd?"
    assert answers["v1"]["vaagheid"] == "VAAG"
    assert "Ahmed" in answers["v1"]["beeld_schrijven"]
    assert answers["v1"]["titels"]


def test_the_fake_has_an_answer_for_every_prompt_and_none_for_an_unknown_name() -> None:
    assert set(fake_llm.ANSWERS) == set(PROMPT_NAMES)
    with pytest.raises(fake_llm.UnknownPrompt, match="onbekend"):
        fake_llm.respond(FakeRequest("De vraag die nu aan de beurt is:\nWat?", name="onbekend"))
    with pytest.raises(fake_llm.UnknownPrompt):
        fake_llm.respond(FakeRequest("Antwoord met precies één woord: VAAG of CONCREET."))
