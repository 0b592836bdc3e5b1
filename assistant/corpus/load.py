"""Load the curated corpus records from the `corpus/` directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter

from assistant.corpus import yamlio
from assistant.corpus.models import Beeld, Deugd, Herkenning, Situatie, Tekst
from assistant.errors import Unavailable

FILES = {
    "situaties": "situaties.yaml",
    "beelden": "beelden.yaml",
    "deugden": "deugden.yaml",
    "praktijken": "praktijken.yaml",
    "achtergrond": "achtergrond.yaml",
    "herkenning": "herkenning.yaml",
}


class CorpusError(Unavailable, RuntimeError):
    """The corpus directory is missing a file or a record does not validate."""


@dataclass(frozen=True)
class Corpus:
    """All curated records, validated."""

    situaties: list[Situatie]
    beelden: list[Beeld]
    deugden: list[Deugd]
    praktijken: list[Tekst]
    achtergrond: list[Tekst]
    herkenning: list[Herkenning]

    def situatie(self, situatie_id: int) -> Situatie:
        """The situation with this id."""
        for situatie in self.situaties:
            if situatie.id == situatie_id:
                return situatie
        raise KeyError(situatie_id)

    def beelden_bij(self, situatie_id: int) -> list[Beeld]:
        """The booklet's beelden for one situation."""
        return [b for b in self.beelden if b.situatie == situatie_id]

    def signalen_bij(self, situatie_id: int) -> list[str]:
        """Hand-written recognition signals for one situation."""
        return [s for h in self.herkenning if h.situatie == situatie_id for s in h.signalen]


def _load_list(directory: Path, name: str, model: type) -> list:
    path = directory / FILES[name]
    if not path.exists():
        raise CorpusError(f"Corpusbestand ontbreekt: {path}")
    try:
        return TypeAdapter(list[model]).validate_python(yamlio.read(path) or [])  # type: ignore[valid-type]
    except ValueError as exc:
        raise CorpusError(f"Corpusbestand {path} klopt niet: {exc}") from exc


def load_corpus(directory: Path) -> Corpus:
    """Read and validate every record file in `directory`."""
    return Corpus(
        situaties=_load_list(directory, "situaties", Situatie),
        beelden=_load_list(directory, "beelden", Beeld),
        deugden=_load_list(directory, "deugden", Deugd),
        praktijken=_load_list(directory, "praktijken", Tekst),
        achtergrond=_load_list(directory, "achtergrond", Tekst),
        herkenning=_load_list(directory, "herkenning", Herkenning),
    )
