"""The rich A4 as an editable Word document (python-docx), designed like the PDF page.

Same parts in the same places: the title large, the afbeelding (the picture on a tinted mat, or a
framed placeholder holding its description), the kenmerkende ervaring and the beeld side by side,
and the quiet band with situation, virtues, ik/wij and date. Sizes come from the PDF's plan
(`assistant.export.layout.plan`), set a little smaller, as Word measures text in its own way;
the text is in Verdana, which Word has and which LibreOffice replaces by DejaVu Sans, Vera's
own descendant, so the page sets about as the PDF does. A4 page, Dutch proofing.

Unlike the PDF, the text is kept as typed (emoji and other scripts included): Word picks a
fallback font itself. Only control characters XML cannot hold are removed.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from assistant.domain.session import A4
from assistant.export.document import (
    DEFAULT_TITLE,
    EMPTY,
    FOOTER,
    KICKER,
    NO_IMAGE,
    A4Context,
    clean_text,
    image_description,
    paragraphs,
    register_fonts,
)
from assistant.export.files import PreparedImage, prepare_image
from assistant.export.layout import (
    FRAME_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PANEL_PAD,
    Page,
    font_texts,
    plan,
)

FONT = "Verdana"
WORD_SCALE = 0.96  # Word sets a little looser than reportlab: keep a margin
# The PDF's colours (assistant.export.layout), as Word writes them.
INK, ACCENT, MUTED = (RGBColor.from_string(c) for c in ("1F2A2E", "2F5D50", "5B6468"))
TINT, BAND, FRAME_LINE, RULE = "E9F0EC", "F0F3F1", "8FB0A3", "2F5D50"


MAX_PROPERTY_CHARS = 255


def a4_to_docx(a4: A4, image: Path | None, out: Path, context: A4Context | None = None) -> Path:
    """Write the A4 as a .docx to `out` and return `out`.

    Raises ImageRejected when `image` is not an acceptable PNG or JPEG.
    """
    prepared = prepare_image(image) if image is not None else None
    context = context or A4Context(datum=date.today().isoformat())
    register_fonts()
    page = plan(font_texts(a4)[0], context, prepared)
    f = page.font_scale * page.block_scale * WORD_SCALE
    k = page.block_scale * WORD_SCALE  # for the sizes the plan gives in points

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Emu(int(MARGIN_X * 12700))
    section.top_margin = Emu(int(MARGIN_TOP * 12700))
    section.bottom_margin = Emu(int(MARGIN_BOTTOM * 12700))
    section.footer_distance = Cm(0.6)
    _base_style(doc)
    _title_style(doc)

    title = " ".join(clean_text(a4.titel).split()) or DEFAULT_TITLE
    props = doc.core_properties
    # Word's core properties hold at most 255 characters; the page carries the whole title.
    props.title, props.author, props.last_modified_by = title[:MAX_PROPERTY_CHARS], "", ""
    props.comments, props.subject = "", "Beeld van goed werk in samenwerking"
    props.language = "nl-NL"

    kicker = _paragraph(doc, KICKER.upper(), 7.5, bold=True, color=ACCENT, after=4)
    _letter_spacing(kicker, 0.9)
    heading = doc.add_heading(level=0)
    size = page.title[0].style.fontSize * k  # no forced line break: Word's is editable
    run = heading.add_run(title)
    run.font.size, run.font.bold, run.font.color.rgb, run.font.name = Pt(size), True, INK, FONT
    _spacing(heading, after=page.gaps[0] * k, leading=size * 1.16)

    _afbeelding(doc, a4, prepared, page, f, k)
    _columns(doc, a4, page, f, k)
    _band(doc, context)

    footer = section.footer.paragraphs[0]
    footer.text = FOOTER
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r in footer.runs:
        r.font.size, r.font.color.rgb = Pt(7.5), MUTED
    doc.save(str(out))
    return out


def _afbeelding(
    doc: DocxDocument, a4: A4, image: PreparedImage | None, page: Page, f: float, k: float
) -> None:
    """The picture on a tinted mat with its caption, or the framed placeholder."""
    height = page.panel_h * k
    description = image_description(a4.afbeelding)
    table = _table(doc, 1, [FRAME_W])
    cell = table.cell(0, 0)
    _shade(cell, TINT)
    row = table.rows[0]
    row.height, row.height_rule = Emu(int(height * 12700)), WD_ROW_HEIGHT_RULE.EXACTLY
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first = cell.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if image is not None:
        box_w, box_h = FRAME_W - 2 * PANEL_PAD, height - 2 * PANEL_PAD
        ratio = min(box_w / image.width, box_h / image.height)
        width = Emu(int(image.width * ratio * 12700))
        first.add_run().add_picture(io.BytesIO(image.data), width=width)
        caption = " ".join(line for para in paragraphs(description) for line in para)
        if caption:
            para = doc.add_paragraph(style="Caption")
            run = para.add_run(caption)
            run.font.size, run.font.color.rgb = Pt(9.5 * min(f, 1.15)), MUTED
            run.font.italic, run.font.bold = True, False  # Word's Caption style is bold
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _spacing(para, before=4, after=page.gaps[1] * k)
        else:
            _gap(doc, page.gaps[1] * k)
        return
    _borders(cell, FRAME_LINE, dashed=True)
    label = first.add_run("AFBEELDING")
    label.font.size, label.font.bold, label.font.color.rgb = Pt(7), True, ACCENT
    _spacing(first, after=8)
    size = page.placeholder[0].style.fontSize * k
    lines = paragraphs(description)
    for lines_of_para in lines or [[NO_IMAGE]]:
        para = cell.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _lines(para, lines_of_para, size, italic=True, color=INK if lines else MUTED)
        _spacing(para, after=size * 0.5, leading=size * 1.35)
    _gap(doc, page.gaps[1] * k)


def _columns(doc: DocxDocument, a4: A4, page: Page, f: float, k: float) -> None:
    """The kenmerkende ervaring and the beeld side by side, at the PDF's widths."""
    table = _table(doc, 2, list(page.column_widths))
    for cell, heading, text in (
        (table.cell(0, 0), "Kenmerkende ervaring", a4.kenmerkende_ervaring),
        (table.cell(0, 1), "Beeld van goed werk", a4.beeld),
    ):
        head = cell.paragraphs[0]
        run = head.add_run(heading)
        h = min(f, 1.2)
        run.font.size, run.font.bold, run.font.color.rgb = Pt(9 * h), True, ACCENT
        run.font.all_caps = True
        _spacing(head, after=5 * f, leading=12 * h)
        blocks = paragraphs(text)
        for lines in blocks or [[EMPTY]]:
            para = cell.add_paragraph()
            _lines(para, lines, 10.2 * f, italic=not blocks, color=INK if blocks else MUTED)
            _spacing(para, after=6 * f, leading=14.6 * f)
    _borders(table.cell(0, 0), FRAME_LINE, sides=("left",))
    _gap(doc, page.gaps[2] * k)


