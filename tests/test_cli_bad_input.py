"""Bad input on the command line, as a new user would try it: Dutch, exit 2, no traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.serve_process import free_port

from .conftest import EVALS_DIR

SCRIPT = sorted((EVALS_DIR / "sessions").glob("*.yaml"))[0]
ENGLISH = (
    "usage:",
    "invalid",
    "required",
    "show this help",
    "Traceback",
    "validation error",
    "errors.pydantic.dev",
    "Field required",
    "No such file",
    "Is a directory",
    "Permission denied",
)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOEDWERK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GOEDWERK_EMBEDDING__MODE", "fake")
    return tmp_path


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str], code: int = 2) -> str:
    """Run the command, expect `code`, and return stderr checked for English."""
    try:
        got = main(argv)
    except SystemExit as exit_:  # argparse exits itself
        got = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert got == code, err
    assert not any(word in err for word in ENGLISH), err
    return err


@pytest.mark.parametrize("port", ["99999999", "0", "-1"])
def test_serve_refuses_a_port_that_does_not_exist_before_anything_is_built(
    cli_env: Path, capsys: pytest.CaptureFixture[str], port: str
) -> None:
    assert "kies een poort van 1 tot en met 65535" in _refused(["serve", "--port", port], capsys)
    assert not (cli_env / "data").exists()  # no lock, no store, no index


def test_serve_refuses_a_port_in_use_before_building_the_index(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port()))
        taken.listen()
        port = taken.getsockname()[1]
        err = _refused(["serve", "--port", str(port)], capsys)
    assert f"Poort {port} op 127.0.0.1 is al in gebruik" in err
    assert not (cli_env / "data").exists()


def test_serve_refuses_a_port_that_is_not_a_number_in_dutch(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(["serve", "--port", "zeven"], capsys)
    assert "gebruik: goedwerk serve" in err and "geen geheel getal: 'zeven'" in err


@pytest.mark.parametrize(
    ("argv", "dutch"),
    [
        (["match", "tekst", "--k", "drie"], "geen geheel getal: 'drie'"),
        (["session"], "deze argumenten ontbreken: --script"),
        (["gids", "--situatie", "1"], "deze argumenten ontbreken: --out"),
        (["eval"], "deze argumenten ontbreken"),
        (["vertaal"], "ongeldige keuze: 'vertaal' (kies uit"),
        (["match", "x", "--onbekend"], "onbekende argumenten: --onbekend"),
    ],
)
def test_argparse_speaks_dutch(
    cli_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], dutch: str
) -> None:
    err = _refused(argv, capsys)
    assert dutch in err and "gebruik: goedwerk" in err


def test_help_is_in_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "gebruik: goedwerk serve" in out and "toon deze hulp en stop" in out
    assert "usage:" not in out and "show this help" not in out


@pytest.mark.parametrize("kind", ["folder", "unwritable", "under-a-file"])
def test_session_export_checks_out_before_playing(
    cli_env: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    (cli_env / "script.yaml").write_text("", encoding="utf-8")
    out = {
        "folder": cli_env,
        "unwritable": Path("/proc/a4.pdf"),
        "under-a-file": cli_env / "script.yaml" / "a4.pdf",
    }[kind]
    argv = ["session", "--script", str(SCRIPT), "--export", "pdf", "--out", str(out)]
    err = _refused(argv, capsys)
    assert "--out" in err or "niet schrijven" in err
    assert not (cli_env / "data").exists()  # refused before the session was played


def test_a_script_missing_fields_is_described_in_dutch(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = cli_env / "kapot.yaml"
    script.write_text("wie: ik\nonzin: 3\n", encoding="utf-8")
    err = _refused(["session", "--script", str(script)], capsys)
    assert "mist velden of heeft ongeldige waarden" in err
    assert "  - moment ontbreekt" in err and "  - situatie ontbreekt" in err


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_os_errors_reach_the_user_in_dutch(
    cli_env: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = cli_env / "bestaat-niet.yaml" if kind == "missing" else cli_env
    err = _refused(["session", "--script", str(path)], capsys)
    assert ("bestaat niet" in err) if kind == "missing" else ("map" in err)


@pytest.mark.parametrize(
    ("line", "dutch"),
    [
        ('{"query": "x", "situation": 999999999999}', "situatie 999999999999 bestaat niet"),
        ('{"query": "", "situation": 1}', "de vraag (query) is leeg"),
        ('{"query": "   ", "situation": 2}', "de vraag (query) is leeg"),
    ],
)
def test_eval_retrieval_refuses_bad_lines_with_the_line_number(
    cli_env: Path, capsys: pytest.CaptureFixture[str], line: str, dutch: str
) -> None:
    cases = cli_env / "set.jsonl"
    cases.write_text('{"query": "de klussen blijven liggen", "situation": 1}\n' + line + "\n")
    err = _refused(["eval", "retrieval", "--file", str(cases)], capsys)
    assert f"regel 2: {dutch}" in err
