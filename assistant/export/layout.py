"""Where everything goes on the rich A4, measured with the PDF's own fonts (reportlab).

`plan` sizes one A4 page so text and image fill it in balance:

1. the two text columns (kenmerkende ervaring, beeld) get the widths at which they end level;
2. at the normal type size the afbeelding gets the rest of the page, between PANEL_MIN and
   PANEL_MAX; when even more room is left the type grows (up to MAX_GROW) and then the spaces
   between the parts, so no wide blank band is left;
3. when the text does not fit beside the smallest afbeelding, everything is set smaller together
   (type, spacing, afbeelding) until it does, and at the very end the whole block is scaled.

The DOCX export takes its type scale, image height and column widths from the same plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4 as A4_SIZE
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from assistant.domain.session import A4, A4_FIELDS
from assistant.export.document import (
    DEFAULT_TITLE,
    EMPTY,
    NO_IMAGE,
    A4Context,
    image_description,
    paragraphs,
    to_font,
)
from assistant.export.files import PreparedImage

READABLE_SCALE = 0.6
MIN_FONT_SCALE = 0.1  # below this the whole block is scaled instead of the fonts
MAX_GROW = 1.45  # a short A4 is set at most this much larger

PAGE_W, PAGE_H = A4_SIZE
MARGIN_X = 1.8 * cm
MARGIN_TOP = 1.5 * cm
MARGIN_BOTTOM = 1.6 * cm  # the footer line sits in it
FRAME_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
COLUMN_GAP = 0.9 * cm
PANEL_PAD = 12.0
PANEL_MIN = 4.0 * cm
PANEL_PREFERRED = 6.5 * cm  # the placeholder's size before the type grows
PANEL_MAX = 0.42 * FRAME_H
MAX_EXTRA_GAP = 0.05 * PAGE_H  # what one space between parts may grow by
KICKER_H = 16.0
GAPS = (12.0, 18.0, 16.0)  # below the title, below the afbeelding, above the band
CAPTION_GAP = 6.0
MIN_RATIO, MAX_RATIO = 0.4, 0.6  # the kenmerkende ervaring's share of the column width
BAND_PAD = 9.0
BAND_VALUE_LINES = 3  # the band is at least this many value lines high
BAND_WEIGHTS = {"Situatie": 0.41, "Vorm": 0.13, "Datum": 0.17}  # virtues: the rest (0.29)
BAND_CELL_GAP = 14.0

INK = colors.HexColor("#1f2a2e")
ACCENT = colors.HexColor("#2f5d50")
MUTED = colors.HexColor("#5b6468")
TINT = colors.HexColor("#e9f0ec")
BAND = colors.HexColor("#f0f3f1")
FRAME_LINE = colors.HexColor("#8fb0a3")


def paragraph_style(
    name: str, font: str, size: float, leading: float, **kw: object
) -> ParagraphStyle:
    """A paragraph style in the bundled font, in ink colour unless `textColor` is given."""
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **kw)


def markup(text: str) -> str:
    """Plain user text as Paragraph markup: in the font's characters, and escaped."""
    return escape(to_font(text)[0])


def font_texts(a4: A4) -> tuple[dict[str, str], int]:
    """The A4's parts in the font's characters (the default title when it has none)."""
    texts: dict[str, str] = {}
    replaced = 0
    for key in A4_FIELDS:
        value = getattr(a4, key)
        texts[key], n = to_font(image_description(value) if key == "afbeelding" else value)
        replaced += n
    if not texts["titel"].strip():
        texts["titel"] = DEFAULT_TITLE
    return texts, replaced


Cell = tuple[float, float, Paragraph, Paragraph]  # a band cell: x, width, label, value


