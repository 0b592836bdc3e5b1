"""A participant's summary of their own reflection session, as a file to hand to a coach.

Only the structure of the method and the participant's own words: the date, ik or wij, the
situation, what they told in the kop, their answers per perspective, the virtues they chose
and the rich A4. No assistant questions, no internal ids, no login name. Markdown is escaped
as in `assistant.export.markdown`; the PDF escapes Paragraph markup.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from docx import Document
from reportlab.lib.pagesizes import A4 as A4_SIZE
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from assistant.domain.perspectives import METHOD_ORDER
from assistant.domain.session import SessionState
from assistant.export.document import EMPTY, clean_text, paragraphs, register_fonts
from assistant.export.files import export_filename, write_atomically
from assistant.export.markdown import escape as md_escape
from assistant.export.pdf import ACCENT, MUTED, markup, paragraph_style

SummaryKind = Literal["md", "pdf", "docx"]
FOOTER = "Samenvatting van een reflectie op goed werk in samenwerking — gemaakt met goedwerk"
MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


@dataclass(frozen=True)
class Part:
    """A heading (level 2 or 3) with its texts: paragraphs, or a list when `items`."""

    heading: str
    texts: tuple[str, ...] = ()
    level: int = 2
    items: bool = False
    empty: str = ""  # shown when there is no text; nothing when ""


@dataclass(frozen=True)
class Summary:
    """The summary as plain data, rendered by each format."""

    title: str
    facts: tuple[tuple[str, str], ...]
    parts: tuple[Part, ...]


def _date(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def build_summary(state: SessionState, situation_title: str | None) -> Summary:
    """What the summary says, independent of the file format."""
    wij = state.wie == "wij"
    own = [a.text for a in state.answers if a.step == "kop"]
    staart = [a.text for a in state.answers if a.step in ("afronding", "afbeelding")]
    facts = (
        ("Datum", _date(state.created)),
        ("Vorm", "wij (een reflectie met het team)" if wij else "ik (een persoonlijke reflectie)"),
        (
            "Blik",
            "terugkijkend op een ervaring"
            if state.moment == "achteraf"
            else "vooruitkijkend naar een situatie die komt",
        ),
        ("Situatie", situation_title or "een eigen situatie (geen situatie uit het boekje)"),
    )
    parts = [
        Part(
            "Onze situatie in eigen woorden" if wij else "Mijn situatie in eigen woorden",
            (state.beschrijving,),
            empty=EMPTY,
        ),
        Part("Kop: de ervaring", tuple(own), empty=EMPTY),
        Part("Romp: vijf perspectieven"),
    ]
    for perspective in METHOD_ORDER:
        answers = tuple(a.text for a in state.answers_on(perspective))
        missing = "(overgeslagen)" if perspective in state.skipped else "(niet besproken)"
        parts.append(Part(perspective.label, answers, level=3, empty=missing))
    parts += [
        Part("Gekozen deugden", tuple(state.deugden), items=True, empty="(geen deugden gekozen)"),
        Part("Staart: afronding", tuple(staart), empty=EMPTY),
        Part("Rijk A4’tje"),
        Part("Pakkende titel", (state.a4.titel,), level=3, empty=EMPTY),
        Part("Kenmerkende ervaring", (state.a4.kenmerkende_ervaring,), level=3, empty=EMPTY),
        Part("Beeld van goed werk", (state.a4.beeld,), level=3, empty=EMPTY),
        Part("Afbeelding", (state.a4.afbeelding,), level=3, empty=EMPTY),
    ]
    title = "Samenvatting van onze reflectie" if wij else "Samenvatting van mijn reflectie"
    return Summary(title, facts, tuple(parts))


def _blocks(part: Part) -> list[list[str]]:
    """The part's text as paragraphs of lines; an empty list when there is no text."""
    return [lines for text in part.texts for lines in paragraphs(text)]


# ----- Markdown -------------------------------------------------------------------------------


def summary_markdown(state: SessionState, situation_title: str | None) -> str:
    """The summary as Markdown; every piece of user text is escaped."""
    summary = build_summary(state, situation_title)
    out = [
        f"# {md_escape(summary.title)}",
        "\n".join(f"- **{k}:** {md_escape(v)}" for k, v in summary.facts),
    ]
    for part in summary.parts:
        out.append(f"{'#' * part.level} {md_escape(part.heading)}")
        blocks = _blocks(part)
        if part.items and blocks:
            out.append("\n".join(f"- {md_escape(' '.join(lines))}" for lines in blocks))
        elif blocks:
            out += ["  \n".join(md_escape(line) for line in lines) for lines in blocks]
        elif part.empty:
            out.append(f"*{md_escape(part.empty)}*")
    out.append(f"---\n\n*{md_escape(FOOTER)}*")
    return "\n\n".join(out) + "\n"


