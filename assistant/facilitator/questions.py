"""The question bank (`prompts/<version>/vragen.yaml`): strictly validated, rendered strictly.

Every text may use only the placeholders its section declares; rendering with a missing or an
unknown variable raises `TemplateError` (see `assistant.templates`).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import Wie
from assistant.errors import Unavailable
from assistant.templates import DEUGD, NONE, SITUATIE, TemplateError, placeholders


class PromptsMissing(Unavailable, FileNotFoundError):
    """A question bank or prompt file of the configured prompt set is not there."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Forms(_Strict):
    """The same questions in ik-form and wij-form."""

    ik: list[str] = Field(min_length=1)
    wij: list[str] = Field(min_length=1)

    def get(self, wie: Wie) -> list[str]:
        """The list for this form."""
        return self.ik if wie == "ik" else self.wij


class Voorbereiding(_Strict):
    situatie: Forms
    keuze: Forms
    eigen: Forms


class Kop(_Strict):
    achteraf: Forms
    vooruit: Forms


class PerspectiefVragen(_Strict):
    methode: Forms
    aanvullend: Forms
    vooruit: Forms


class Romp(_Strict):
    handelingen: PerspectiefVragen
    kennis: PerspectiefVragen
    waarden_deugden: PerspectiefVragen
    vrijheid: PerspectiefVragen
    identiteit: PerspectiefVragen

    def of(self, perspectief: Perspectief) -> PerspectiefVragen:
        """The questions of one perspective."""
        result: PerspectiefVragen = getattr(self, perspectief.value)
        return result


class Doorvragen(_Strict):
    kop: Forms
    handelingen: Forms
    kennis: Forms
    waarden_deugden: Forms
    vrijheid: Forms
    identiteit: Forms
    staart: Forms

    def of(self, key: str) -> Forms:
        """Follow-ups for a perspective value, `kop` or `staart`."""
        result: Forms = getattr(self, key)
        return result


class GeenAdvies(_Strict):
    melding: Forms
    vraag: Forms


class Deugden(_Strict):
    spanning: Forms
    gulden_midden: Forms


class Staart(_Strict):
    afronding: Forms
    afbeelding: Forms


class Spiegel(_Strict):
    inleiding: list[str] = Field(min_length=1)


class Meldingen(_Strict):
    overslaan: str
    terug: str
    genoeg_doorgevraagd: str
    concept: str
    romp_start: str
    staart_start: str


# Which placeholders each section may use.
_ALLOWED: dict[str, frozenset[str]] = {
    "kop": SITUATIE,
    "deugden.gulden_midden": DEUGD,
}


class QuestionBank(_Strict):
    """A versioned question bank."""

    versie: str
    beschrijving: str
    voorbereiding: Voorbereiding
    kop: Kop
    romp: Romp
    doorvragen: Doorvragen
    geen_advies: GeenAdvies
    deugden: Deugden
    staart: Staart
    spiegel: Spiegel
    meldingen: Meldingen

    @model_validator(mode="after")
    def _check_placeholders(self) -> QuestionBank:
        for path, text in _walk(self.model_dump()):
            allowed = next((v for k, v in _ALLOWED.items() if path.startswith(k)), NONE)
            if unknown := placeholders(text) - allowed:
                raise ValueError(f"{path}: variabele(n) {sorted(unknown)} niet toegestaan")
        midden = self.deugden.gulden_midden
        if any(placeholders(t) != DEUGD for t in midden.ik + midden.wij):
            raise ValueError("deugden.gulden_midden: elke vraag gebruikt {deugd}")
        return self


def _walk(data: object, path: str = "") -> list[tuple[str, str]]:
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, dict):
        return [item for k, v in data.items() for item in _walk(v, f"{path}.{k}".lstrip("."))]
    if isinstance(data, list):
        return [item for i, v in enumerate(data) for item in _walk(v, f"{path}[{i}]")]
    return []


def load_question_bank(prompts_dir: Path, version: str) -> QuestionBank:
    """Load and validate `prompts_dir/version/vragen.yaml`."""
    path = prompts_dir / version / "vragen.yaml"
    if not path.is_file():
        raise PromptsMissing(f"Vragenbank niet gevonden: {path}")
    try:
        return QuestionBank.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        raise TemplateError(f"Vragenbank {path} klopt niet:\n{exc}") from exc
