"""Pure rendering of session state for the page: chat messages, the perspective map, panels.

No Gradio here, so every view can be tested on its own. User text is always escaped: the page
shows it as text, never as markup.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

from assistant.domain.beeld import SavedBeeld
from assistant.domain.perspectives import METHOD_ORDER, PERSPECTIEF_LABELS, Perspectief
from assistant.domain.session import Phase, SessionState, Turn, TurnKind, Wie
from assistant.export.markdown import escape
from assistant.facilitator.compose import NO_IMAGE_YET
from assistant.facilitator.events import Coverage
from assistant.facilitator.library import two_lines
from assistant.sessions.publish import Replacement
from assistant.ui.access import download_link

PHASE_LABELS = {
    Phase.VOORBEREIDING: "Voorbereiding",
    Phase.KOP: "Kop",
    Phase.ROMP: "Romp",
    Phase.STAART: "Staart",
    Phase.CONCEPT: "Concept",
}
KIND_LABELS = {
    "vraag": "vraag",
    "doorvraag": "doorvraag",
    "spiegel": "spiegel",
    "concept": "concept",
    "melding": "melding",
}


def turn_label(turn: Turn) -> str:
    """`Romp · Kennis · doorvraag`: the phase, perspective and kind of an assistant turn."""
    parts = [PHASE_LABELS[turn.phase]]
    if turn.perspective is not None:
        parts.append(PERSPECTIEF_LABELS[turn.perspective])
    if turn.kind is not None:
        parts.append(KIND_LABELS[turn.kind.value])
    return " · ".join(parts)


@dataclass(frozen=True)
class Labels:
    """The reflection tab's words that follow the session's ik or wij form."""

    answer: str
    placeholder: str
    consent: str
    summary: str
    empty: str
    blocks_intro: str
    blocks_order: str
    blocks_own: str
    blocks_build: str


LABELS: dict[Wie, Labels] = {
    "ik": Labels(
        answer="Jouw antwoord",
        placeholder="Typ je antwoord. Enter verstuurt, Shift+Enter begint een nieuwe regel.",
        consent="Ik geef toestemming om dit beeld te delen",
        summary="Samenvatting voor je coach (Markdown)",
        empty="Je antwoord is leeg.",
        blocks_intro="### Bouwstenen voor je beeld\n\nVink de zinnen aan die in je beeld "
        "horen, in de volgorde die je wilt. Maak een zin af of schrijf zelf een zin.",
        blocks_order="Volgorde in je beeld (nummers)",
        blocks_own="Je eigen zin (elke regel wordt een zin)",
        blocks_build="Maak mijn beeld van deze bouwstenen",
    ),
    "wij": Labels(
        answer="Jullie antwoord",
        placeholder="Typ jullie antwoord. Enter verstuurt, Shift+Enter begint een nieuwe regel.",
        consent="Wij geven toestemming om dit beeld te delen",
        summary="Samenvatting voor jullie coach (Markdown)",
        empty="Jullie antwoord is leeg.",
        blocks_intro="### Bouwstenen voor jullie beeld\n\nVink de zinnen aan die in jullie "
        "beeld horen, in de volgorde die jullie willen. Maak een zin af of schrijf zelf een zin.",
        blocks_order="Volgorde in jullie beeld (nummers)",
        blocks_own="Jullie eigen zin (elke regel wordt een zin)",
        blocks_build="Maak ons beeld van deze bouwstenen",
    ),
}
NO_SESSION_PLACEHOLDER = "Kies ik of wij en start een nieuwe sessie."
CONCEPT_PLACEHOLDER = (
    "Het A4 staat klaar: werk het bij in het tabblad A4. Wil je verder praten, kies dan ‘Terug’."
)
OPENING_CARD = (
    "**Wat gaat er gebeuren?**\n\n"
    "1. Je beschrijft kort een situatie in een samenwerking; goedwerk stelt een paar "
    "kritische situaties voor om uit te kiezen.\n"
    "2. Je vertelt een concrete ervaring: wanneer, waar, met wie.\n"
    "3. Je kijkt ernaar vanuit vijf perspectieven: handelingen, kennis, waarden en deugden, "
    "vrijheid en identiteit.\n"
    "4. Daaruit groeit een beeld van goed werk, op één A4.\n\n"
    "Reken op ongeveer 30 tot 45 minuten. goedwerk stelt vragen en geeft geen adviezen. "
    "Alles blijft op deze computer.\n\n"
    "Begin met **Nieuwe sessie**."
)

# Links the page script follows on a phone: the building blocks (only in their step), the A4
# tab opened, the settings unfolded.
PHONE_MENU = (
    '<nav id="snelmenu" aria-label="Snel naar">'
    '<a href="#bouwstenen" data-naar="bouwstenen" hidden>Naar de bouwstenen</a>'
    '<a href="#kolom-paneel" data-naar="a4">Naar het A4</a>'
    '<a href="#instellingen" data-naar="instellingen">Sessie en instellingen</a></nav>'
)

STEPS = (
    (Phase.VOORBEREIDING, "Voorbereiding"),
    (Phase.KOP, "Kop"),
    (Phase.ROMP, "Romp"),
    (Phase.STAART, "Staart"),
    (Phase.CONCEPT, "A4"),
)


def steps(phase: Phase | None) -> str:
    """The stepper: the method's phases in order, the current one marked."""
    reached = True
    items = []
    for step, label in STEPS:
        current = step == phase
        state = "huidig" if current else ("klaar" if reached and phase is not None else "")
        if current:
            reached = False
        aria = ' aria-current="step"' if current else ""
        items.append(f'<li class="stap {state}"{aria}>{label}</li>')
    if phase is None:
        items = [f'<li class="stap">{label}</li>' for _, label in STEPS]
    return f'<nav aria-label="Stappen"><ol class="stappen">{"".join(items)}</ol></nav>'


