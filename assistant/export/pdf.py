"""The rich A4 as exactly one designed A4 page (reportlab).

From top to bottom: the pakkende titel, large; the afbeelding, prominent (the uploaded picture
on a tinted mat, or a framed placeholder holding the user's description of the image); the
kenmerkende ervaring and the beeld van goed werk side by side, their widths balanced so the
columns end level; and a quiet band with the situation, the virtues, ik/wij and the date.

Text and image fill the page in balance (`assistant.export.layout` decides the sizes): a short
A4 gets larger type and a larger image, a long one a smaller image and, only when needed,
smaller type; everything is set smaller together (text reflowed) until it fits, so the page
never overflows. `PdfResult.scale` is the type scale when it is below 1; below READABLE_SCALE
the UI should warn that the page is hard to read and the text should be shortened.

Text is set in Bitstream Vera (bundled with reportlab, embedded); characters Vera lacks are
shown as stand-ins or the placeholder ◊, never dropped silently and never as tofu boxes (see
`assistant.export.document.to_font`); `PdfResult.replaced` counts the characters replaced.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from assistant.domain.session import A4
from assistant.export.document import (
    FOOTER,
    KICKER,
    A4Context,
    clean_text,
    register_fonts,
)
from assistant.export.files import PreparedImage, prepare_image
from assistant.export.layout import (
    A4_SIZE,
    ACCENT,
    BAND,
    COLUMN_GAP,
    FRAME_LINE,
    FRAME_W,
    INK,
    MARGIN_TOP,
    MARGIN_X,
    MIN_FONT_SCALE,
    MUTED,
    PAGE_H,
    PAGE_W,
    PANEL_PAD,
    READABLE_SCALE,
    TINT,
    Page,
    fits,
    font_texts,
    markup,
    paragraph_style,
    plan,
)

__all__ = [
    "ACCENT",
    "INK",
    "MIN_FONT_SCALE",
    "MUTED",
    "READABLE_SCALE",
    "PdfResult",
    "a4_to_pdf",
    "fits_one_page",
    "markup",
    "paragraph_style",
]


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    shrunk: bool
    scale: float
    replaced: int = 0  # characters shown as the placeholder

    @property
    def readable(self) -> bool:
        return self.scale >= READABLE_SCALE


def fits_one_page(a4: A4) -> bool:
    """Does the A4's text fit one page of the PDF at its normal type size (without an image)?

    This is the PDF's own layout, not an estimate: when it says no, `a4_to_pdf` sets the page
    smaller. Not memoised: a cache would keep users' text in memory across sessions.
    """
    register_fonts()
    texts, _ = font_texts(a4)
    return fits(texts, A4Context())


def a4_to_pdf(a4: A4, image: Path | None, out: Path, context: A4Context | None = None) -> PdfResult:
    """Write the A4 as a one-page PDF to `out`; `image` must be a PNG or JPEG (validated here).

    `context` fills the quiet band (without one it shows only today's date).
    Raises ImageRejected when the image is not acceptable.
    """
    register_fonts()
    prepared = prepare_image(image) if image is not None else None
    context = context or A4Context(datum=date.today().isoformat())
    texts, replaced = font_texts(a4)
    page = plan(texts, context, prepared)

    buffer = io.BytesIO()
    canv = Canvas(buffer, pagesize=A4_SIZE, pageCompression=1)
    canv.setTitle(" ".join(clean_text(a4.titel).split()) or texts["titel"])
    canv.setAuthor("")
    canv.setSubject("Beeld van goed werk in samenwerking")
    canv.setCreator("goedwerk")
    _draw(canv, page, prepared)
    canv.showPage()
    canv.save()
    out.write_bytes(buffer.getvalue())

    scale = round(min(page.font_scale, 1.0) * page.block_scale, 3)
    return PdfResult(path=out, pages=1, shrunk=scale < 1.0, scale=scale, replaced=replaced)


# Drawing -------------------------------------------------------------------------------------


def _draw(canv: Canvas, page: Page, image: PreparedImage | None) -> None:
    """Draw the planned page; y runs down from the top of the frame, in unscaled points."""
    canv.saveState()
    canv.translate(MARGIN_X, PAGE_H - MARGIN_TOP)
    canv.scale(page.block_scale, page.block_scale)
    y = 0.0

    # A small mark and the kicker above the title.
    canv.setFillColor(ACCENT)
    canv.rect(0, -3, 26, 3, stroke=0, fill=1)
    canv.setFont("GoedwerkVera-Bold", 7.5)
    canv.drawString(34, -5.5, KICKER.upper(), charSpace=0.9)
    y -= page.kicker_h

    y -= _flow(canv, page.title, 0, y, FRAME_W)
    y -= page.gaps[0]

    panel_top = y
    if image is not None:
        _draw_picture(canv, image, panel_top, page.panel_h)
    else:
        _draw_placeholder(canv, page, panel_top)
    y -= page.panel_h
    if page.caption is not None:
        y -= page.caption_gap
        y -= _flow(canv, [page.caption], 0, y, FRAME_W)
    y -= page.gaps[1]

    left_w, right_w = page.column_widths
    heading = page.left[0].wrap(left_w, PAGE_H)[1] + page.left[1].getSpaceBefore()
    _draw_quote_bar(canv, y - heading, page.left_h - heading)
    _flow(canv, page.left, 0, y, left_w)
    _flow(canv, page.right, left_w + COLUMN_GAP * page.gap_scale, y, right_w)
    y -= max(page.left_h, page.right_h)
    y -= page.gaps[2]

    _draw_band(canv, page, y)
    canv.restoreState()

    canv.setFont("GoedwerkVera", 7.5)
    canv.setFillColor(MUTED)
    canv.drawCentredString(PAGE_W / 2, 0.85 * cm, FOOTER)


def _flow(canv: Canvas, paras: list[Paragraph], x: float, top: float, width: float) -> float:
    """Draw paragraphs one below the other from `top`; returns the height used."""
    y = top
    for i, para in enumerate(paras):
        if i:
            y -= para.getSpaceBefore()
        _, h = para.wrap(width, 10 * PAGE_H)
        y -= h
        para.drawOn(canv, x, y)
    return top - y


def _draw_quote_bar(canv: Canvas, top: float, height: float) -> None:
    """A thin accent line beside the kenmerkende ervaring: it is the user's story, told."""
    canv.setStrokeColor(FRAME_LINE)
    canv.setLineWidth(1.6)
    canv.line(-9, top, -9, top - height + 2)


def _draw_picture(canv: Canvas, image: PreparedImage, top: float, height: float) -> None:
    canv.setFillColor(TINT)
    canv.roundRect(0, top - height, FRAME_W, height, 5, stroke=0, fill=1)
    box_w, box_h = FRAME_W - 2 * PANEL_PAD, height - 2 * PANEL_PAD
    ratio = min(box_w / image.width, box_h / image.height)
    w, h = max(1.0, image.width * ratio), max(1.0, image.height * ratio)
    x = (FRAME_W - w) / 2
    y = top - height + (height - h) / 2
    canv.drawImage(ImageReader(io.BytesIO(image.data)), x, y, w, h, mask="auto")
    canv.setStrokeColor(FRAME_LINE)
    canv.setLineWidth(0.5)
    canv.rect(x, y, w, h, stroke=1, fill=0)


def _draw_placeholder(canv: Canvas, page: Page, top: float) -> None:
    """A framed panel where the picture would be, holding the user's description of it."""
    height = page.panel_h
    canv.setFillColor(TINT)
    canv.setStrokeColor(FRAME_LINE)
    canv.setLineWidth(0.9)
    canv.setDash(4, 3)
    canv.roundRect(0, top - height, FRAME_W, height, 5, stroke=1, fill=1)
    canv.setDash()
    canv.setFillColor(ACCENT)
    canv.setFont("GoedwerkVera-Bold", 7)
    canv.drawString(PANEL_PAD, top - PANEL_PAD - 6, "AFBEELDING", charSpace=0.8)

    text_w = page.placeholder_w
    text_h = page.placeholder_h
    icon = page.icon
    block = text_h + (icon + 10 if icon else 0)
    y = top - (height - block) / 2
    if icon:
        _draw_icon(canv, FRAME_W / 2, y - icon / 2, icon)
        y -= icon + 10
    _flow(canv, page.placeholder, (FRAME_W - text_w) / 2, y, text_w)


def _draw_icon(canv: Canvas, cx: float, cy: float, size: float) -> None:
    """A line drawing of a picture (a frame, hills and a sun): an image belongs here."""
    w, h = size * 1.35, size
    x, y = cx - w / 2, cy - h / 2
    canv.setStrokeColor(ACCENT)
    canv.setLineWidth(max(0.8, size / 28))
    canv.setLineJoin(1)
    canv.roundRect(x, y, w, h, size / 10, stroke=1, fill=0)
    hills = canv.beginPath()
    hills.moveTo(x + w * 0.08, y + h * 0.18)
    hills.lineTo(x + w * 0.38, y + h * 0.58)
    hills.lineTo(x + w * 0.56, y + h * 0.36)
    hills.lineTo(x + w * 0.68, y + h * 0.48)
    hills.lineTo(x + w * 0.92, y + h * 0.18)
    canv.drawPath(hills, stroke=1, fill=0)
    canv.circle(x + w * 0.74, y + h * 0.74, size * 0.1, stroke=1, fill=0)


def _draw_band(canv: Canvas, page: Page, top: float) -> None:
    """The quiet band: situation, virtues, ik/wij and date, in small type on a light tint."""
    height = page.band_h
    canv.setFillColor(BAND)
    canv.rect(0, top - height, FRAME_W, height, stroke=0, fill=1)
    canv.setFillColor(ACCENT)
    canv.rect(0, top - 1.2, FRAME_W, 1.2, stroke=0, fill=1)
    for x, width, label, value in page.band:
        label.wrap(width, height)
        label.drawOn(canv, x, top - 9 - label.height)
        value_top = top - 9 - label.height - 2
        _, h = value.wrap(width, height)
        value.drawOn(canv, x, value_top - h)
