"""A printable guide (PDF, A4) for a 2-hour intervision session on one critical situation.

For the facilitator of a group of 2 to 12 people, following the booklet's handreiking: a
schedule for the group size (`assistant.export.timing`), the situation with the booklet's
considerations per perspective, the questions for kop, romp and staart from the question
bank, the booklet's two beelden as examples, the Overzicht van deugden and an empty rich A4
on its own page. All text goes through `to_font` and is escaped: reportlab's Paragraph reads
markup, and corpus or bank text must stay text.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4 as A4_SIZE
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from assistant.corpus.load import Corpus
from assistant.corpus.models import Situatie
from assistant.domain.perspectives import METHOD_ORDER, Perspectief
from assistant.domain.session import Wie
from assistant.export.document import paragraphs, register_fonts, to_font
from assistant.export.files import export_filename, write_atomically
from assistant.export.pdf import ACCENT, MUTED, markup, paragraph_style
from assistant.export.timing import GuideError, Timing, session_timing
from assistant.templates import SITUATIE, render

if TYPE_CHECKING:  # the bank is only read here; the export layer sits below the facilitator
    from assistant.facilitator.questions import QuestionBank

PAGE_W, PAGE_H = A4_SIZE
MARGIN = 2 * cm
FRAME_W = PAGE_W - 2 * MARGIN


# ----- text and styles ------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    style = paragraph_style
    return {
        "title": style("title", "GoedwerkVera-Bold", 22, 27, spaceAfter=4),
        "subtitle": style("subtitle", "GoedwerkVera-Bold", 13, 17, textColor=ACCENT),
        "meta": style("meta", "GoedwerkVera", 10, 14, textColor=MUTED, spaceBefore=4),
        "h1": style(
            "h1", "GoedwerkVera-Bold", 15, 19, textColor=ACCENT, spaceBefore=14, keepWithNext=1
        ),
        "h2": style("h2", "GoedwerkVera-Bold", 11.5, 15, spaceBefore=10, keepWithNext=1),
        "label": style(
            "label", "GoedwerkVera-Italic", 9.5, 13, textColor=MUTED, spaceBefore=5, keepWithNext=1
        ),
        "body": style("body", "GoedwerkVera", 10, 14, spaceBefore=4),
        "bullet": style("bullet", "GoedwerkVera", 10, 14, leftIndent=14, bulletIndent=3),
        "cell": style("cell", "GoedwerkVera", 9, 12),
        "cell-bold": style("cell-bold", "GoedwerkVera-Bold", 9, 12),
        "hint": style("hint", "GoedwerkVera-Italic", 8.5, 11.5, textColor=MUTED),
    }


def _body(text: str, style: ParagraphStyle) -> list[Flowable]:
    return [Paragraph(markup(" ".join(lines)), style) for lines in paragraphs(text)]


def _bullets(items: list[str], style: ParagraphStyle) -> list[Flowable]:
    return [Paragraph(markup(item), style, bulletText="•") for item in items]


# ----- sections -------------------------------------------------------------------------------

TIPS = (
    "Zorg ervoor dat alle vijf de perspectieven aan bod komen.",
    "Bewaak dat iedereen ruimte krijgt om in te brengen; laat in de eerste ronde iedereen iets "
    "inbrengen zonder meteen te reageren.",
    "Blijf dicht bij ervaringen: gaat het zweven en gaan mensen veel ‘vinden’, vraag dan om "
    "ervaringen en voorbeelden en vraag door tot het weer concreet wordt.",
    "Pas op voor waarheden of instrumentele oplossingen: er is geen ‘juist’ antwoord, goed werk "
    "ligt in de context besloten.",
    "Draag zorg voor de samenvatting van de inzichten in een beeld van goed werk.",
)

A4_PARTS = (
    (
        "Pakkende titel",
        "Liefst een kort typerend zinnetje. Vaak is dit het laatste dat je omschrijft.",
        2.6 * cm,
    ),
    (
        "Kenmerkende ervaring",
        "Een kort verhaal dat de lezer meeneemt naar het moment: ‘toen… "
        "daar… met die… en toen gebeurde… en toen deed ik…’",
        6.3 * cm,
    ),
    (
        "Beeld van goed werk",
        "Een korte uitwerking van de ervaring waarin de vijf perspectieven "
        "herkenbaar zijn: waarom was dit in díe situatie goed werk? Werk dat goed is, goed doet en "
        "goed voelt.",
        7.3 * cm,
    ),
    ("Afbeelding", "Een plaatje dat de essentie van het beeld of de ervaring laat zien.", 5.8 * cm),
)


def _schedule(timing: Timing, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    rows = [[Paragraph(h, s["cell-bold"]) for h in ("Tijd", "Onderdeel", "Min.", "Toelichting")]]
    start = 0
    for block in timing.blocks:
        end = start + block.minutes
        rows.append(
            [
                Paragraph(f"{start // 60}:{start % 60:02d}–{end // 60}:{end % 60:02d}", s["cell"]),
                Paragraph(markup(block.name), s["cell-bold"]),
                Paragraph(str(block.minutes), s["cell"]),
                Paragraph(markup(block.note), s["cell"]),
            ]
        )
        start = end
    total = [Paragraph("Totaal", s["cell-bold"]), Paragraph(str(timing.total), s["cell-bold"])]
    rows.append([Paragraph("", s["cell"]), *total, Paragraph("", s["cell"])])
    table = Table(rows, colWidths=[2.3 * cm, 4.6 * cm, 1.2 * cm, FRAME_W - 8.1 * cm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -2), 0.3, MUTED),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [Paragraph("Tijdschema", s["h1"]), table, Paragraph(timing.facilitation, s["body"])]


def _situation(situatie: Situatie, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(f"De situatie: {markup(situatie.titel)}", s["h1"]),
        *_body(situatie.beschrijving, s["body"]),
        Paragraph("Afwegingen vanuit vijf perspectieven", s["h1"]),
        Paragraph(
            "De toelichting uit het boekje, om de situatie rustig door te nemen. De "
            "perspectieven grijpen op elkaar in; ze zijn geen afvinklijst.",
            s["label"],
        ),
    ]
    for perspective in METHOD_ORDER:
        story.append(Paragraph(markup(perspective.label), s["h2"]))
        text = situatie.perspectieven.get(perspective, "")
        story += _body(text, s["body"]) or [Paragraph("(geen toelichting)", s["label"])]
    return story


def _questions(
    situatie: Situatie, bank: QuestionBank, wie: Wie, timing: Timing, s: dict[str, ParagraphStyle]
) -> list[Flowable]:
    name = situatie.titel.rstrip("?").rstrip()  # as the app quotes it inside a question
    kop = [render(q, SITUATIE, situatie=name) for q in bank.kop.achteraf.get(wie)]
    vooruit = [render(q, SITUATIE, situatie=name) for q in bank.kop.vooruit.get(wie)]
    story: list[Flowable] = [
        Paragraph("Gespreksverloop", s["h1"]),
        Paragraph(f"Kop: eerste ronde ({timing.minutes('kop')} minuten)", s["h2"]),
        Paragraph(
            "De situatie is prototypisch: het gaat er niet om het verhaal te analyseren, maar om "
            "de stap naar eigen ervaringen. Laat iedereen iets inbrengen zonder meteen te "
            "reageren.",
            s["body"],
        ),
        Paragraph("Startvragen (kies er één):", s["label"]),
        *_bullets(kop, s["bullet"]),
        Paragraph("Bij een situatie die nog komt:", s["label"]),
        *_bullets(vooruit, s["bullet"]),
        Paragraph(
            f"Romp: vijf perspectieven ({timing.minutes('romp')} minuten, ongeveer "
            f"{timing.perspective_minutes} per perspectief)",
            s["h2"],
        ),
    ]
    for perspective in METHOD_ORDER:
        romp = bank.romp.of(perspective)
        block: list[Flowable] = [
            Paragraph(markup(perspective.label), s["h2"]),
            *_bullets(romp.methode.get(wie), s["bullet"]),
        ]
        if perspective is Perspectief.WAARDEN_DEUGDEN:
            block += _bullets(bank.deugden.spanning.get(wie), s["bullet"])
        block += [
            Paragraph("Doorvragen tot het concreet wordt:", s["label"]),
            *_bullets(bank.doorvragen.of(perspective.value).get(wie), s["bullet"]),
        ]
        story.append(KeepTogether(block))
    story += [
        Paragraph(f"Staart: beeld van goed werk ({timing.minutes('staart')} minuten)", s["h2"]),
        Paragraph(
            "Voeg de gedeelde verhalen en opvattingen samen tot een samenhangend, beknopt "
            "(tijdelijk) beeld van goed werk, en vul samen het rijke A4’tje in (laatste pagina).",
            s["body"],
        ),
        *_bullets(bank.staart.afronding.get(wie) + bank.staart.samen.get(wie), s["bullet"]),
        Paragraph("Voor de afbeelding:", s["label"]),
        *_bullets(bank.staart.afbeelding.get(wie), s["bullet"]),
    ]
    return story


def _examples(corpus: Corpus, situatie_id: int, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    beelden = corpus.beelden_bij(situatie_id)
    if not beelden:
        return []
    story: list[Flowable] = [
        Paragraph("Voorbeelden uit het boekje", s["h1"]),
        Paragraph(
            "Ter herkenning, niet als het juiste antwoord: zo beschreven grenswerkers hun beeld "
            "van goed werk bij deze situatie.",
            s["label"],
        ),
    ]
    for beeld in beelden:
        story += [
            Paragraph(f"‘{markup(beeld.titel)}’", s["h2"]),
            Paragraph("Kenmerkende ervaring", s["label"]),
            *_body(beeld.kenmerkende_ervaring, s["body"]),
            Paragraph("Beeld van goed werk", s["label"]),
            *_body(beeld.beeld, s["body"]),
        ]
    return story


def _virtues(
    corpus: Corpus, situatie: Situatie, s: dict[str, ParagraphStyle], columns: int = 4
) -> list[Flowable]:
    names = [d.naam for d in corpus.deugden]
    rows_n = -(-len(names) // columns)
    cells = [[Paragraph("", s["cell"]) for _ in range(columns)] for _ in range(rows_n)]
    for i, name in enumerate(names):
        cells[i % rows_n][i // rows_n] = Paragraph(markup(name), s["cell"])
    table = Table(cells, colWidths=[FRAME_W / columns] * columns)
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 0.5)]))
    story: list[Flowable] = [Paragraph("Overzicht van deugden", s["h1"])]
    if situatie.deugden:
        story.append(
            Paragraph(
                "De toelichting bij deze situatie noemt: " + markup(", ".join(situatie.deugden)),
                s["body"],
            )
        )
    return [*story, Spacer(0, 6), table]


def _empty_a4(wie: Wie, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [
        PageBreak(),
        Paragraph(
            "Ons beeld van goed werk" if wie == "wij" else "Mijn beeld van goed werk", s["title"]
        ),
        HRFlowable(width="100%", thickness=0.8, color=ACCENT, spaceAfter=6),
    ]
    for label, hint, height in A4_PARTS:
        box = Table(
            [[[Paragraph(label, s["cell-bold"]), Paragraph(markup(hint), s["hint"])]]],
            colWidths=[FRAME_W],
            rowHeights=[height],
        )
        box.setStyle(
            TableStyle(
                [("BOX", (0, 0), (-1, -1), 0.8, ACCENT), ("VALIGN", (0, 0), (-1, -1), "TOP")]
            )
        )
        story += [box, Spacer(0, 0.3 * cm)]
    return story


# ----- the document ---------------------------------------------------------------------------


def _situatie(corpus: Corpus, situatie_id: int) -> Situatie:
    try:
        return corpus.situatie(situatie_id)
    except KeyError:
        ids = sorted(s.id for s in corpus.situaties)
        if not ids:
            raise GuideError("Het corpus bevat geen situaties.") from None
        valid = (
            f"van {ids[0]} tot en met {ids[-1]}"
            if ids == list(range(ids[0], ids[-1] + 1))
            else "uit " + ", ".join(map(str, ids))
        )
        raise GuideError(
            f"Situatie {situatie_id} bestaat niet; kies een situatienummer {valid}."
        ) from None


def _footer(label: str) -> object:
    def draw(canv: Canvas, doc: SimpleDocTemplate) -> None:
        canv.saveState()
        canv.setFont("GoedwerkVera", 8)
        canv.setFillColor(MUTED)
        canv.drawCentredString(PAGE_W / 2, 1.1 * cm, f"{label} · pagina {doc.page}")
        canv.restoreState()

    return draw


def guide_to_pdf(
    corpus: Corpus,
    bank: QuestionBank,
    situatie_id: int,
    group_size: int,
    out: Path,
    *,
    wie: Wie = "wij",
) -> Path:
    """Write the session guide for one situation and group size; return the PDF's path.

    `out` is the file to write, or an existing directory in which a new, safely named file is
    created (e.g. `gespreksleidraad-situatie-3.pdf`); it is written whole or not at all.
    Questions are in the wij-form unless `wie` is "ik". Raises GuideError (Dutch) for an unknown
    situation or a group size outside 2 to 12, OSError when the file cannot be written.
    """
    timing = session_timing(group_size)
    situatie = _situatie(corpus, situatie_id)
    register_fonts()
    s = _styles()
    story: list[Flowable] = [
        Paragraph("Gespreksleidraad", s["title"]),
        Paragraph(f"Situatie {situatie.id}: {markup(situatie.titel)}", s["subtitle"]),
        Paragraph(
            f"Intervisie van 2 uur · {group_size} deelnemers · vragen in de "
            f"{'wij' if wie == 'wij' else 'ik'}-vorm · bij ‘Beelden van goed werk in "
            "samenwerking’",
            s["meta"],
        ),
        *_schedule(timing, s),
        Paragraph("Rol van de begeleider", s["h1"]),
        *_bullets(list(TIPS), s["bullet"]),
        PageBreak(),
        *_situation(situatie, s),
        PageBreak(),
        *_questions(situatie, bank, wie, timing, s),
        *_examples(corpus, situatie.id, s),
        *_virtues(corpus, situatie, s),
        *_empty_a4(wie, s),
    ]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Gespreksleidraad: {to_font(situatie.titel)[0]}",
        author="",
        subject="Gespreksleidraad bij Beelden van goed werk in samenwerking",
        creator="goedwerk",
    )
    footer = _footer(f"Gespreksleidraad situatie {situatie.id} — gemaakt met goedwerk")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)

    pdf = buffer.getvalue()
    if out.is_dir():
        target = export_filename(f"gespreksleidraad situatie {situatie.id}", "pdf", out)
        try:
            write_atomically(target, lambda tmp: tmp.write_bytes(pdf))
        except OSError:
            target.unlink(missing_ok=True)
            raise
        return target
    write_atomically(out, lambda tmp: tmp.write_bytes(pdf))
    return out
