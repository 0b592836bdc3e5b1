"""Typed records of the curated corpus (the YAML files in `corpus/`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.domain.perspectives import Perspectief

# Readable names of the source texts, for showing where a quote comes from.
SOURCE_TITLES: dict[str, str] = {
    "004_d619ba5fbae2261f.txt": "Beelden van goed werk in samenwerking",
    "002_da155ee923d7f03f.txt": "Loopbaanpraktijken in gemeenten (A+O fonds Gemeenten)",
    "003_9723ce89685e712b.txt": "Whitepaper professionele identiteit",
    "000_4e52e9ad32a27b41.txt": "Professionals zelf weer aan het stuur",
    "001_db83b993a7497b43.txt": "Uitvoerend team wil integrale diensten kunnen leveren",
}


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bron(_Record):
    """Provenance: the source file and the 1-based, inclusive line range a text came from."""

    bestand: str = Field(description="file name in corpus/sources/")
    van: int = Field(ge=1, description="first line (1-based)")
    tot: int = Field(ge=1, description="last line (1-based, inclusive)")

    def label(self) -> str:
        """Human-readable provenance, e.g. `Beelden van goed werk in samenwerking, r. 364-417`."""
        return f"{SOURCE_TITLES.get(self.bestand, self.bestand)}, r. {self.van}-{self.tot}"


class Situatie(_Record):
    """One of the critical collaboration situations of booklet 004."""

    id: int = Field(ge=1)
    titel: str
    beschrijving: str
    perspectieven: dict[Perspectief, str] = Field(description="booklet text per perspective")
    deugden: list[str] = Field(description="virtues the Waarden en deugden text names")
    bron: Bron


class Beeld(_Record):
    """A beeld van goed werk from booklet 004 (two per situation)."""

    id: str = Field(description="situation id plus letter, e.g. '3b'")
    situatie: int
    titel: str = Field(description="pakkende titel")
    kenmerkende_ervaring: str
    beeld: str = Field(description="beeld van goed werk")
    naam: str | None = Field(description="first name as the booklet gives it, if any")
    bron: Bron


class Deugd(_Record):
    """An entry of the booklet's Overzicht van deugden."""

    naam: str
    bron: Bron


class Sectie(_Record):
    """A headed section of a longer text; one retrieval chunk."""

    kop: str
    tekst: str
    bron: Bron


class Tekst(_Record):
    """A practice, case or background text with its sections."""

    id: str
    kind: Literal["praktijk", "achtergrond"]
    soort: str = Field(description="e.g. organisatie, medewerker, team, whitepaper")
    titel: str
    secties: list[Sectie]
    bron: Bron


class Herkenning(_Record):
    """Hand-written signals by which a person would recognise a situation (not from a source)."""

    situatie: int
    signalen: list[str]
