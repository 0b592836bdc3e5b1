"""Ownership lives in the service: another owner's session, beeld or team is refused by every
service call, and erase(owner) removes all of one owner's data and nothing of anyone else's."""

from __future__ import annotations

import pytest

from assistant.app import build_service
from assistant.domain.perspectives import Perspectief
from assistant.service import (
    ChoosePerspective,
    ChooseSituation,
    Edit,
    ReflectionService,
    ToDraft,
    UnknownSession,
)
from assistant.sessions.files import personal_key
from assistant.settings import Settings
from assistant.teams import TeamError

from .on_disk import files_holding

ANNA, BERT = "anna", "bert"
ANNA_MARK, BERT_MARK = "ANNAMERK-7731", "BERTMERK-4410"


@pytest.fixture
def service(settings: Settings) -> ReflectionService:
    return build_service(settings)


def finished(service: ReflectionService, owner: str, mark: str) -> str:
    """A session of `owner` drafted to the A4, with `mark` in its text, an image and an export."""
    session_id, _ = service.start("ik", "achteraf", owner=owner)
    service.send(session_id, f"De samenwerking rond de {mark} loopt vast.", owner=owner)
    service.act(session_id, ChooseSituation(index=1), owner=owner)
    service.act(session_id, ToDraft(), owner=owner)
    service.act(session_id, Edit(part="titel", value=f"De {mark}"), owner=owner)
    service.act(session_id, Edit(part="beeld", value=f"Goed werk was de {mark}."), owner=owner)
    exports = service.files.exports(session_id)
    exports.mkdir(parents=True)
    (exports / "beeld.md").write_text(f"# De {mark}\n", encoding="utf-8")
    uploads = service.files.uploads(session_id)
    uploads.mkdir(parents=True)
    (uploads / "afbeelding.png").write_bytes(mark.encode())
    return session_id


def test_every_session_call_refuses_another_owners_session(service: ReflectionService) -> None:
    session_id = finished(service, ANNA, ANNA_MARK)
    with pytest.raises(UnknownSession):
        service.state(session_id, BERT)
    with pytest.raises(UnknownSession):
        service.send(session_id, "Ik lees mee.", owner=BERT)
    with pytest.raises(UnknownSession):
        service.act(session_id, ChoosePerspective(perspective=Perspectief.KENNIS), owner=BERT)
    with pytest.raises(UnknownSession):
        service.transcript(session_id, BERT)
    with pytest.raises(UnknownSession):
        service.publication_preview(session_id, True, owner=BERT)
    with pytest.raises(UnknownSession):
        service.publish(session_id, consent=True, use_initials=True, owner=BERT)
    assert service.find(session_id, BERT) is None
    assert service.list_sessions(BERT) == []
    assert service.delete(session_id, BERT) is False
    assert not service.may_fetch(session_id, BERT)
    assert service.may_fetch(session_id, ANNA)
    assert service.state(session_id, ANNA).a4.titel == f"De {ANNA_MARK}"  # all still there


def test_a_shared_beeld_is_only_listed_and_removed_by_its_owner(service: ReflectionService) -> None:
    session_id = finished(service, ANNA, ANNA_MARK)
    stored = service.publish(session_id, consent=True, use_initials=True, owner=ANNA)
    assert service.published(session_id, BERT) == []
    assert service.unpublish(session_id, stored.id, BERT) is False
    assert [b.id for b in service.published(session_id, ANNA)] == [stored.id]
    assert service.unpublish(session_id, stored.id, ANNA) is True


def test_a_team_is_refused_to_who_is_not_in_it(service: ReflectionService) -> None:
    team = service.teams.create(ANNA, 1)
    with pytest.raises(TeamError):
        service.teams.team_for(team.id, BERT)
    with pytest.raises(TeamError):
        service.delete_team(team.id, BERT)
    assert not service.may_fetch(f"team-{team.id}", BERT)
    session_id = finished(service, BERT, BERT_MARK)
    with pytest.raises(TeamError):  # bert is not in anna's team
        service.share_with_team(team.id, session_id, BERT, consent=True)
    service.teams.join(team.code, BERT, "")
    with pytest.raises(TeamError):  # nor can he share a session that is not his
        service.share_with_team(team.id, finished(service, ANNA, ANNA_MARK), BERT, consent=True)


def test_erase_leaves_no_byte_of_the_owner_and_everything_of_others(
    service: ReflectionService, settings: Settings
) -> None:
    anna_session = finished(service, ANNA, ANNA_MARK)
    bert_session = finished(service, BERT, BERT_MARK)
    led = service.teams.create(ANNA, 2)
    joined = service.teams.create(BERT, 3)
    service.teams.join(joined.code, ANNA, "")
    service.teams.contribute(joined.id, ANNA, "kop", f"Toen de {ANNA_MARK} begon.")
    service.share_with_team(joined.id, anna_session, ANNA, consent=True)
    guide = service.files.exports(personal_key(ANNA))
    guide.mkdir(parents=True)
    (guide / "gids.pdf").write_bytes(ANNA_MARK.encode())
    assert files_holding(settings.data_dir, ANNA_MARK)  # the check can see it

    assert service.erase(ANNA) == 1
    assert files_holding(settings.data_dir, ANNA_MARK) == []
    assert service.list_sessions(ANNA) == []
    assert service.teams.teams_of(ANNA) == []
    with pytest.raises(TeamError):
        service.teams.team_for(led.id, ANNA)
    # Bert keeps his session, its files and his team.
    assert service.state(bert_session, BERT).a4.titel == f"De {BERT_MARK}"
    assert (service.files.exports(bert_session) / "beeld.md").exists()
    assert [t.id for t in service.teams.teams_of(BERT)] == [joined.id]
    assert "sessions.sqlite3" in files_holding(settings.data_dir, BERT_MARK)


def test_erase_takes_the_owners_beelden_out_of_the_collection(service: ReflectionService) -> None:
    session_id = finished(service, ANNA, ANNA_MARK)
    stored = service.publish(session_id, consent=True, use_initials=True, owner=ANNA)
    service.erase(ANNA)
    assert all(b.id != stored.id for b in service.collection.all())
