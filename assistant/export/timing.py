"""The schedule of a 2-hour intervision session for a group of 2 to 12 people.

The booklet's handreiking: standard 2 hours; from 2 to at most 12 participants; per subgroup
of at most 6 one facilitator leads the conversation and one constructs the beeld van goed
werk (so 12 participants need 3, preferably 4 facilitators).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.domain.perspectives import METHOD_ORDER
from assistant.errors import GoedwerkError

TOTAL_MINUTES = 120
MIN_GROUP = 2
MAX_GROUP = 12
MAX_SUBGROUP = 6  # the booklet: one facilitator per subgroup of at most 6


class GuideError(GoedwerkError, ValueError):
    """Input the guide cannot be made for; the message is Dutch, for the user."""


@dataclass(frozen=True)
class Block:
    """One part of the session: `key` is opening, kop, romp, staart, plenair or afsluiting."""

    key: str
    name: str
    minutes: int
    note: str


@dataclass(frozen=True)
class Timing:
    """The schedule of a 2-hour session for one group size."""

    group_size: int
    subgroup_sizes: tuple[int, ...]
    blocks: tuple[Block, ...]
    perspective_minutes: int

    @property
    def subgroups(self) -> int:
        """How many subgroups talk at the same time (1: the whole group together)."""
        return len(self.subgroup_sizes)

    @property
    def total(self) -> int:
        """Minutes of all blocks together."""
        return sum(b.minutes for b in self.blocks)

    def minutes(self, key: str) -> int:
        """Minutes of one block; 0 when the schedule has no such block."""
        return sum(b.minutes for b in self.blocks if b.key == key)

    @property
    def facilitation(self) -> str:
        """Who is needed to facilitate, in Dutch."""
        if self.subgroups == 1:
            return (
                "Eén begeleider leidt het gesprek; liefst legt een tweede het beeld van goed "
                "werk vast (titel, ervaring, beeld, afbeelding)."
            )
        sizes = " en ".join(str(n) for n in self.subgroup_sizes)
        return (
            f"Splits de groep in {self.subgroups} subgroepen ({sizes} deelnemers), elk met een "
            f"eigen begeleider: minstens {self.subgroups + 1}, liefst {2 * self.subgroups} "
            "begeleiders, per subgroep één die het gesprek leidt en één die het beeld van goed "
            "werk vastlegt. Opening en afsluiting zijn plenair."
        )


def _round5(minutes: float) -> int:
    return int((minutes + 2.5) // 5) * 5


def session_timing(group_size: int) -> Timing:
    """The 120-minute schedule for `group_size` people (2 to 12).

    The first round of the kop grows with the people in a (sub)group, about three minutes
    each; the romp gets what is left, split evenly over the five perspectives. Above six
    people the group splits into subgroups of at most six that talk at the same time, and a
    plenary round shares their beelden.
    """
    if not MIN_GROUP <= group_size <= MAX_GROUP:
        raise GuideError(
            f"De groepsgrootte moet tussen {MIN_GROUP} en {MAX_GROUP} deelnemers liggen "
            f"(gekregen: {group_size})."
        )
    count = -(-group_size // MAX_SUBGROUP)
    base, extra = divmod(group_size, count)
    sizes = tuple(base + (1 if i < extra else 0) for i in range(count))
    split = count > 1
    kop = _round5(4 + 3 * sizes[0])
    opening, staart, closing = 10, (20 if split else 25), 5
    plenary = 5 + 5 * count if split else 0
    romp = TOTAL_MINUTES - opening - kop - staart - plenary - closing
    per_perspective = romp // len(METHOD_ORDER)
    where = " (in de subgroepen)" if split else ""
    blocks = [
        Block(
            "opening",
            "Opening en situatie lezen",
            opening,
            "Welkom en doel van het gesprek; lees samen de situatie en de toelichting rustig "
            "door." + (" Verdeel daarna de groep in subgroepen." if split else ""),
        ),
        Block(
            "kop",
            "Kop: eerste ronde" + where,
            kop,
            f"Iedereen brengt een eigen ervaring in, ongeveer {round(kop / sizes[0])} minuten "
            "per persoon, zonder dat de anderen meteen reageren.",
        ),
        Block(
            "romp",
            "Romp: vijf perspectieven" + where,
            romp,
            f"Ongeveer {per_perspective} minuten per perspectief. Wie houvast zoekt: eerst "
            "Handelingen en Kennis, dan Waarden en deugden en Vrijheid, tot slot Identiteit.",
        ),
        Block(
            "staart",
            "Staart: beeld van goed werk" + where,
            staart,
            "Breng de verhalen en opvattingen samen tot een (gedeeld) beeld van goed werk en "
            "vul het rijke A4’tje in.",
        ),
    ]
    if split:
        blocks.append(
            Block(
                "plenair",
                "Plenair: beelden delen",
                plenary,
                "Elke subgroep laat zijn beeld van goed werk zien; bespreek overeenkomsten en "
                "verschillen.",
            )
        )
    blocks.append(
        Block("afsluiting", "Afsluiting", closing, "Wat neemt ieder mee? Wat spreken we af?")
    )
    return Timing(group_size, sizes, tuple(blocks), per_perspective)