@dataclass
class Page:
    """One planned page: sizes in points (before `block_scale`) and the paragraphs to draw."""

    font_scale: float  # above 1 for a short A4, below 1 when the text had to shrink
    block_scale: float  # below 1 only when even the smallest type did not fit
    kicker_h: float
    title: list[Paragraph]
    gaps: tuple[float, float, float]  # below the title, below the afbeelding, above the band
    panel_h: float  # the afbeelding: the picture's mat or the placeholder's frame
    caption: Paragraph | None  # the description under a picture
    caption_gap: float
    column_widths: tuple[float, float]
    left: list[Paragraph]  # its label and the kenmerkende ervaring
    right: list[Paragraph]  # its label and the beeld van goed werk
    left_h: float
    right_h: float
    band: list[Cell]
    band_h: float
    placeholder: list[Paragraph]  # the description inside the frame, without a picture
    placeholder_w: float
    placeholder_h: float
    icon: float  # the height of the little picture drawn above it; 0 without one

    @property
    def gap_scale(self) -> float:
        return min(self.font_scale, 1.0)


def _markup(lines: list[str]) -> str:
    return "<br/>".join(escape(line) for line in lines)


_PAUSE = re.compile(r"(?<=[–—:;,]) ")  # where a title takes a breath: after a dash, colon or comma


def _title_lines(text: str, f: float) -> tuple[list[str], float]:
    """The title's lines and type size, large: on one line when it fits at no less than 80% of
    its size, or else broken at its own pause (a dash, colon or comma) when both halves fit."""
    line = " ".join(text.split())
    length = len(line)
    size = (30.0 if length <= 32 else 26.0 if length <= 60 else 22.0) * min(f, 1.1)
    lines = [line]
    widest = stringWidth(line, "GoedwerkVera-Bold", 1.0)
    if FRAME_W / widest < 0.8 * size:
        pauses = [m.start() for m in _PAUSE.finditer(line)]
        for at in sorted(pauses, key=lambda i: abs(i - length / 2)):
            halves = [line[:at].strip(), line[at:].strip()]
            half = max(stringWidth(h, "GoedwerkVera-Bold", 1.0) for h in halves)
            if FRAME_W / half >= 0.8 * size:
                lines, widest = halves, half
                break
    if FRAME_W / widest >= 0.8 * size:
        size = min(size, FRAME_W / max(1.0, widest) * 0.99)
    return lines, size


def _title(text: str, f: float) -> list[Paragraph]:
    lines, size = _title_lines(text, f)
    style = paragraph_style("titel", "GoedwerkVera-Bold", size, size * 1.16)
    return [Paragraph(_markup(lines), style)]


def _column(heading: str, text: str, f: float) -> list[Paragraph]:
    h = min(f, 1.2)  # a label, like the band's: it grows less than the text under it
    head = paragraph_style("kop", "GoedwerkVera-Bold", 9 * h, 12 * h, textColor=ACCENT)
    body = paragraph_style("tekst", "GoedwerkVera", 10.2 * f, 14.6 * f, spaceBefore=6 * f)
    empty = paragraph_style("leeg", "GoedwerkVera-Italic", 10.2 * f, 14.6 * f, textColor=MUTED)
    empty.spaceBefore = 6 * f
    paras = [Paragraph(_markup(lines), body) for lines in paragraphs(text)]
    return [Paragraph(heading.upper(), head), *(paras or [Paragraph(EMPTY, empty)])]


def height(paras: list[Paragraph], width: float) -> float:
    """The height of paragraphs set one below the other at `width`."""
    total = 0.0
    for i, para in enumerate(paras):
        total += para.wrap(width, 10 * PAGE_H)[1] + (para.getSpaceBefore() if i else 0.0)
    return total


def _widths(ratio: float, f: float) -> tuple[float, float]:
    usable = FRAME_W - COLUMN_GAP * min(f, 1.0)
    return usable * ratio, usable * (1 - ratio)


def _columns(texts: dict[str, str], f: float) -> tuple[list[Paragraph], list[Paragraph]]:
    return (
        _column("Kenmerkende ervaring", texts["kenmerkende_ervaring"], f),
        _column("Beeld van goed werk", texts["beeld"], f),
    )


