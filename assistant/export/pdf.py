"""The rich A4 as exactly one printed A4 page (reportlab).

Text is set in Bitstream Vera (bundled with reportlab, embedded); characters Vera lacks are
shown as stand-ins or the placeholder ◊, never dropped silently and never as tofu boxes (see
`assistant.export.document.to_font`); `PdfResult.replaced` counts the characters replaced.

The page never overflows to a second page: when the text does not fit, everything is set
smaller (fonts, spacing and image box together, text reflowed at the full width) until it fits.
`PdfResult.scale` is that factor; below READABLE_SCALE the UI should warn that the page is
hard to read and the text should be shortened.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4 as A4_SIZE
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus.flowables import HRFlowable

from assistant.domain.session import A4, A4_FIELDS
from assistant.export.document import (
    DEFAULT_TITLE,
    EMPTY,
    FOOTER,
    clean_text,
    paragraphs,
    register_fonts,
    to_font,
)
from assistant.export.files import PreparedImage, prepare_image

READABLE_SCALE = 0.6
MIN_FONT_SCALE = 0.1  # below this the whole block is scaled instead of the fonts

PAGE_W, PAGE_H = A4_SIZE
MARGIN = 2 * cm
FRAME_W = PAGE_W - 2 * MARGIN
FRAME_H = PAGE_H - 2 * MARGIN
IMAGE_MAX_W = 14 * cm
IMAGE_MAX_H = 6.5 * cm

INK = colors.HexColor("#1f2a2e")
ACCENT = colors.HexColor("#2f5d50")
MUTED = colors.HexColor("#5b6468")


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


def paragraph_style(
    name: str, font: str, size: float, leading: float, **kw: object
) -> ParagraphStyle:
    """A paragraph style in the bundled font, in ink colour unless `textColor` is given."""
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **kw)


def markup(text: str) -> str:
    """Plain user text as Paragraph markup: in the font's characters, and escaped."""
    return escape(to_font(text)[0])


def _styles(f: float) -> dict[str, ParagraphStyle]:
    def style(name: str, font: str, size: float, leading: float, **kw: object) -> ParagraphStyle:
        return paragraph_style(name, font, size * f, leading * f, **kw)

    return {
        "title": style("title", "GoedwerkVera-Bold", 22, 27, spaceAfter=8 * f),
        "heading": style(
            "heading", "GoedwerkVera-Bold", 12.5, 16, textColor=ACCENT, spaceBefore=14 * f
        ),
        "body": style("body", "GoedwerkVera", 10.5, 14.5, spaceBefore=5 * f),
        "empty": style("empty", "GoedwerkVera-Italic", 10.5, 15, textColor=MUTED),
        "caption": style(
            "caption", "GoedwerkVera-Italic", 9.5, 13.5, textColor=MUTED, spaceBefore=6 * f
        ),
    }


def _markup(lines: list[str]) -> str:
    return "<br/>".join(escape(line) for line in lines)


class _Picture(Flowable):
    """The uploaded image, drawn at a fixed size, centred."""

    def __init__(self, image: PreparedImage, width: float, height: float, space: float) -> None:
        super().__init__()
        self.reader = ImageReader(io.BytesIO(image.data))
        self.width, self.height = width, height
        self.hAlign = "CENTER"
        self.spaceBefore = space

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


def _story(texts: dict[str, str], image: PreparedImage | None, f: float) -> list[Flowable]:
    s = _styles(f)
    story: list[Flowable] = [
        Paragraph(_markup([texts["titel"]]), s["title"]),
        HRFlowable(width="100%", thickness=0.8 * f, color=ACCENT, spaceAfter=2 * f),
    ]

    def body(text: str, style: ParagraphStyle) -> list[Flowable]:
        paras = paragraphs(text)
        if not paras:
            return [Paragraph(EMPTY, s["empty"])] if style is s["body"] else []
        return [Paragraph(_markup(lines), style) for lines in paras]

    for heading, key in (
        ("Kenmerkende ervaring", "kenmerkende_ervaring"),
        ("Beeld van goed werk", "beeld"),
    ):
        story += [Paragraph(heading, s["heading"]), Spacer(0, 2 * f), *body(texts[key], s["body"])]
    story += [Paragraph("Afbeelding", s["heading"]), Spacer(0, 2 * f)]
    if image is None:
        story += body(texts["afbeelding"], s["body"])
    else:
        ratio = min(IMAGE_MAX_W * f / image.width, IMAGE_MAX_H * f / image.height)
        w, h = max(1.0, image.width * ratio), max(1.0, image.height * ratio)
        story.append(_Picture(image, w, h, space=6 * f))
        caption = s["caption"].clone("caption-centred", alignment=TA_CENTER)
        story += body(texts["afbeelding"], caption)
    return story