# ----- PDF ------------------------------------------------------------------------------------


def _pdf_styles() -> dict[str, ParagraphStyle]:
    style = paragraph_style
    return {
        "title": style("title", "GoedwerkVera-Bold", 20, 25, spaceAfter=6),
        "fact": style("fact", "GoedwerkVera", 10, 14, textColor=MUTED),
        "h2": style(
            "h2", "GoedwerkVera-Bold", 14, 18, textColor=ACCENT, spaceBefore=14, keepWithNext=1
        ),
        "h3": style("h3", "GoedwerkVera-Bold", 11, 15, spaceBefore=9, keepWithNext=1),
        "body": style("body", "GoedwerkVera", 10, 14, spaceBefore=4),
        "item": style("item", "GoedwerkVera", 10, 14, leftIndent=14, bulletIndent=3),
        "empty": style("empty", "GoedwerkVera-Italic", 10, 14, textColor=MUTED, spaceBefore=4),
    }


def summary_to_pdf(state: SessionState, situation_title: str | None, out: Path) -> Path:
    """Write the summary as an A4 PDF (as many pages as needed) to `out`; return `out`."""
    summary = build_summary(state, situation_title)
    register_fonts()
    s = _pdf_styles()
    story: list[Flowable] = [Paragraph(markup(summary.title), s["title"])]
    story += [Paragraph(f"<b>{markup(k)}:</b> {markup(v)}", s["fact"]) for k, v in summary.facts]
    for part in summary.parts:
        story.append(Paragraph(markup(part.heading), s[f"h{part.level}"]))
        blocks = _blocks(part)
        for lines in blocks:
            if part.items:
                story.append(Paragraph(markup(" ".join(lines)), s["item"], bulletText="•"))
            else:
                story.append(Paragraph("<br/>".join(markup(x) for x in lines), s["body"]))
        if not blocks and part.empty:
            story.append(Paragraph(markup(part.empty), s["empty"]))

    def footer(canv: Canvas, doc: SimpleDocTemplate) -> None:
        canv.saveState()
        canv.setFont("GoedwerkVera", 8)
        canv.setFillColor(MUTED)
        canv.drawCentredString(A4_SIZE[0] / 2, 1.1 * cm, f"{FOOTER} · pagina {doc.page}")
        canv.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4_SIZE,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=summary.title,
        author="",
        subject="Beeld van goed werk in samenwerking",
        creator="goedwerk",
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    out.write_bytes(buffer.getvalue())
    return out


# ----- Word -----------------------------------------------------------------------------------


def summary_to_docx(state: SessionState, situation_title: str | None, out: Path) -> Path:
    """Write the summary as an editable Word document to `out`; return `out`."""
    summary = build_summary(state, situation_title)
    doc = Document()
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.comments = summary.title, "", "", ""
    props.language = "nl-NL"
    doc.add_heading(summary.title, level=0)
    for key, value in summary.facts:
        para = doc.add_paragraph()
        para.add_run(f"{key}: ").bold = True
        para.add_run(clean_text(value))
    for part in summary.parts:
        doc.add_heading(part.heading, level=part.level - 1)
        blocks = _blocks(part)
        for lines in blocks:
            para = doc.add_paragraph(style="List Bullet" if part.items else None)
            for i, line in enumerate(lines):
                run = para.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()
        if not blocks and part.empty:
            doc.add_paragraph().add_run(part.empty).italic = True
    doc.sections[0].footer.paragraphs[0].text = FOOTER
    doc.save(str(out))
    return out


# ----- to a file ------------------------------------------------------------------------------


def export_summary(
    state: SessionState, situation_title: str | None, kind: SummaryKind, directory: Path
) -> Path:
    """Write the summary as a new file in `directory`, e.g. "samenvatting-ons-beeld.md".

    The name comes from the A4 title (or the situation) through `export_filename`, so it is
    safe and never overwrites a file; the file is written whole or not at all, and a failed
    write leaves no empty file behind.
    """
    if kind not in ("md", "pdf", "docx"):
        raise ValueError(f"onbekend soort samenvatting: {kind!r}")
    title = " ".join(clean_text(state.a4.titel or situation_title or "reflectie").split())
    out = export_filename(f"samenvatting {title}", kind, directory)

    def write(tmp: Path) -> None:
        match kind:
            case "pdf":
                summary_to_pdf(state, situation_title, tmp)
            case "docx":
                summary_to_docx(state, situation_title, tmp)
            case _:
                tmp.write_text(summary_markdown(state, situation_title), encoding="utf-8")

    try:
        write_atomically(out, write)
    except BaseException:
        out.unlink(missing_ok=True)  # the empty file export_filename reserved
        raise
    return out