def _balance(texts: dict[str, str], f: float) -> float:
    """The ervaring's share of the width at which both columns are about equally high."""
    left, right = _columns(texts, f)
    lo, hi = MIN_RATIO, MAX_RATIO
    for _ in range(9):
        mid = (lo + hi) / 2
        lw, rw = _widths(mid, f)
        if height(left, lw) > height(right, rw):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _caption(texts: dict[str, str], f: float) -> Paragraph | None:
    lines = [" ".join(line for para in paragraphs(texts["afbeelding"]) for line in para)]
    if not lines[0]:
        return None
    c = min(f, 1.15)
    style = paragraph_style(
        "onderschrift", "GoedwerkVera-Italic", 9.5 * c, 13 * c, textColor=MUTED, alignment=TA_CENTER
    )
    return Paragraph(_markup(lines), style)


def _band(rows: list[tuple[str, str]]) -> tuple[list[Cell], float]:
    """The quiet band's cells and its height (at least BAND_VALUE_LINES lines of values)."""
    label_style = paragraph_style("band-label", "GoedwerkVera-Bold", 6.8, 8.5, textColor=ACCENT)
    value_style = paragraph_style("band-waarde", "GoedwerkVera", 8.3, 10.8)
    weights = [BAND_WEIGHTS.get(label, 0.29) for label, _ in rows]
    usable = FRAME_W - 2 * BAND_PAD - BAND_CELL_GAP * max(0, len(rows) - 1)
    cells = []
    x = BAND_PAD
    tallest = 0.0
    for (label, value), weight in zip(rows, weights, strict=True):
        width = usable * weight / sum(weights)
        label_para = Paragraph(escape(label.upper()), label_style)
        value_para = Paragraph(markup(value), value_style)
        tallest = max(tallest, value_para.wrap(width, PAGE_H)[1])
        cells.append((x, width, label_para, value_para))
        x += width + BAND_CELL_GAP
    values = max(tallest, BAND_VALUE_LINES * value_style.leading)
    return cells, BAND_PAD + label_style.leading + 2 + values + BAND_PAD - 2


def _preferred_panel(image: PreparedImage | None) -> float:
    if image is None:
        return PANEL_PREFERRED
    natural = (FRAME_W - 2 * PANEL_PAD) * image.height / image.width + 2 * PANEL_PAD
    return max(PANEL_MIN, min(PANEL_MAX, natural))


def _largest(ok: Callable[[float], bool], lo: float, hi: float) -> float:
    """The largest scale in [lo, hi] for which `ok` holds (`ok(lo)` is known to hold)."""
    if ok(hi):
        return hi
    while hi - lo > 0.002:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    return lo


@dataclass
class _Measure:
    texts: dict[str, str]
    image: PreparedImage | None
    band_h: float
    ratio: float

    def fixed(self, f: float) -> float:
        """Everything's height but the afbeelding's, at type scale `f`."""
        left, right = _columns(self.texts, f)
        lw, rw = _widths(self.ratio, f)
        caption = _caption(self.texts, f) if self.image is not None else None
        total = KICKER_H + height(_title(self.texts["titel"], f), FRAME_W)
        total += sum(GAPS) * min(f, 1.0) + max(height(left, lw), height(right, rw))
        if caption is not None:
            total += CAPTION_GAP * min(f, 1.0) + height([caption], FRAME_W)
        return total + self.band_h


def fits(texts: dict[str, str], context: A4Context) -> bool:
    """Does everything fit at the normal type size beside the smallest afbeelding?"""
    _, band_h = _band(context.rows())
    return _Measure(texts, None, band_h, _balance(texts, 1.0)).fixed(1.0) + PANEL_MIN <= FRAME_H