def chat_messages(state: SessionState) -> list[dict[str, str]]:
    """The transcript as chat messages; dismissed mirrors are left out.

    An assistant turn carries at most a quiet chip with its perspective; a mirror is a card
    with its beeld's title.
    """
    messages = []
    for turn in state.turns:
        if turn.meta.get("mirror_id") in state.mirrors_dismissed:
            continue
        if turn.role == "user":
            messages.append({"role": "user", "content": as_text(turn.text)})
        else:
            messages.append({"role": "assistant", "content": assistant_bubble(turn)})
    return messages


def assistant_bubble(turn: Turn) -> str:
    """An assistant turn as chat content: a mirror card, or the text with a perspective chip."""
    text = as_text(turn.text)
    if turn.kind is TurnKind.SPIEGEL:
        title = as_text(turn.meta.get("titel", ""))
        heading = f"Spiegel · {title}" if title else "Spiegel"
        return f'<div class="spiegel-kaart"><strong>{heading}</strong>\n{text}</div>'
    if turn.perspective is not None and turn.phase is Phase.ROMP:
        chip = as_text(PERSPECTIEF_LABELS[turn.perspective])
        return f'<span class="chip">{chip}</span>\n{text}'
    return text


def as_text(text: str) -> str:
    """Chat content that the browser shows as typed: HTML characters become entities."""
    return html.escape(text, quote=False)


def coverage_labels(coverage: Coverage) -> list[str]:
    """The five perspective buttons: name, dots for answers given, current and skipped marks."""
    return [_coverage_label(p, coverage) for p in METHOD_ORDER]


def _coverage_label(perspective: Perspectief, coverage: Coverage) -> str:
    count = coverage.counts.get(perspective, 0)
    dots = "●" * min(count, 3) + "○" * max(0, 3 - count)
    mark = "▶ " if perspective == coverage.current else ""
    skipped = " (overgeslagen)" if perspective in coverage.skipped else ""
    return f"{mark}{PERSPECTIEF_LABELS[perspective]} {dots}{skipped}"


def map_labels(state: SessionState | None) -> list[str]:
    """Labels of the five perspective buttons, in the method's order."""
    if state is None:
        return [f"{PERSPECTIEF_LABELS[p]} ○○○" for p in METHOD_ORDER]
    coverage = Coverage(
        counts=dict(state.coverage), current=state.current, skipped=list(state.skipped)
    )
    return coverage_labels(coverage)


