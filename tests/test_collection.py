"""Sharing a beeld into the collection: consent, initials, retrieval, removal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.app import build_service
from assistant.cli import main
from assistant.components.deidentify import BasicDeidentifier
from assistant.service import ChooseSituation, ConsentRequired, Edit, ReflectionService, ToDraft
from assistant.sessions.publish import deidentify

from .conftest import make_settings

STORY = "Toen ik met Karin van de gemeente Dalfsen sprak over het zeilbootproject, liep het vast."
BEELD = "Goed werk was laveren als een zeilboot: koers houden terwijl de wind steeds draait."


@pytest.fixture
def service(tmp_path: Path) -> ReflectionService:
    return build_service(make_settings(tmp_path / "data"))


def finished_session(service: ReflectionService) -> str:
    session_id, _ = service.start("ik", "achteraf")
    service.send(session_id, "De samenwerking met de gemeente loopt vast.")
    service.act(session_id, ChooseSituation(index=1))
    service.send(session_id, STORY + " Ik heb toen een gesprek georganiseerd.")
    service.act(session_id, ToDraft())
    service.act(session_id, Edit(part="titel", value="De zeilboot van Karin"))
    service.act(session_id, Edit(part="beeld", value=BEELD))
    return session_id


def matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[dict]:
    monkeypatch.setenv("GOEDWERK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GOEDWERK_EMBEDDING__MODE", "fake")
    capsys.readouterr()
    assert main(["match", "laveren zeilboot wind koers", "--soort", "beelden", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_nothing_is_shared_without_explicit_consent(service: ReflectionService) -> None:
    session_id = finished_session(service)
    with pytest.raises(ConsentRequired):
        service.publish(session_id, consent=False, use_initials=True)
    assert service.collection.all() == []


def test_names_can_be_replaced_by_initials_before_saving(service: ReflectionService) -> None:
    session_id = finished_session(service)
    preview, found = service.publication_preview(session_id, use_initials=True)
    assert {r.text for r in found} >= {"Karin", "Dalfsen"}
    assert "Karin" not in preview.titel + preview.kenmerkende_ervaring
    assert "K." in preview.titel
    stored = service.publish(session_id, consent=True, use_initials=True)
    assert "Karin" not in stored.kenmerkende_ervaring


def test_a_saved_beeld_is_found_by_match_and_gone_after_removal(
    service: ReflectionService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert all(m["soort"] != "eigen_beeld" for m in matches(tmp_path, monkeypatch, capsys))
    session_id = finished_session(service)
    stored = service.publish(session_id, consent=True, use_initials=False)
    found = matches(tmp_path, monkeypatch, capsys)
    assert found[0]["id"] == f"eigen_beeld-{stored.id}"
    assert service.unpublish(session_id, stored.id)
    assert all(m["soort"] != "eigen_beeld" for m in matches(tmp_path, monkeypatch, capsys))


def test_the_facilitator_mirrors_with_a_shared_beeld(service: ReflectionService) -> None:
    session_id = finished_session(service)
    service.publish(session_id, consent=True, use_initials=False)
    sources = service.facilitator.library.mirror_sources(1, "laveren zeilboot wind koers")
    assert any(s.id.startswith("eigen_beeld-") for s in sources)


def test_initials_keep_sentences_readable() -> None:
    text = "Op maandag belde Gert-Jan. Ik sprak Karin."
    assert deidentify(text, BasicDeidentifier())[0] == "Op maandag belde G.-J. Ik sprak K."
