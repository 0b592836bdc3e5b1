"""Files of a session on disk: uploaded images and exports, kept under the data dir.

An export is written to a temporary file beside its final name and moved into place only when
complete, so a failure (a full disk, a writer error) never leaves a half-written file.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.domain.session import A4, A4_FIELDS, SessionState
from assistant.errors import Unavailable
from assistant.export.document import A4Context, named_virtues
from assistant.export.docx import a4_to_docx
from assistant.export.files import (
    ImageRejected,
    export_filename,
    prepare_image,
    preview_copy,
    write_atomically,
)
from assistant.export.markdown import a4_to_markdown
from assistant.export.pdf import a4_to_pdf
from assistant.sessions.files import PREVIEW_STEM, export_dir, upload_dir

__all__ = [
    "A4Context",
    "ExportFailed",
    "ExportResult",
    "ImageRejected",
    "export_a4",
    "export_a4_as",
    "session_context",
    "team_context",
    "write_export",
    "store_image",
]


@dataclass(frozen=True)
class ExportResult:
    """An exported file and a message for the user."""

    path: Path
    message: str


class ExportFailed(Unavailable, RuntimeError):
    """An export could not be written; nothing half-written was left. The message is Dutch."""


def store_image(source: Path, data_dir: Path, session_id: str, max_mb: float) -> str:
    """Validate an uploaded image and keep it for the session, ready to print; its file name.

    It is prepared once here (upright, at most EMBED_MAX_SIDE pixels, a plain colour mode), so
    an export decodes a picture of bounded size however large the upload was; a small copy
    beside it (`voorbeeld.*`) is what the page's preview carries in each reply.
    """
    prepared = prepare_image(source, max_bytes=int(max_mb * 1_000_000))
    target_dir = upload_dir(data_dir, session_id)
    target_dir.mkdir(parents=True, exist_ok=True)
    name = f"afbeelding.{prepared.extension}"
    preview = preview_copy(prepared)
    shown = f"{PREVIEW_STEM}.{preview.extension}"
    write_atomically(target_dir / name, lambda tmp: tmp.write_bytes(prepared.data))
    write_atomically(target_dir / shown, lambda tmp: tmp.write_bytes(preview.data))
    for old in [*target_dir.glob("afbeelding.*"), *target_dir.glob(f"{PREVIEW_STEM}.*")]:
        if old.name not in (name, shown):
            old.unlink()
    return name


def session_context(state: SessionState, situation: str, virtues: Sequence[str]) -> A4Context:
    """What a session's A4 belongs to: its situation (`situation` is its title), the virtues
    the user chose (or else those from the booklet's `virtues` they named while exploring and
    closing, the story itself left out), ik/wij and the day it was last worked on."""
    chosen = tuple(state.deugden)
    if not chosen:
        answers = [a.text for a in state.answers if a.step not in ("situatie", "keuze", "kop")]
        chosen = named_virtues("\n".join(answers), virtues)
    return A4Context(
        situatie=situation or "Een eigen situatie",
        situatie_nr=state.situatie if situation else 0,
        deugden=chosen,
        deugden_label="Deugden" if state.deugden else "Genoemde deugden",
        wie=state.wie,
        datum=state.updated,
    )


def team_context(
    a4: A4, situation: str, situatie: int, wie: str, created: str, virtues: Sequence[str]
) -> A4Context:
    """What a team's shared A4 belongs to: the team's situation, the virtues from the booklet's
    list that the shared A4 names (a team chooses none), its ik/wij and the day it met."""
    shared = "\n".join(getattr(a4, part) for part in A4_FIELDS)
    return A4Context(
        situatie=situation or "Een eigen situatie",
        situatie_nr=situatie if situation else 0,
        deugden=named_virtues(shared, virtues),
        deugden_label="Genoemde deugden",
        wie=wie,
        team=True,
        datum=created,
    )


def export_a4(
    state: SessionState,
    image: Path | None,
    kind: str,
    data_dir: Path,
    context: A4Context | None = None,
) -> ExportResult:
    """Write the session's A4 as pdf, docx or md; the file name is made from the title.

    `context` (see `session_context`) fills the page's quiet band.
    """
    return export_a4_as(state.a4, state.id, image, kind, data_dir, context)


def export_a4_as(
    a4: A4,
    key: str,
    image: Path | None,
    kind: str,
    data_dir: Path,
    context: A4Context | None = None,
) -> ExportResult:
    """Write an A4 into the export dir of `key` (a session or team id) as pdf, docx or md.

    Raises ExportFailed (Dutch message) when writing fails; earlier exports stay as they were.
    """
    extension = {"pdf": "pdf", "docx": "docx", "md": "md"}[kind]
    try:
        directory = export_dir(data_dir, key)
        directory.mkdir(parents=True, exist_ok=True)
        out = export_filename(a4.titel, extension, directory)
    except OSError as exc:
        raise ExportFailed(f"Het exporteren is niet gelukt: {_why(exc)}.") from exc
    try:
        return write_atomically(out, lambda tmp: _export(a4, image, context, kind, tmp, out))
    except Exception as exc:
        # export_filename reserved the name with an empty file; it is ours to give back.
        if out.exists() and out.stat().st_size == 0:
            out.unlink()
        raise ExportFailed(
            f"Het exporteren is niet gelukt: {_why(exc)}. Eerdere bestanden zijn niet aangeraakt."
        ) from exc


def write_export(key: str, data_dir: Path, name: str, write: Callable[[Path], object]) -> Path:
    """Write any file (a guide, a summary) into the export dir of `key`, whole or not at all.

    `name` is the wanted file name (made safe and unique); `write(tmp)` writes the content.
    """
    stem, _, extension = name.rpartition(".")
    try:
        directory = export_dir(data_dir, key)
        directory.mkdir(parents=True, exist_ok=True)
        out = export_filename(stem, extension, directory)
    except OSError as exc:
        raise ExportFailed(f"Het bestand maken is niet gelukt: {_why(exc)}.") from exc

    def written(tmp: Path) -> ExportResult:
        write(tmp)
        return ExportResult(out, "")

    try:
        return write_atomically(out, written).path
    except Exception as exc:
        if out.exists() and out.stat().st_size == 0:
            out.unlink()
        raise ExportFailed(f"Het bestand maken is niet gelukt: {_why(exc)}.") from exc


def _why(exc: BaseException) -> str:
    if isinstance(exc, ImageRejected):
        return exc.message.rstrip(".")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "de schijf is vol"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"onverwachte fout ({type(exc).__name__})"


def _export(
    a4: A4, image: Path | None, context: A4Context | None, kind: str, tmp: Path, out: Path
) -> ExportResult:
    if kind == "pdf":
        result = a4_to_pdf(a4, image, tmp, context)
        if result.shrunk and not result.readable:
            note = " De tekst is erg lang: de letters zijn sterk verkleind. Kort gerust in."
        elif result.shrunk:
            note = " De tekst is iets verkleind om op één pagina te passen."
        else:
            note = ""
        return ExportResult(out, f"PDF gemaakt (één A4).{note}")
    if kind == "docx":
        a4_to_docx(a4, image, tmp, context)
        return ExportResult(out, "Word-bestand gemaakt.")
    tmp.write_text(a4_to_markdown(a4, image, context), encoding="utf-8")
    return ExportResult(out, "Markdown-bestand gemaakt.")