def _band(doc: DocxDocument, context: A4Context) -> None:
    """The quiet band: situation, virtues, ik/wij and date on a light tint."""
    rows = context.rows()
    if not rows:
        return
    weights = {"Situatie": 0.41, "Vorm": 0.13, "Datum": 0.17}
    shares = [weights.get(label, 0.29) for label, _ in rows]
    table = _table(doc, len(rows), [FRAME_W * s / sum(shares) for s in shares])
    for i, (label, value) in enumerate(rows):
        cell = table.cell(0, i)
        _shade(cell, BAND)
        _borders(cell, RULE, sides=("top",), size=10)
        head = cell.paragraphs[0]
        run = head.add_run(label.upper())
        run.font.size, run.font.bold, run.font.color.rgb = Pt(6.8), True, ACCENT
        _spacing(head, before=5, after=1)
        para = cell.add_paragraph()
        _lines(para, [value], 8.3, color=INK)
        _spacing(para, after=6, leading=10.8)


# python-docx helpers -----------------------------------------------------------------------


def _base_style(doc: DocxDocument) -> None:
    """Verdana, Dutch proofing, no space around paragraphs unless asked."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "nl-NL")
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)


def _paragraph(
    doc: DocxDocument, text: str, size: float, *, bold: bool, color: RGBColor, after: float
) -> Paragraph:
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color
    _spacing(para, after=after)
    return para


def _lines(
    para: Paragraph, lines: list[str], size: float, *, color: RGBColor, italic: bool = False
) -> None:
    """Lines as runs with line breaks between them, all in one size and colour."""
    for i, line in enumerate(lines):
        run = para.add_run(line)
        run.font.size, run.font.italic, run.font.color.rgb = Pt(size), italic, color
        if i < len(lines) - 1:
            run.add_break()


def _spacing(
    para: Paragraph, *, before: float = 0, after: float = 0, leading: float | None = None
) -> None:
    fmt = para.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if leading is not None:
        fmt.line_spacing = Pt(leading)


def _gap(doc: DocxDocument, points: float) -> None:
    """An empty paragraph exactly `points` high: the space between two parts."""
    para = doc.add_paragraph()
    _spacing(para, leading=max(1.0, points))  # a length as line spacing is "exactly"


# What may follow w:spacing in a run's properties, and w:tcBorders and w:shd in a cell's: Word
# refuses a file whose properties are out of the schema's order.
_AFTER_RUN_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u")
_AFTER_SHADING = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign")
_AFTER_BORDERS = ("w:shd", *_AFTER_SHADING)


def _letter_spacing(para: Paragraph, points: float) -> None:
    for run in para.runs:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(int(points * 20)))
        run._r.get_or_add_rPr().insert_element_before(spacing, *_AFTER_RUN_SPACING)


def _title_style(doc: DocxDocument) -> None:
    """The Title style without its rule and theme font: this page sets its own."""
    style = doc.styles["Title"].element
    for border in style.findall(f"{qn('w:pPr')}/{qn('w:pBdr')}"):
        border.getparent().remove(border)
    for fonts in style.findall(f"{qn('w:rPr')}/{qn('w:rFonts')}"):
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), FONT)


def _table(doc: DocxDocument, columns: int, widths: list[float]) -> Table:
    table = doc.add_table(rows=1, cols=columns)
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = Emu(int(width * 12700))
        table.cell(0, i).width = Emu(int(width * 12700))
    return table


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(shading, *_AFTER_SHADING)


def _borders(
    cell: _Cell,
    color: str,
    *,
    sides: tuple[str, ...] = ("top", "left", "bottom", "right"),
    dashed: bool = False,
    size: int = 8,
) -> None:
    borders = OxmlElement("w:tcBorders")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "dashed" if dashed else "single")
        edge.set(qn("w:sz"), str(size))
        edge.set(qn("w:color"), color)
        borders.append(edge)
    cell._tc.get_or_add_tcPr().insert_element_before(borders, *_AFTER_BORDERS)