def plan(texts: dict[str, str], context: A4Context, image: PreparedImage | None) -> Page:
    """Size the page for these texts (already in the font's characters) and image."""
    cells, band_h = _band(context.rows())
    measure = _Measure(texts, image, band_h, _balance(texts, 1.0))
    base = measure.fixed(1.0)
    if base + PANEL_MIN <= FRAME_H:
        preferred = _preferred_panel(image)
        f = 1.0
        if base + preferred <= FRAME_H:
            f = _largest(lambda s: measure.fixed(s) + preferred <= FRAME_H, 1.0, MAX_GROW)
            # Larger type wraps differently: balance the columns again at its size.
            rebalanced = _Measure(texts, image, band_h, _balance(texts, f))
            if rebalanced.fixed(f) <= measure.fixed(f):
                measure = rebalanced
        return _page(measure, cells, f, FRAME_H - measure.fixed(f), 1.0)

    def shrunk_fits(s: float) -> bool:
        return measure.fixed(s) + PANEL_MIN * s <= FRAME_H

    if not shrunk_fits(MIN_FONT_SCALE):
        whole = measure.fixed(MIN_FONT_SCALE) + PANEL_MIN * MIN_FONT_SCALE
        panel = PANEL_MIN * MIN_FONT_SCALE
        return _page(measure, cells, MIN_FONT_SCALE, panel, FRAME_H / whole)
    f = _largest(shrunk_fits, MIN_FONT_SCALE, 1.0)
    return _page(measure, cells, f, FRAME_H - measure.fixed(f), 1.0)


def _page(
    measure: _Measure,
    cells: list[Cell],
    f: float,
    panel: float,
    block: float,
) -> Page:
    texts, g = measure.texts, min(f, 1.0)
    gaps = [gap * g for gap in GAPS]
    if panel > PANEL_MAX:  # room to spare: open up the spaces between the parts a little
        extra = min((panel - PANEL_MAX) / len(gaps), MAX_EXTRA_GAP)
        gaps = [gap + extra for gap in gaps]
        panel -= extra * len(gaps)
    left, right = _columns(texts, f)
    lw, rw = _widths(measure.ratio, f)
    placeholder, text_w, text_h, icon = _placeholder(texts, panel, f)
    return Page(
        font_scale=f,
        block_scale=block,
        kicker_h=KICKER_H,
        title=_title(texts["titel"], f),
        gaps=(gaps[0], gaps[1], gaps[2]),
        panel_h=panel,
        caption=_caption(texts, f) if measure.image is not None else None,
        caption_gap=CAPTION_GAP * g,
        column_widths=(lw, rw),
        left=left,
        right=right,
        left_h=height(left, lw),
        right_h=height(right, rw),
        band=cells,
        band_h=measure.band_h,
        placeholder=placeholder,
        placeholder_w=text_w,
        placeholder_h=text_h,
        icon=icon,
    )


def _placeholder(
    texts: dict[str, str], panel: float, f: float
) -> tuple[list[Paragraph], float, float, float]:
    """The description inside the placeholder, as large as the panel allows; with an icon
    above it when there is room."""
    width = min(FRAME_W - 2 * PANEL_PAD - 24, 0.8 * FRAME_W)
    room = panel - 2 * PANEL_PAD - 12
    paras_text = paragraphs(texts["afbeelding"])
    size = min(20.0, 16.0 * f)
    while True:
        if paras_text:
            style = paragraph_style(
                "afbeelding",
                "GoedwerkVera-Italic",
                size,
                size * 1.35,
                alignment=TA_CENTER,
                spaceBefore=size * 0.5,
            )
            paras = [Paragraph(_markup(lines), style) for lines in paras_text]
        else:
            style = paragraph_style(
                "geen-afbeelding",
                "GoedwerkVera-Italic",
                size,
                size * 1.35,
                alignment=TA_CENTER,
                textColor=MUTED,
            )
            paras = [Paragraph(NO_IMAGE, style)]
        text_h = height(paras, width)
        icon = 30.0 * min(f, 1.0) if text_h + 40 * min(f, 1.0) <= room else 0.0
        if text_h + (icon + 10 if icon else 0) <= room or size <= 4:
            return paras, width, text_h, icon
        size *= 0.92
