"""Team (intervision) sessions: a coach opens one, participants join with a code on their own
device, each writes per part, the coach compares and drafts a shared rich A4 the group edits.

Following the handreiking ("Laat daarin iedereen iets inbrengen zonder meteen te reageren"),
a participant sees the others' contributions on a part only after giving their own.
Owner keys (a login name or a per-browser key) are never shown to anyone else: a participant
sees the team without the coach's key, the coach sees participants by label only.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import A4, A4_FIELDS, now
from assistant.facilitator.questions import QuestionBank
from assistant.locks import KeyedLocks
from assistant.teams.codes import JoinLimiter, format_code, new_code, normalise_code
from assistant.teams.compare import compare
from assistant.teams.draft import FALLBACK_TITLE, compose_team_a4
from assistant.teams.models import (
    CLOSING_QUESTIONS,
    COACH_TIPS,
    MAX_PARTICIPANTS,
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
    TraceItem,
)
from assistant.teams.store import TeamStore, new_id
from assistant.templates import NONE, SITUATIE, render
from assistant.text import clean_text

MAX_TEXT_CHARS = 20_000
MAX_NAME_CHARS = 40
_CODE_TRIES = 10

NO_ACCESS = "Dit team bestaat niet of je hebt er geen toegang toe."
NO_OWNER = "Zonder login of browsersleutel kan dit niet; open de pagina opnieuw."
COACH_ONLY = "Dat kan alleen de begeleider van dit team."
A4_AFTER_OWN = (
    "Het gezamenlijke A4 zie en bewerk je pas als je zelf iets hebt ingebracht op elk "
    "onderdeel waar het uit put."
)
NOT_JOINED = "Je doet nog niet mee als deelnemer; doe mee met de teamcode."
WRONG_CODE = "Bij deze code hoort geen team. Controleer de code en probeer het opnieuw."
BAD_CODE = "Een teamcode heeft 10 tekens, zoals ABCDE-12345."
NO_CONSENT = "Zonder uitdrukkelijke toestemming wordt er niets gedeeld."


class TeamService:
    """Create and join team sessions, contribute per part, compare, draft and share beelden."""

    def __init__(
        self,
        store: TeamStore,
        bank: QuestionBank,
        situations: dict[int, str],
        virtues: Sequence[str] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.bank = bank
        self.situations = dict(situations)
        self.virtues = list(virtues)
        self.limiter = JoinLimiter(clock)
        self._lock = KeyedLocks()

    # Access ---------------------------------------------------------------------------------

    def _access(self, team_id: str, owner: str) -> tuple[Team, Participant | None]:
        """The team and this owner as participant; TeamError unless coach or participant."""
        team = self.store.team(team_id) if owner else None
        me = self.store.participant(team_id, owner) if team else None
        if team is None or (team.coach != owner and me is None):
            raise TeamError(NO_ACCESS)
        return team, me

    def _as_participant(self, team_id: str, owner: str) -> tuple[Team, Participant]:
        team, me = self._access(team_id, owner)
        if me is None:
            raise TeamError(NOT_JOINED)
        return team, me

    def _as_coach(self, team_id: str, owner: str) -> Team:
        team, _ = self._access(team_id, owner)
        if team.coach != owner:
            raise TeamError(COACH_ONLY)
        return team

    def _shown(self, team: Team, owner: str) -> Team:
        """The team as this owner may see it: the coach's key only for the coach, the shared A4
        and its trace only when `_may_use_a4`."""
        if team.coach == owner:
            return team
        hidden: dict[str, object] = {"coach": ""}
        if not self._may_use_a4(team, owner):
            hidden |= {"a4": A4(), "trace": []}
        return team.model_copy(update=hidden)

    def _may_use_a4(self, team: Team, owner: str) -> bool:
        """ "First your own, then the others'" for the shared A4: the coach, or a participant
        who gave their own text on every part its sentences come from, may read and edit it."""
        if team.coach == owner:
            return True
        me = self.store.participant(team.id, owner)
        if me is None:
            return False
        contributions = self.store.contributions(team.id)
        mine = {c.part for c in contributions if c.participant_id == me.id}
        part_of = {c.id: c.part for c in contributions}
        return bool(mine) and {part_of.get(t.contribution_id, "") for t in team.trace} <= mine

    # Teams ----------------------------------------------------------------------------------

    def create(self, coach: str, situatie: int, wie: str = "wij", naming: str = "anoniem") -> Team:
        """Open a team session on a situation, with a fresh join code."""
        if not coach:
            raise TeamError(NO_OWNER)
        if situatie not in self.situations:
            raise TeamError(f"Situatie {situatie} bestaat niet; kies een situatie uit de lijst.")
        if wie not in ("ik", "wij"):
            raise TeamError("Kies de ik-vorm of de wij-vorm.")
        if naming not in ("naam", "anoniem"):
            raise TeamError("Kies of deelnemers met naam of anoniem meedoen.")
        for _ in range(_CODE_TRIES):
            code = new_code()
            team = Team.model_validate(
                {
                    "id": new_id(),
                    "code": format_code(code),
                    "coach": coach,
                    "situatie": situatie,
                    "wie": wie,
                    "naming": naming,
                    "created": now(),
                }
            )
            if self.store.add_team(team, code):
                return team
        raise TeamError("Er kon geen teamcode worden gemaakt; probeer het opnieuw.")

    def join(self, code: str, owner: str, name: str, address: str = "") -> Participant:
        """Join the team with this code; joining again returns the same participant.

        Wrong codes are counted per owner, per client `address` and over everyone. An owner or
        an address past its own limit is refused every code for a while (`TooManyAttempts`),
        except one for a team the owner is already in (or leads); past the limit over everyone
        only wrong codes are refused so, since codes are 50 bits, strangers guessing wrong
        from other addresses never lock out someone with the right code.
        """
        if not owner:
            raise TeamError(NO_OWNER)
        canonical = normalise_code(clean_text(code))
        if canonical is None:
            raise TeamError(BAD_CODE)
        locked_out = self.limiter.retry_after(owner, everyone=False, address=address) > 0
        team = self.store.team_by_code(canonical)
        existing = self.store.participant(team.id, owner) if team else None
        if existing is not None:
            return existing
        if locked_out and not (team and team.coach == owner):
            self.limiter.check(owner, everyone=False, address=address)
        if team is None:
            self.limiter.check(owner, address=address)
            self.limiter.failed(owner, address)
            raise TeamError(WRONG_CODE)
        name = " ".join(clean_text(name).split())
        if len(name) > MAX_NAME_CHARS:
            raise TeamError(f"Een naam heeft hoogstens {MAX_NAME_CHARS} tekens.")
        anonymous = team.naming == "anoniem"
        if not anonymous and not name:
            raise TeamError("Vul je naam in: in dit team doen deelnemers met naam mee.")
        with self._lock(team.id):
            participant = self.store.add_participant(
                team.id, owner, "" if anonymous else name, anonymous, MAX_PARTICIPANTS
            )
        if participant is None:
            raise TeamError(f"Dit team is vol: er doen al {MAX_PARTICIPANTS} deelnemers mee.")
        return participant

    def team_for(self, team_id: str, owner: str) -> Team:
        """The team, for its coach or a participant only."""
        team, _ = self._access(team_id, owner)
        return self._shown(team, owner)

    def teams_of(self, owner: str) -> list[Team]:
        """The teams this owner coaches or joined, newest first."""
        return [self._shown(t, owner) for t in self.store.teams_of(owner)] if owner else []

    def participant(self, team_id: str, owner: str) -> Participant | None:
        """This owner as a participant of the team, or None."""
        return self.store.participant(team_id, owner) if owner else None

    def delete_team(self, team_id: str, coach: str) -> bool:
        """Remove a team with its participants, contributions and shared beelden (coach only)."""
        self._as_coach(team_id, coach)
        with self._lock(team_id):
            deleted = self.store.delete_team(team_id)
        return deleted

    def leave(self, team_id: str, owner: str) -> bool:
        """Remove oneself from a team, with one's contributions and shared beelden.

        Sentences of the shared A4 drawn from one's contributions go too.
        """
        self._access(team_id, owner)
        with self._lock(team_id):
            team = self.store.team(team_id)
            me = self.store.participant(team_id, owner)
            if team is None or me is None:
                return False
            mine = {c.id for c in self.store.contributions(team_id) if c.participant_id == me.id}
            a4, trace = _without(team.a4, team.trace, mine)
            return self.store.remove_participant(team_id, me.id, a4, trace)

    # Contributions --------------------------------------------------------------------------

    def questions(self, team: Team, part: str) -> list[str]:
        """The method's questions for a part, in the team's ik- or wij-form."""
        wie = team.wie
        if part == "kop":
            titel = self.situations.get(team.situatie, "")
            return [render(q, SITUATIE, situatie=titel) for q in self.bank.kop.achteraf.get(wie)]
        if part == "staart":
            staart = self.bank.staart
            texts = staart.afronding.get(wie) + staart.samen.get(wie) + staart.afbeelding.get(wie)
        else:
            texts = self.bank.romp.of(Perspectief(part)).methode.get(wie)
        return [render(q, NONE) for q in texts]

    def view(self, team_id: str, owner: str) -> list[PartView]:
        """A participant's view per part: the others' texts only once one's own is given."""
        team, me = self._as_participant(team_id, owner)
        labels = {p.id: p.label for p in self.store.participants(team_id)}
        contributions = self.store.contributions(team_id)
        views: list[PartView] = []
        for part in PARTS:
            here = [c for c in contributions if c.part == part]
            own = next((c.text for c in here if c.participant_id == me.id), None)
            others = [(labels[c.participant_id], c.text) for c in here if c.participant_id != me.id]
            views.append(
                PartView(
                    part=part,
                    label=PART_LABELS[part],
                    questions=self.questions(team, part),
                    own=own,
                    others=others if own is not None else [],
                    hidden_count=0 if own is not None else len(others),
                )
            )
        return views

    def contribute(self, team_id: str, owner: str, part: str, text: str) -> Contribution:
        """Store one's text on a part, replacing one's earlier text there."""
        if part not in PARTS:
            raise TeamError(f"Onbekend onderdeel {part!r}.")
        text = clean_text(text).strip()
        if not text:
            raise TeamError("Er staat nog niets: schrijf eerst je eigen inbreng.")
        if len(text) > MAX_TEXT_CHARS:
            raise TeamError(f"Een bijdrage heeft hoogstens {MAX_TEXT_CHARS} tekens.")
        with self._lock(team_id):
            _, me = self._as_participant(team_id, owner)
            return self.store.put_contribution(team_id, me.id, part, text, now())

    def coach_view(self, team_id: str, coach: str) -> CoachView:
        """All contributions side by side per part, with agreement, differences and the
        handreiking's closing questions (coach only)."""
        team = self._as_coach(team_id, coach)
        participants = self.store.participants(team_id)
        labels = {p.id: p.label for p in participants}
        contributions = self.store.contributions(team_id)
        parts: list[CoachPart] = []
        for part in PARTS:
            side_by_side = [
                (labels[c.participant_id], c.text) for c in contributions if c.part == part
            ]
            comparison = compare(side_by_side, self.virtues)
            parts.append(
                CoachPart(
                    part=part,
                    label=PART_LABELS[part],
                    contributions=side_by_side,
                    agreement=comparison.agreement,
                    differences=comparison.differences,
                )
            )
        return CoachView(
            team=team,
            participants=[p.model_copy(update={"owner": ""}) for p in participants],
            parts=parts,
            closing_questions=list(CLOSING_QUESTIONS),
            tips=list(COACH_TIPS),
        )

    # The shared A4 --------------------------------------------------------------------------

    def draft_a4(self, team_id: str, coach: str) -> Team:
        """Compose the shared A4 from the participants' sentences, each traced (coach only)."""
        with self._lock(team_id):
            team = self._as_coach(team_id, coach)
            labels = {p.id: p.label for p in self.store.participants(team_id)}
            a4, trace = compose_team_a4(self.store.contributions(team_id), labels)
            self.store.save_a4(team_id, a4, trace)
        return team.model_copy(update={"a4": a4, "trace": trace})

    def edit_a4(self, team_id: str, owner: str, field: str, value: str) -> Team:
        """Change one field of the shared A4: the coach, or a participant who may read it
        (`_may_use_a4`); others could overwrite, or read back, words they have not earned yet.

        The trace keeps only the sentences that still stand in the edited field.
        """
        if field not in A4_FIELDS:
            raise TeamError(f"Onbekend onderdeel van het A4 {field!r}.")
        value = clean_text(value).strip()
        if len(value) > MAX_TEXT_CHARS:
            raise TeamError(f"Een onderdeel heeft hoogstens {MAX_TEXT_CHARS} tekens.")
        with self._lock(team_id):
            team, _ = self._access(team_id, owner)
            if not self._may_use_a4(team, owner):
                raise TeamError(A4_AFTER_OWN)
            a4 = team.a4.model_copy(update={field: value})
            folded = value.casefold()
            trace = [t for t in team.trace if t.field != field or t.sentence.casefold() in folded]
            self.store.save_a4(team_id, a4, trace)
        return self._shown(team.model_copy(update={"a4": a4, "trace": trace}), owner)

    # Individual beelden shown to the coach ---------------------------------------------------

    def share_beeld(
        self, team_id: str, owner: str, session_id: str, a4: A4, consent: bool
    ) -> SharedBeeld:
        """Let the coach see a copy of an A4 from one's own individual session (with consent).

        The caller checks that the session is the owner's; a later change to that session
        does not change the copy, deleting it does remove the copy (`forget_session`).
        """
        team, me = self._as_participant(team_id, owner)
        if consent is not True:
            raise TeamError(NO_CONSENT)
        fields = {f: clean_text(getattr(a4, f)).strip() for f in A4_FIELDS}
        if not any(fields.values()):
            raise TeamError("Dit beeld is nog leeg; er is niets om te delen.")
        if any(len(v) > MAX_TEXT_CHARS for v in fields.values()):
            raise TeamError(f"Een onderdeel heeft hoogstens {MAX_TEXT_CHARS} tekens.")
        beeld = SharedBeeld(
            id=new_id(),
            team_id=team.id,
            participant_label=me.label,
            session_id=clean_text(session_id),
            shared=now(),
            **fields,
        )
        self.store.add_share(beeld, me.id)
        return beeld

    def unshare_beeld(self, team_id: str, owner: str, beeld_id: str) -> bool:
        """Take back a beeld one shared; False when it is not one's own (or gone)."""
        _, me = self._access(team_id, owner)
        return self.store.remove_share(team_id, me.id, beeld_id) if me else False

    def shared_beelden(self, team_id: str, owner: str) -> list[SharedBeeld]:
        """The coach sees every beeld shared in the team; a participant their own."""
        team, me = self._access(team_id, owner)
        if team.coach != owner:
            return self.store.shares(team_id, me.id) if me else []
        own_label = me.label if me else None
        return [
            b if b.participant_label == own_label else b.model_copy(update={"session_id": ""})
            for b in self.store.shares(team_id)
        ]

    def forget_session(self, session_id: str) -> int:
        """Remove the copies shared from an individual session that was deleted."""
        return self.store.remove_session_shares(session_id)


def _without(
    a4: A4, trace: list[TraceItem], contribution_ids: set[str]
) -> tuple[A4, list[TraceItem]]:
    """The A4 and trace without the sentences drawn from these contributions."""
    values = a4.model_dump()
    for item in trace:
        if item.contribution_id not in contribution_ids:
            continue
        if item.field == "titel":
            if item.sentence.casefold() in values["titel"].casefold():
                values["titel"] = FALLBACK_TITLE
            continue
        text = values[item.field].replace(f"{item.sentence}…", "").replace(item.sentence, "")
        lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.split("\n")]
        values[item.field] = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    kept = [t for t in trace if t.contribution_id not in contribution_ids]
    return A4(**values), kept