def mirror_panel(state: SessionState | None, situations: dict[int, tuple[str, str]]) -> str:
    """Markdown for the situation panel: the offered situations, or the chosen one.

    Mirrors are shown once, as cards in the conversation.
    """
    if state is None:
        return "_Start een sessie om vergelijkbare situaties en beelden te zien._"
    parts: list[str] = []
    if state.offered and state.step == "keuze":
        heading = "Herkennen jullie" if state.wie == "wij" else "Herken je"
        parts.append(f"### {heading} een van deze situaties?")
        reasons = state.offer_reasons + [""] * len(state.offered)
        for index, situation in enumerate(state.offered, start=1):
            title, description = situations.get(situation, (f"Situatie {situation}", ""))
            why = f"  \n_{escape(reasons[index - 1])}_" if reasons[index - 1] else ""
            parts.append(f"**{index}. {escape(title)}**  \n{escape(two_lines(description))}{why}")
        own = "onze" if state.wie == "wij" else "mijn"
        parts.append(f"_Of kies: {own} situatie staat er niet bij._")
    elif state.situatie:
        title, description = situations.get(state.situatie, (f"Situatie {state.situatie}", ""))
        parts.append(f"**Gekozen situatie:** {escape(title)}\n\n{escape(description)}")
    return "\n\n".join(parts) or "_Nog geen situatie gekozen._"


def last_mirror_id(state: SessionState | None) -> str | None:
    """The most recent mirror still visible (for the dismiss button)."""
    if state is None:
        return None
    for turn in reversed(state.turns):
        mirror_id = turn.meta.get("mirror_id")
        if mirror_id and mirror_id not in state.mirrors_dismissed:
            return mirror_id
    return None


def download_anchor(path: Path) -> str:
    """A download link for an export, served only to the owner of the folder it is in."""
    name = html.escape(path.name)
    href = html.escape(download_link(path))
    # The page's script starts the download at once (data-vanzelf); the link stays for a rerun.
    return (
        f'<a href="{href}" download="{name}" class="download" data-vanzelf="1">'
        f"Opnieuw downloaden: {name}</a>"
    )


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    return "".join(f"<p>{html.escape(b).replace(chr(10), '<br>')}</p>" for b in blocks)


def image_data_uri(path: Path | None) -> str:
    """An uploaded image as a data: URI (the page needs no file route for the preview)."""
    if path is None or not path.is_file():
        return ""
    mime = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def a4_refusals(messages: list[str]) -> str:
    """The service's refusals of A4 edits, above the preview (read out at once)."""
    return "".join(f"<div class='a4-warning' role='alert'>{html.escape(m)}</div>" for m in messages)


def a4_preview(state: SessionState | None, image: Path | None, fits: bool) -> str:
    """HTML that looks like the printed A4 page (every user text escaped)."""
    if state is None:
        return (
            "<div class='a4-page a4-empty' role='region' aria-label='Voorbeeld van het A4'>"
            "Het A4’tje verschijnt hier na het concept.</div>"
        )
    a4 = state.a4
    picture = image_data_uri(image)
    # The placeholder asks for a picture; with one uploaded it is no caption (as in the PDF).
    caption = "" if picture and a4.afbeelding.strip() == NO_IMAGE_YET else a4.afbeelding
    alt = html.escape(caption or "de afbeelding bij dit beeld", quote=True)
    figure = f"<img class='a4-img' alt='{alt}' src='{picture}'>" if picture else ""
    warning = (
        ""
        if fits
        else "<div class='a4-warning'>Let op: de tekst is langer dan één pagina; "
        "de PDF verkleint de letters. Kort gerust in.</div>"
    )
    return (
        # A region that scrolls is reachable by keyboard (tabindex) and says what it is.
        f"{warning}<div class='a4-page' role='region' tabindex='0' "
        "aria-label='Voorbeeld van het A4'>"
        f"<h2 class='a4-titel'>{html.escape(a4.titel or 'Pakkende titel')}</h2>"
        f"<h3>Kenmerkende ervaring</h3>{_paragraphs(a4.kenmerkende_ervaring)}"
        f"<h3>Beeld van goed werk</h3>{_paragraphs(a4.beeld)}"
        f"<h3>Afbeelding</h3>{figure}<div class='a4-caption'>{_paragraphs(caption)}</div>"
        "</div>"
    )