def _measure(story: list[Flowable]) -> list[tuple[Flowable, float, float, float]]:
    """Each flowable with its width, height and the gap above it (spaces merged)."""
    placed = []
    prev_after = 0.0
    for i, fl in enumerate(story):
        w, h = fl.wrap(FRAME_W, 10 * PAGE_H)
        gap = 0.0 if i == 0 else max(fl.getSpaceBefore(), prev_after)
        placed.append((fl, w, h, gap))
        prev_after = fl.getSpaceAfter()
    return placed


def _height(placed: list[tuple[Flowable, float, float, float]]) -> float:
    return sum(h + gap for _, _, h, gap in placed)


def _fit(texts: dict[str, str], image: PreparedImage | None) -> tuple[float, float, list]:
    """The largest font scale (and extra block scale) at which everything fits the frame."""
    placed = _measure(_story(texts, image, 1.0))
    if _height(placed) <= FRAME_H:
        return 1.0, 1.0, placed
    lo, hi = MIN_FONT_SCALE, 1.0
    best = _measure(_story(texts, image, lo))
    if _height(best) > FRAME_H:
        return lo, FRAME_H / _height(best), best
    while hi - lo > 0.002:
        mid = (lo + hi) / 2
        trial = _measure(_story(texts, image, mid))
        if _height(trial) <= FRAME_H:
            lo, best = mid, trial
        else:
            hi = mid
    return lo, 1.0, best


def _font_texts(a4: A4) -> tuple[dict[str, str], int]:
    """The A4's parts in the font's characters (the default title when it has none)."""
    texts: dict[str, str] = {}
    replaced = 0
    for key in A4_FIELDS:
        texts[key], n = to_font(getattr(a4, key))
        replaced += n
    if not texts["titel"].strip():
        texts["titel"] = DEFAULT_TITLE
    return texts, replaced


# Not memoised: a cache would keep users' text in memory across sessions.
def _fits_text(titel: str, kenmerkende_ervaring: str, beeld: str, afbeelding: str) -> bool:
    a4 = A4(
        titel=titel, kenmerkende_ervaring=kenmerkende_ervaring, beeld=beeld, afbeelding=afbeelding
    )
    register_fonts()
    texts, _ = _font_texts(a4)
    return _height(_measure(_story(texts, None, 1.0))) <= FRAME_H


def fits_one_page(a4: A4) -> bool:
    """Does the A4's text fit one page of the PDF at its normal type size (without an image)?

    This is the PDF's own layout, not an estimate: when it says no, `a4_to_pdf` sets the page
    smaller. Memoised, as the app asks again on every preview.
    """
    return _fits_text(a4.titel, a4.kenmerkende_ervaring, a4.beeld, a4.afbeelding)


def a4_to_pdf(a4: A4, image: Path | None, out: Path) -> PdfResult:
    """Write the A4 as a one-page PDF to `out`; `image` must be a PNG or JPEG (validated here).

    Raises ImageRejected when the image is not acceptable.
    """
    register_fonts()
    prepared = prepare_image(image) if image is not None else None
    texts, replaced = _font_texts(a4)
    raw_title = " ".join(clean_text(a4.titel).split()) or DEFAULT_TITLE

    font_scale, block_scale, placed = _fit(texts, prepared)

    buffer = io.BytesIO()
    canv = Canvas(buffer, pagesize=A4_SIZE, pageCompression=1)
    canv.setTitle(raw_title)
    canv.setAuthor("")
    canv.setSubject("Beeld van goed werk in samenwerking")
    canv.setCreator("goedwerk")

    canv.saveState()
    canv.translate(MARGIN, PAGE_H - MARGIN)
    canv.scale(block_scale, block_scale)
    y = 0.0
    for fl, w, h, gap in placed:
        y -= gap + h
        fl.drawOn(canv, 0, y, _sW=FRAME_W - w)
    canv.restoreState()

    canv.setFont("GoedwerkVera", 8)
    canv.setFillColor(MUTED)
    canv.drawCentredString(PAGE_W / 2, 1.1 * cm, FOOTER)
    canv.showPage()
    canv.save()
    out.write_bytes(buffer.getvalue())

    scale = round(font_scale * block_scale, 3)
    return PdfResult(path=out, pages=1, shrunk=scale < 1.0, scale=scale, replaced=replaced)
