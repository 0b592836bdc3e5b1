"""Crashes and damage: a killed server loses nothing it acknowledged; a damaged index heals."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from assistant.app import build_service
from assistant.cli import main
from assistant.service import ChooseSituation, Edit, ToDraft
from assistant.settings import PROJECT_ROOT

from .conftest import make_settings
from .server import running_server

BEELD = "Goed werk was laveren als een zeilboot: koers houden terwijl de wind steeds draait."


def let_go_of_chroma() -> None:
    """Drop this process's Chroma clients, so the next open really reads the files."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


@pytest.mark.server
def test_killing_the_server_loses_no_acknowledged_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(PROJECT_ROOT / "bench"))  # a folder of scripts
    kill_test = importlib.import_module("kill_test")
    report = kill_test.run(kills=5, seed=11, workdir=tmp_path)
    figures = report.as_json()
    assert figures["kills"] == 5
    assert figures["acknowledged_actions"] >= 11  # seed 11 arms each kill after 3, 3, 1, 3, 1
    assert figures["details"]["lost"] == []
    assert figures["details"]["duplicated"] == []
    assert figures["details"]["integrity"] == []
    assert figures["details"]["request_errors"] == []


@pytest.mark.server
def test_a_damaged_index_is_rebuilt_from_the_corpus_and_the_stored_beelden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    service = build_service(make_settings(data_dir))
    session_id, _ = service.start("ik", "achteraf")
    service.send(session_id, "De samenwerking met de gemeente loopt vast.")
    service.act(session_id, ChooseSituation(index=1))
    service.act(session_id, ToDraft())
    service.act(session_id, Edit(part="titel", value="De zeilboot van Karin"))
    service.act(session_id, Edit(part="beeld", value=BEELD))
    stored = service.publish(session_id, consent=True, use_initials=False)
    del service
    let_go_of_chroma()

    for path in (data_dir / "chroma").glob("*.sqlite3"):
        path.write_bytes(b"\x00kapot" * 1000)
    with running_server(data_dir):
        pass  # it came up: the index was rebuilt instead of refusing to start
    log = "".join(p.read_text() for p in tmp_path.glob("serve-*.log"))
    assert "wordt opnieuw opgebouwd" in log

    monkeypatch.setenv("GOEDWERK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GOEDWERK_EMBEDDING__MODE", "fake")
    capsys.readouterr()
    assert main(["match", "laveren zeilboot wind koers", "--soort", "beelden", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["id"] == f"eigen_beeld-{stored.id}"


def test_the_index_command_still_asks_for_rebuild_on_a_damaged_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOEDWERK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GOEDWERK_EMBEDDING__MODE", "fake")
    assert main(["index"]) == 0
    let_go_of_chroma()
    for path in (tmp_path / "data" / "chroma").glob("*.sqlite3"):
        path.write_bytes(b"\x00kapot" * 1000)
    assert main(["index"]) == 3
    assert "goedwerk index --rebuild" in capsys.readouterr().err
