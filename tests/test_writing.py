"""Exports are written whole or not at all: a failure leaves earlier files and no debris."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from assistant.domain.session import A4, SessionState
from assistant.export import writing as exports
from assistant.sessions.files import export_dir

A4_TEXT = A4(
    titel="Ons beeld van goed werk",
    kenmerkende_ervaring="Toen ik met Ahmed in het MT zat, viel het stil.",
    beeld="Goed werk was de gemeenten en de directie tegelijk serieus nemen.",
    afbeelding="Een brug van losse planken.",
)


@pytest.fixture
def state() -> SessionState:
    return SessionState(id="s1", step="concept", a4=A4_TEXT)


def files(data_dir: Path) -> dict[str, bytes]:
    folder = export_dir(data_dir, "s1")
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("kind", ["pdf", "docx", "md"])
def test_an_export_is_complete_and_leaves_no_temporary_file(
    state: SessionState, tmp_path: Path, kind: str
) -> None:
    result = exports.export_a4(state, None, kind, tmp_path)
    assert list(files(tmp_path)) == [f"ons-beeld-van-goed-werk.{kind}"]
    assert result.path.stat().st_size > 0


def test_a_pdf_writer_failing_midway_leaves_the_earlier_export_and_nothing_else(
    state: SessionState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports.export_a4(state, None, "pdf", tmp_path)
    earlier = files(tmp_path)

    def half_then_full(a4: A4, image: Path | None, out: Path, *_: object) -> None:
        out.write_bytes(b"%PDF-1.4\n% half a page")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exports, "a4_to_pdf", half_then_full)
    with pytest.raises(exports.ExportFailed) as failed:
        exports.export_a4(state, None, "pdf", tmp_path)
    assert str(failed.value).startswith("Het exporteren is niet gelukt: de schijf is vol.")
    assert "Eerdere bestanden zijn niet aangeraakt" in str(failed.value)
    assert files(tmp_path) == earlier  # no half file, no empty reservation, no temp file


def test_a_failing_rename_leaves_no_file_behind(
    state: SessionState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports.export_a4(state, None, "md", tmp_path)
    earlier = files(tmp_path)

    def refuse(source: object, target: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(exports.ExportFailed, match="Input/output error"):
        exports.export_a4(state, None, "md", tmp_path)
    monkeypatch.undo()
    assert files(tmp_path) == earlier


def test_a_writer_bug_gets_a_message_too(
    state: SessionState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(a4: A4, image: Path | None, out: Path, *_: object) -> None:
        raise ValueError("kapot")

    monkeypatch.setattr(exports, "a4_to_docx", broken)
    with pytest.raises(exports.ExportFailed, match=r"onverwachte fout \(ValueError\)"):
        exports.export_a4(state, None, "docx", tmp_path)
    assert files(tmp_path) == {}
