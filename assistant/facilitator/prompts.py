"""LLM prompts (`prompts/<version>/llm/*.yaml`): declared variables, strict rendering, fences.

Each prompt file declares its variables; rendering with a missing or an unknown variable is an
error. Material from users or from the collection is passed through `fence()`, so the model sees
it as a quotation between markers that the material itself cannot close.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.facilitator.questions import PromptsMissing
from assistant.templates import TemplateError, placeholders, render

FENCE_OPEN = "<<<CITAAT"
FENCE_CLOSE = "CITAAT>>>"
PROMPT_NAMES = ("vraag_herformuleren", "vaagheid", "beeld_schrijven", "titels")


def fence(text: str) -> str:
    """Quote material for a prompt; fence markers inside it are defused."""
    cleaned = text.replace("<<<", "‹‹‹").replace(">>>", "›››")
    return f"{FENCE_OPEN}\n{cleaned.strip()}\n{FENCE_CLOSE}"


class PromptFile(BaseModel):
    """One prompt: a system text and a user text with declared variables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    beschrijving: str
    variabelen: list[str] = Field(min_length=1)
    systeem: str
    tekst: str

    @model_validator(mode="after")
    def _declared(self) -> PromptFile:
        used = placeholders(self.systeem) | placeholders(self.tekst)
        if undeclared := used - set(self.variabelen):
            raise ValueError(f"niet gedeclareerde variabele(n) {sorted(undeclared)}")
        if unused := set(self.variabelen) - used:
            raise ValueError(f"gedeclareerde maar ongebruikte variabele(n) {sorted(unused)}")
        return self


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt ready to send: system text and user text, and the name and values it came from.

    A model is sent the texts; a fake answers by `name` and `variables`, never by the wording.
    """

    system: str
    user: str
    name: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PromptSet:
    """The LLM prompts of one prompt version."""

    version: str
    prompts: dict[str, PromptFile]

    def render(self, name: str, **variables: str) -> RenderedPrompt:
        """Render a prompt; every declared variable must be given, no others."""
        prompt = self.prompts[name]
        declared = frozenset(prompt.variabelen)
        if missing := declared - variables.keys():
            raise TemplateError(f"Prompt {name}: ontbrekende variabele(n) {sorted(missing)}")
        system_vars = {k: v for k, v in variables.items() if k in placeholders(prompt.systeem)}
        user_vars = {k: v for k, v in variables.items() if k in placeholders(prompt.tekst)}
        if undeclared := variables.keys() - declared:
            raise TemplateError(f"Prompt {name}: onbekende variabele(n) {sorted(undeclared)}")
        return RenderedPrompt(
            system=render(prompt.systeem, declared, **system_vars).strip(),
            user=render(prompt.tekst, declared, **user_vars).strip(),
            name=name,
            variables=dict(variables),
        )


def load_prompt_set(prompts_dir: Path, version: str) -> PromptSet:
    """Load and validate every prompt of `prompts_dir/version/llm/`."""
    directory = prompts_dir / version / "llm"
    prompts: dict[str, PromptFile] = {}
    for name in PROMPT_NAMES:
        path = directory / f"{name}.yaml"
        if not path.is_file():
            raise PromptsMissing(f"Prompt ontbreekt: {path}")
        try:
            prompts[name] = PromptFile.model_validate(yaml.safe_load(path.read_text("utf-8")))
        except ValidationError as exc:
            raise TemplateError(f"Prompt {path} klopt niet:\n{exc}") from exc
    return PromptSet(version=version, prompts=prompts)
