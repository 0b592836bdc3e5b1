"""Hostile markup in the A4 stays inert text in every export: Markdown, DOCX and PDF."""

from __future__ import annotations

import base64
import contextlib
import re
import shutil
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from markdown_it import MarkdownIt

from assistant.domain.session import A4, A4_FIELDS
from assistant.export.docx import a4_to_docx
from assistant.export.markdown import a4_to_markdown, escape
from assistant.export.pdf import a4_to_pdf

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    '<a href="javascript:window.__xss=3">klik</a>',
    '<iframe src="javascript:parent.__xss=4"></iframe>',
    "[klik hier](javascript:window.__xss=5)",
    "![plaatje](javascript:window.__xss=6)",
    '<link href="javascript:window.__xss=7"/>',  # reportlab's own link markup
]
HOSTILE = " ".join(PAYLOADS)
A4_HOSTILE = A4(
    titel=f"Titel {PAYLOADS[0]}",
    kenmerkende_ervaring=f"Ervaring {HOSTILE}",
    beeld=f"Beeld {HOSTILE}",
    afbeelding=f"Afbeelding {HOSTILE}",
)
PDF_ACTIONS = re.compile(rb"/(JavaScript|JS|Launch|URI|OpenAction|AA|SubmitForm)\b")


class Tags(HTMLParser):
    """Collects the tags and attributes of rendered HTML, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data: str) -> None:
        self.text += data


def test_the_markdown_export_escapes_hostile_markup_so_any_renderer_shows_it_as_text() -> None:
    markdown = a4_to_markdown(A4_HOSTILE)
    assert "<script" not in markdown.lower() and "<img" not in markdown.lower()
    assert "<iframe" not in markdown.lower() and "<a " not in markdown.lower()
    assert "](javascript:" not in markdown.lower()

    # Rendered by a renderer that lets raw HTML through, it is still only headings and text.
    rendered = Tags()
    rendered.feed(MarkdownIt("commonmark", {"html": True}).render(markdown))
    assert set(rendered.tags) <= {"h1", "h2", "p", "blockquote", "strong", "em", "hr", "ul", "li"}
    assert rendered.attributes == []
    for payload in PAYLOADS:
        assert payload in rendered.text


def test_the_markdown_escape_leaves_plain_punctuation_alone_and_keeps_every_line_text() -> None:
    plain = "Op 3 mei - na lang wachten (echt) - zei ik: dat doe ik. Wie nog meer?"
    assert escape(plain) == plain
    traps = "Eerste regel\n===\n# kop\n- punt\n+ punt\n1. nummer\n2) nummer\n> citaat\n---"
    inline = "**vet** _schuin_ `code` [klik](javascript:x) ![b](y) a|b ~~weg~~ & <b>"
    rendered = Tags()
    rendered.feed(MarkdownIt("commonmark", {"html": True}).render(escape(f"{traps}\n{inline}")))
    assert rendered.tags == ["p"]
    assert rendered.text.strip() == f"{traps}\n{inline}"


def test_the_docx_export_holds_hostile_markup_as_literal_text_and_no_links(tmp_path: Path) -> None:
    out = a4_to_docx(A4_HOSTILE, None, tmp_path / "a4.docx")
    document = Document(str(out))
    cells = [cell for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join(
        p.text for p in [*document.paragraphs, *(p for c in cells for p in c.paragraphs)]
    )
    for part in A4_FIELDS:
        assert getattr(A4_HOSTILE, part) in text
    assert not [r for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]


def pdf_objects(raw: bytes) -> bytes:
    """The PDF's bytes with every compressed stream (Flate, or ASCII85 then Flate) inflated."""
    inflated = []
    for stream in re.findall(rb"(?<!end)stream\r?\n(.*?)endstream", raw, re.DOTALL):
        data = stream.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2])
        with contextlib.suppress(zlib.error):  # not Flate (an image, say)
            inflated.append(zlib.decompress(data))
    return raw + b"".join(inflated)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_pdf_export_shows_hostile_markup_literally_and_has_no_actions(tmp_path: Path) -> None:
    out = a4_to_pdf(A4_HOSTILE, None, tmp_path / "a4.pdf").path
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-nopgbrk", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = "".join(text.split())  # a long word may be split over two lines of a column
    for payload in PAYLOADS:
        assert "".join(payload.split()) in flat
    raw = out.read_bytes()
    objects = pdf_objects(raw)
    assert b" Tj" in objects or b"TJ" in objects  # the page's text was inflated and scanned
    assert PDF_ACTIONS.findall(objects) == []
    assert b"/Annots" not in raw
