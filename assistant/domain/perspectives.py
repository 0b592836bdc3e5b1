"""The five perspectives of the method and the order the handreiking suggests."""

from __future__ import annotations

from enum import StrEnum


class Perspectief(StrEnum):
    """The five perspectives of the method, in the booklet's numbering order."""

    HANDELINGEN = "handelingen"
    KENNIS = "kennis"
    IDENTITEIT = "identiteit"
    WAARDEN_DEUGDEN = "waarden_deugden"
    VRIJHEID = "vrijheid"

    @property
    def label(self) -> str:
        """The Dutch display name."""
        return PERSPECTIEF_LABELS[self]


PERSPECTIEF_LABELS: dict[Perspectief, str] = {
    Perspectief.HANDELINGEN: "Handelingen",
    Perspectief.KENNIS: "Kennis",
    Perspectief.IDENTITEIT: "Identiteit",
    Perspectief.WAARDEN_DEUGDEN: "Waarden en deugden",
    Perspectief.VRIJHEID: "Vrijheid",
}


# The handreiking's order for those who want structure: Handelingen and Kennis; Waarden en
# deugden and Vrijheid; Identiteit.
METHOD_ORDER: tuple[Perspectief, ...] = (
    Perspectief.HANDELINGEN,
    Perspectief.KENNIS,
    Perspectief.WAARDEN_DEUGDEN,
    Perspectief.VRIJHEID,
    Perspectief.IDENTITEIT,
)