PAGE_CSS = """
.a4-page { background: #fff; color: #222; aspect-ratio: 210 / 297; padding: 6% 7%;
  box-shadow: 0 1px 6px rgba(0,0,0,.25); overflow: auto; font-family: Georgia, serif;
  font-size: 13px; line-height: 1.45; }
.a4-page .a4-titel { font-size: 22px; margin: 0 0 10px; font-family: system-ui, sans-serif;
  color: #222; }
.a4-page h3 { font-size: 14px; margin: 14px 0 4px; color: #2f4a34;
  font-family: system-ui, sans-serif; text-transform: uppercase; letter-spacing: .04em; }
.a4-page p { margin: 0 0 6px; }
.a4-img { max-width: 60%; max-height: 180px; display: block; margin: 4px 0; }
.a4-caption { font-style: italic; }
.a4-empty { color: #555; display: flex; align-items: center; justify-content: center; }
.team-cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0; }
.team-card { flex: 1 1 220px; border: 1px solid #ccd5cc; border-radius: 6px; padding: 6px 10px;
  background: #f7faf7; }
.team-card p { margin: 4px 0; }
.team-note { color: #555; font-style: italic; }
.team-part { border-top: 1px solid #ddd; padding-top: 6px; margin-top: 8px; }
.a4-warning { background: #fff3cd; color: #664d03; padding: 6px 10px; margin-bottom: 6px;
  border-radius: 4px; }
/* The chat view's own trash icon would only clear the view, never the session: not offered. */
#gesprek button[aria-label="Clear"], #gesprek button[aria-label="Wissen"] { display: none; }
.skip-link { position: absolute; left: 8px; top: -60px; z-index: 1000; padding: 8px 14px;
  background: #14532d; color: #fff; border-radius: 4px; text-decoration: underline; }
.skip-link:focus { top: 8px; }
:focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px; }
.chip { display: inline-block; font-size: 12px; padding: 0 8px; margin-bottom: 2px;
  border-radius: 10px; background: #e7efe8; color: #2f4a34; }
.spiegel-kaart { border-left: 4px solid #2f4a34; padding-left: 10px; }
.stappen { display: flex; gap: 4px; list-style: none; padding: 0; margin: 0 0 6px;
  flex-wrap: wrap; }
.stap { padding: 2px 10px; border-radius: 12px; border: 1px solid #9ca3af; color: #374151;
  font-size: 13px; background: #fff; }
.stap.klaar { background: #e7efe8; border-color: #2f4a34; color: #14532d; }
.stap.klaar::before { content: "✓ "; }
.stap.huidig { background: #14532d; border-color: #14532d; color: #fff; font-weight: 600; }
.paginakop h1 { font-size: 1.6rem; margin: 0 0 4px; }
.paginakop p { margin: 0; }
/* Check boxes and radio buttons stand out from the white behind them (3:1 for controls). */
input[type=checkbox], input[type=radio] { border-color: #6b7280 !important; }
#bouwstenen { border-left: 4px solid #2f4a34; padding-left: 10px; }
#snelmenu-vak { display: none; }
#snelmenu { display: flex; gap: 16px; flex-wrap: wrap; }
#snelmenu a { color: #14532d; font-weight: 600; padding: 6px 0; }
@media (max-width: 700px) {
  #snelmenu-vak { display: block; }
  #reflectie-rij { flex-direction: column; }
  #kolom-gesprek { order: 1; }
  #kolom-paneel { order: 2; }
  #kolom-sessie { order: 3; }
  #gesprek { height: auto !important; max-height: none !important; }
  #gesprek .bubble-wrap, #gesprek > div { max-height: none !important;
    overflow: visible !important; }
  .a4-page { aspect-ratio: auto; overflow: visible; }
}
"""


def publication_preview(beeld: SavedBeeld, found: list[Replacement], replaced: bool) -> str:
    """Exactly what will be stored in the collection, and what was found in it."""
    text = (
        f"**Zo wordt het opgeslagen:**\n\n**{escape(beeld.titel)}**\n\n"
        f"{escape(beeld.kenmerkende_ervaring)}\n\n{escape(beeld.beeld)}\n\n"
    )
    if not found:
        return text + "_Geen namen, plaatsen, organisaties of contactgegevens gevonden._"
    if replaced:
        items = "; ".join(f"{escape(r.text)} → {escape(r.replacement)} ({r.kind})" for r in found)
        return text + f"_Vervangen: {items}. Controleer of er nog iets herkenbaars in staat._"
    items = "; ".join(f"{escape(r.text)} ({r.kind})" for r in found)
    return text + f"_Niet vervangen (vink 'Vervangen' aan om het wel te doen): {items}._"
