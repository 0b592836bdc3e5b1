"""Team (intervision) sessions: a coach and participants on one situation, one shared A4."""

from assistant.teams.models import (
    PART_LABELS,
    PARTS,
    CoachPart,
    CoachView,
    Contribution,
    Participant,
    PartView,
    SharedBeeld,
    Team,
    TeamError,
    TooManyAttempts,
    TraceItem,
)
from assistant.teams.service import TeamService
from assistant.teams.store import TeamStore

__all__ = [
    "PARTS",
    "PART_LABELS",
    "CoachPart",
    "CoachView",
    "Contribution",
    "PartView",
    "Participant",
    "SharedBeeld",
    "Team",
    "TeamError",
    "TeamService",
    "TeamStore",
    "TooManyAttempts",
    "TraceItem",
]
