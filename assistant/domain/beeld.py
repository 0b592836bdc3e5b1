"""A beeld a user shared into the collection."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SavedBeeld:
    """A beeld a user chose to share into the collection (kind `eigen_beeld`)."""

    id: str
    titel: str
    kenmerkende_ervaring: str
    beeld: str
    situatie: int = 0
