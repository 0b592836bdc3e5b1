"""The question bank: strict loading and rendering; every question renders."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.facilitator.questions import (
    DEUGD,
    NONE,
    QuestionBank,
    TemplateError,
    allowed_variables,
    load_question_bank,
    placeholders,
)
from assistant.settings import PROJECT_ROOT
from assistant.templates import render

PROMPTS = PROJECT_ROOT / "prompts"
VERSIONS = sorted(p.name for p in PROMPTS.iterdir() if (p / "vragen.yaml").is_file())


def _all_templates(bank: QuestionBank) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(data: object, path: str) -> None:
        if isinstance(data, str):
            found.append((path, data))
        elif isinstance(data, dict):
            for key, value in data.items():
                walk(value, f"{path}.{key}")
        elif isinstance(data, list):
            for index, value in enumerate(data):
                walk(value, f"{path}[{index}]")

    walk(bank.model_dump(), "")
    return found


@pytest.mark.parametrize("version", VERSIONS)
def test_every_question_of_every_bank_renders_with_its_declared_variables(version: str) -> None:
    bank = load_question_bank(PROMPTS, version)
    templates = _all_templates(bank)
    assert len(templates) > 100
    for path, template in templates:
        names = placeholders(template)
        allowed = allowed_variables(path)
        values = {name: "moed" for name in names}
        text = render(template, allowed, **values)
        assert "{" not in text and "}" not in text, path


def test_rendering_with_a_missing_variable_is_an_error() -> None:
    with pytest.raises(TemplateError, match="Ontbrekende"):
        render("Tussen welke ondeugden ligt {deugd}?", DEUGD)


def test_rendering_with_an_unknown_variable_is_an_error() -> None:
    with pytest.raises(TemplateError, match="Onbekende"):
        render("Wat vindt {collega} ervan?", DEUGD, collega="Piet")


def test_passing_an_undeclared_variable_is_an_error() -> None:
    with pytest.raises(TemplateError, match="Niet-gedeclareerde"):
        render("Wat raakt je?", NONE, situatie="x")


def test_a_bank_with_a_placeholder_outside_its_section_does_not_load(tmp_path: Path) -> None:
    data = yaml.safe_load((PROMPTS / "v1" / "vragen.yaml").read_text(encoding="utf-8"))
    data["staart"]["afronding"]["ik"][0] = "Wat vindt {collega} ervan?"
    (tmp_path / "kapot").mkdir()
    (tmp_path / "kapot" / "vragen.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(TemplateError, match="collega"):
        load_question_bank(tmp_path, "kapot")


def test_a_bank_with_an_unknown_section_does_not_load(tmp_path: Path) -> None:
    data = yaml.safe_load((PROMPTS / "v1" / "vragen.yaml").read_text(encoding="utf-8"))
    data["extra_sectie"] = {"ik": ["Wat?"], "wij": ["Wat?"]}
    (tmp_path / "kapot").mkdir()
    (tmp_path / "kapot" / "vragen.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(TemplateError, match="extra_sectie"):
        load_question_bank(tmp_path, "kapot")


def test_the_methods_own_questions_are_in_the_bank_verbatim() -> None:
    bank = load_question_bank(PROMPTS, "v1")
    assert "Wat zijn manieren om met deze situatie om te gaan?" in bank.romp.handelingen.methode.ik
    assert "Naar wie heb je je te verantwoorden over je keuzes?" in bank.romp.vrijheid.methode.ik
    assert (
        "Wat is nu, alles overwegend, mijn beeld van goed werk?".replace("mijn", "jouw")
        in bank.staart.afronding.ik
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_a_mirror_asks_nothing_itself(version: str) -> None:
    """A mirror stands beside the next question in one turn: were it a question too, the
    user would be asked two things at once ("Herken je dit? …" and then "Wie was je daar?")."""
    bank = load_question_bank(PROMPTS, version)
    for form in ("ik", "wij"):
        for lead in getattr(bank.spiegel.inleiding, form):
            assert "?" not in lead, lead
