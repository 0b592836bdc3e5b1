"""The command line: match, eval retrieval, index, session; bad input gets a Dutch message."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import OFFLINE_DEFAULTS, main

from .conftest import EVALS_DIR


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the CLI with a temp data dir and the fake embedding."""
    monkeypatch.setenv("GOEDWERK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GOEDWERK_EMBEDDING__MODE", "fake")
    return tmp_path


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_match_prints_the_k_best_situations_as_json(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["match", "niemand pakt de klussen op die tussen de rollen vallen", "--k", "2", "--json"]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result) == 2
    assert {"situatie", "titel", "score", "passage", "bron"} <= set(result[0])
    assert result[0]["score"] >= result[1]["score"]


def test_match_reads_standard_input(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, b"mijn kritische boodschap wordt niet gehoord")
    assert main(["match", "--k", "1"]) == 0
    assert capsys.readouterr().out.startswith("1. [")


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n"])
def test_empty_text_gets_a_dutch_message_and_exit_code_2(
    cli_env: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert main(["match", text]) == 2
    assert "Lege tekst" in capsys.readouterr().err


def test_non_utf8_input_gets_a_clear_message(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, b"samenwerking met de gemeente \xff\xfe kapot")
    assert main(["match"]) == 2
    assert "geen geldige UTF-8" in capsys.readouterr().err


def test_a_one_megabyte_text_is_truncated_with_a_notice(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "De provincie en de gemeente werken niet goed samen. " * 20_000
    assert len(text.encode()) > 1_000_000
    assert main(["match", text, "--json"]) == 0
    captured = capsys.readouterr()
    assert "ingekort" in captured.err
    assert len(json.loads(captured.out)) == 3


def test_eval_retrieval_json_prints_exactly_one_object(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["eval", "retrieval", "--file", str(EVALS_DIR / "retrieval" / "dev.jsonl"), "--json"])
        == 0
    )
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1
    result = json.loads(out)
    assert set(result) == {"n", "hit@1", "hit@3", "mrr"}
    assert result["n"] == 40 and 0 <= result["hit@1"] <= result["hit@3"] <= 1


def test_eval_retrieval_rejects_a_non_utf8_file(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = cli_env / "bad.jsonl"
    bad.write_bytes(b'{"query": "caf\xe9", "situation": 1}\n')
    assert main(["eval", "retrieval", "--file", str(bad)]) == 2
    assert "UTF-8" in capsys.readouterr().err


def test_eval_retrieval_names_the_bad_line(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = cli_env / "bad.jsonl"
    bad.write_text('{"query": "a", "situation": 1}\n{"vraag": "b"}\n', encoding="utf-8")
    assert main(["eval", "retrieval", "--file", str(bad)]) == 2
    assert "regel 2" in capsys.readouterr().err


def test_index_reports_what_it_did_and_a_damaged_store_names_rebuild(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["index"]) == 0
    assert "nieuw" in capsys.readouterr().out
    chroma = cli_env / "data" / "chroma"
    for path in chroma.glob("*.sqlite3"):
        path.write_bytes(b"\x00kapot" * 1000)
    assert main(["match", "samenwerking"]) == 3
    assert "goedwerk index --rebuild" in capsys.readouterr().err
    assert main(["index", "--rebuild"]) == 0
    assert main(["match", "samenwerking", "--k", "1"]) == 0


SCRIPT = sorted((EVALS_DIR / "sessions").glob("01_*.yaml"))[0]


def test_a_session_export_is_written_whole_with_no_temporary_file_left(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = cli_env / "a4" / "beeld.md"
    assert main(["session", "--script", str(SCRIPT), "--export", "md", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").strip()
    assert list(out.parent.iterdir()) == [out]


def test_a_session_export_names_the_situation_and_the_virtues_in_its_band(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = cli_env / "beeld.md"
    assert main(["session", "--script", str(SCRIPT), "--export", "md", "--out", str(out)]) == 0
    band = out.read_text(encoding="utf-8").split("\n---\n")[-1]
    assert "**Situatie:**" in band
    assert "Geduld" in band or "geduld" in band  # the script names geduld, loyaliteit, moed


def test_a_failed_session_export_leaves_the_earlier_file_as_it_was(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.export import markdown

    def no_space(*_: object, **__: object) -> str:
        raise OSError(28, "No space left on device")

    out = cli_env / "beeld.md"
    out.write_text("eerder", encoding="utf-8")
    monkeypatch.setattr(markdown, "a4_to_markdown", no_space)
    assert main(["session", "--script", str(SCRIPT), "--export", "md", "--out", str(out)]) == 2
    assert f"Kan {out} niet schrijven" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "eerder"
    assert sorted(p.name for p in cli_env.iterdir()) == ["beeld.md", "data"]


def test_a_missing_corpus_file_gets_a_dutch_message_and_exit_code_3(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = cli_env / "geen-corpus"
    empty.mkdir()
    monkeypatch.setenv("GOEDWERK_CORPUS_DIR", str(empty))
    assert main(["match", "samenwerking"]) == 3
    assert "goedwerk: Corpusbestand ontbreekt" in capsys.readouterr().err


def test_importing_the_cli_leaves_the_environment_alone() -> None:
    code = "import os; before = dict(os.environ); import assistant.cli; print(before == os.environ)"
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_DEFAULTS}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True"
