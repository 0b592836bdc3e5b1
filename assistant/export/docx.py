"""The rich A4 as an editable Word document (python-docx): A4 page, 2 cm margins, Dutch proofing.

Unlike the PDF, the text is kept as typed (emoji and other scripts included): Word picks a
fallback font itself. Only control characters XML cannot hold are removed.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length
from docx.text.paragraph import Paragraph

from assistant.domain.session import A4
from assistant.export.document import DEFAULT_TITLE, EMPTY, FOOTER, clean_text, paragraphs
from assistant.export.files import prepare_image

IMAGE_WIDTH = Cm(12)
IMAGE_MAX_HEIGHT = Cm(12)


def _add_text(doc: DocxDocument, text: str, style: str | None = None) -> list[Paragraph]:
    """Plain text as paragraphs (blank lines) with line breaks kept inside them."""
    added = []
    for lines in paragraphs(text):
        para = doc.add_paragraph(style=style)
        for i, line in enumerate(lines):
            run = para.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
        added.append(para)
    return added


def _dutch(doc: DocxDocument) -> None:
    """Mark the Normal style as Dutch so Word checks spelling in Dutch."""
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "nl-NL")


def a4_to_docx(a4: A4, image: Path | None, out: Path) -> Path:
    """Write the A4 as a .docx to `out` and return `out`.

    Raises ImageRejected when `image` is not an acceptable PNG or JPEG.
    """
    prepared = prepare_image(image) if image is not None else None
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    _dutch(doc)

    title = " ".join(clean_text(a4.titel).split()) or DEFAULT_TITLE
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "", ""
    props.comments, props.subject = "", "Beeld van goed werk in samenwerking"
    props.language = "nl-NL"

    doc.add_heading(title, level=0)
    for heading, text in (
        ("Kenmerkende ervaring", a4.kenmerkende_ervaring),
        ("Beeld van goed werk", a4.beeld),
    ):
        doc.add_heading(heading, level=1)
        if not _add_text(doc, text):
            doc.add_paragraph().add_run(EMPTY).italic = True

    doc.add_heading("Afbeelding", level=1)
    if prepared is None:
        if not _add_text(doc, a4.afbeelding):
            doc.add_paragraph().add_run(EMPTY).italic = True
    else:
        width: Length = IMAGE_WIDTH
        if prepared.height * width > IMAGE_MAX_HEIGHT * prepared.width:  # tall: cap the height
            width = Emu(int(IMAGE_MAX_HEIGHT * prepared.width / prepared.height))
        doc.add_picture(io.BytesIO(prepared.data), width=width)
        _add_text(doc, a4.afbeelding, style="Caption")

    footer = section.footer.paragraphs[0]
    footer.text = FOOTER
    doc.save(str(out))
    return out
