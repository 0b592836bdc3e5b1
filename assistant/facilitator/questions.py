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
from assistant.facilitator.listening import Kind
from assistant.templates import (
    DEUGD,
    DEUGDEN,
    NONE,
    PERSPECTIEVEN,
    SITUATIE,
    WOORDEN,
    TemplateError,
    placeholders,
)


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


class Verduidelijking(_Strict):
    """The one clarifying question before the offer: for a very short description, and for
    one that fits two situations almost equally."""

    kort: Forms
    twijfel: Forms


class Voorbereiding(_Strict):
    situatie: Forms
    keuze: Forms
    eigen: Forms
    verduidelijking: Verduidelijking


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
    samen: Forms
    samenvatten: Forms
    overgeslagen: Forms


class Spiegel(_Strict):
    inleiding: Forms


class Luisteren(_Strict):
    """Questions on the user's own words: a quoting lead, then a question by phrase kind."""

    inleiding: Forms
    citaat_inleiding: Forms
    achteraf: dict[str, Forms]
    vooruit: dict[str, Forms]

    @model_validator(mode="after")
    def _every_kind(self) -> Luisteren:
        needed = {k.value for k in Kind if k is not Kind.KERN}
        needed |= {f"kern_{p.value}" for p in Perspectief}
        for moment in ("achteraf", "vooruit"):
            if missing := needed - getattr(self, moment).keys():
                raise ValueError(f"luisteren.{moment}: ontbreekt {sorted(missing)}")
        return self

    def of(self, moment: str, key: str) -> Forms:
        """The questions for a phrase kind (or `kern_<perspectief>`) at this moment."""
        forms: Forms = getattr(self, moment)[key]
        return forms


class AndersGevraagd(_Strict):
    """Each perspective's question put another way."""

    handelingen: Forms
    kennis: Forms
    waarden_deugden: Forms
    vrijheid: Forms
    identiteit: Forms

    def of(self, perspectief: Perspectief) -> Forms:
        """The rephrasing of one perspective's question."""
        forms: Forms = getattr(self, perspectief.value)
        return forms


class Afstemmen(_Strict):
    """Acknowledgement of a feeling, the offer to pause, and repairs of meta-talk."""

    erkenning: Forms
    pauze: Forms
    herhaling: Forms
    onduidelijk: Forms
    klacht: Forms
    anders_gevraagd: AndersGevraagd
    verschil: AndersGevraagd


class Verhaal(_Strict):
    """The kop when a story is there already, what it lacks, and an opinion asked back."""

    inzoomen: Forms
    vooruitkijken: Forms
    vooruitkijken_aan_tafel: Forms
    rol: Forms
    afloop: Forms
    verwachting: Forms
    zorg: Forms
    hoop: Forms
    na_gevoel: Forms
    na_gevoel_vooruit: Forms
    mening: Forms


OPENING_KEYS = ("goed_werk", "doen", "belangrijk", "weten", "ruimte", "gekend")


class Beeld(_Strict):
    """The beeld built with the user: the building-block step, the title question, the
    sentence openings to complete, and the template sentences of the draft."""

    bouwstenen: Forms
    titel: Forms
    openingen: dict[str, Forms]
    deugden: Forms
    deugd: Forms
    opening_deugden: Forms

    @model_validator(mode="after")
    def _every_opening(self) -> Beeld:
        if missing := set(OPENING_KEYS) - self.openingen.keys():
            raise ValueError(f"beeld.openingen: ontbreekt {sorted(missing)}")
        if extra := self.openingen.keys() - set(OPENING_KEYS):
            raise ValueError(f"beeld.openingen: onbekend {sorted(extra)}")
        return self

    def opening_prompts(self, wie: Wie) -> dict[str, str]:
        """The sentence openings to complete, by key, with "…" for the words to write."""
        return {
            key: self.openingen[key].get(wie)[0].replace("{woorden}", "…") for key in OPENING_KEYS
        }


class Meldingen(_Strict):
    overslaan: str
    terug: str
    genoeg_doorgevraagd: str
    concept: str
    romp_start: str
    staart_start: str
    niets_meer: str
    beeld_klaar: str
    openingen: str
    deugden: str
    toegevoegd: str


# Which placeholders each section may use.
_ALLOWED: dict[str, frozenset[str]] = {
    "kop": SITUATIE,
    "deugden.gulden_midden": DEUGD,
    "luisteren.inleiding": WOORDEN,
    "luisteren.citaat_inleiding": WOORDEN,
    "verhaal.inzoomen": WOORDEN,
    "verhaal.vooruitkijken": WOORDEN,
    "verhaal.vooruitkijken_aan_tafel": WOORDEN,
    "staart.overgeslagen": PERSPECTIEVEN,
    "beeld.openingen": WOORDEN,
    "beeld.deugden": DEUGDEN,
    "beeld.deugd.": DEUGDEN,
    "beeld.opening_deugden": DEUGDEN,
}


def allowed_variables(path: str) -> frozenset[str]:
    """The placeholders a text at this path of the bank (`kop.achteraf.ik[0]`) may use."""
    return next((v for k, v in _ALLOWED.items() if path.lstrip(".").startswith(k)), NONE)


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
    luisteren: Luisteren
    afstemmen: Afstemmen
    verhaal: Verhaal
    beeld: Beeld

    @model_validator(mode="after")
    def _check_placeholders(self) -> QuestionBank:
        for path, text in _walk(self.model_dump()):
            allowed = allowed_variables(path)
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
