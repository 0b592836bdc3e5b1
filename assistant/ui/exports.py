"""Files of a session on disk: uploaded images and exports, kept under the data dir."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from assistant.export.docx import a4_to_docx
from assistant.export.files import ImageRejected, export_filename, validate_image
from assistant.export.markdown import a4_to_markdown
from assistant.export.pdf import a4_to_pdf
from assistant.facilitator.state import SessionState

__all__ = [
    "ExportResult",
    "ImageRejected",
    "export_a4",
    "remove_session_files",
    "store_image",
    "upload_dir",
]


@dataclass(frozen=True)
class ExportResult:
    """An exported file and a message for the user."""

    path: Path
    message: str


def upload_dir(data_dir: Path, session_id: str) -> Path:
    """Where a session's uploaded image lives."""
    return data_dir / "uploads" / session_id


def export_dir(data_dir: Path, session_id: str) -> Path:
    """Where a session's exports are written."""
    return data_dir / "exports" / session_id


def store_image(source: Path, data_dir: Path, session_id: str, max_mb: float) -> str:
    """Validate an uploaded image and keep a copy for the session; returns its file name."""
    info = validate_image(source, max_bytes=int(max_mb * 1_000_000))
    target_dir = upload_dir(data_dir, session_id)
    target_dir.mkdir(parents=True, exist_ok=True)
    for old in target_dir.glob("afbeelding.*"):
        old.unlink()
    name = f"afbeelding.{info.extension}"
    shutil.copyfile(source, target_dir / name)
    return name


def export_a4(state: SessionState, image: Path | None, kind: str, data_dir: Path) -> ExportResult:
    """Write the session's A4 as pdf, docx or md; the file name is made from the title."""
    directory = export_dir(data_dir, state.id)
    directory.mkdir(parents=True, exist_ok=True)
    extension = {"pdf": "pdf", "docx": "docx", "md": "md"}[kind]
    out = export_filename(state.a4.titel, extension, directory)
    if kind == "pdf":
        result = a4_to_pdf(state.a4, image, out)
        if result.shrunk and not result.readable:
            note = " De tekst is erg lang: de letters zijn sterk verkleind. Kort gerust in."
        elif result.shrunk:
            note = " De tekst is iets verkleind om op één pagina te passen."
        else:
            note = ""
        return ExportResult(out, f"PDF gemaakt (één A4).{note}")
    if kind == "docx":
        a4_to_docx(state.a4, image, out)
        return ExportResult(out, "Word-bestand gemaakt.")
    out.write_text(a4_to_markdown(state.a4), encoding="utf-8")
    return ExportResult(out, "Markdown-bestand gemaakt.")


def remove_session_files(data_dir: Path, session_id: str) -> None:
    """Delete a session's uploads and exports."""
    for directory in (upload_dir(data_dir, session_id), export_dir(data_dir, session_id)):
        if directory.exists():
            shutil.rmtree(directory)
