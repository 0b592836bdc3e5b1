"""Pure rendering of session state for the page: chat messages, the perspective map, panels.

No Gradio here, so every view can be tested on its own. User text is always escaped: the page
shows it as text, never as markup.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from assistant.domain.perspectives import METHOD_ORDER, PERSPECTIEF_LABELS, Perspectief
from assistant.domain.session import Phase, SessionState, Turn
from assistant.export.markdown import escape
from assistant.facilitator.events import Coverage
from assistant.facilitator.library import two_lines
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


def chat_messages(state: SessionState) -> list[dict[str, str]]:
    """The transcript as chat messages; dismissed mirrors are left out."""
    messages = []
    for turn in state.turns:
        if turn.meta.get("mirror_id") in state.mirrors_dismissed:
            continue
        if turn.role == "user":
            messages.append({"role": "user", "content": as_text(turn.text)})
        else:
            messages.append(
                {"role": "assistant", "content": as_text(f"[{turn_label(turn)}]\n{turn.text}")}
            )
    return messages


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
    """Markdown for the spiegel panel: offered situations, then the visible mirrors."""
    if state is None:
        return "_Start een sessie om vergelijkbare situaties en beelden te zien._"
    parts: list[str] = []
    if state.offered and state.step == "keuze":
        parts.append("#### Herken je een van deze situaties?")
        reasons = state.offer_reasons + [""] * len(state.offered)
        for index, situation in enumerate(state.offered, start=1):
            title, description = situations.get(situation, (f"Situatie {situation}", ""))
            why = f"  \n_{escape(reasons[index - 1])}_" if reasons[index - 1] else ""
            parts.append(f"**{index}. {escape(title)}**  \n{escape(two_lines(description))}{why}")
        parts.append("_Of kies: mijn situatie staat er niet bij._")
    elif state.situatie:
        title, description = situations.get(state.situatie, (f"Situatie {state.situatie}", ""))
        parts.append(f"**Gekozen situatie:** {escape(title)}\n\n{escape(description)}")
    mirrors = [
        t
        for t in state.turns
        if t.meta.get("mirror_id") and t.meta["mirror_id"] not in state.mirrors_dismissed
    ]
    if mirrors:
        parts.append("#### Vergelijkbare beelden")
        for turn in mirrors[-3:]:
            perspective = PERSPECTIEF_LABELS[turn.perspective] if turn.perspective else ""
            parts.append(
                f"**{escape(turn.meta.get('titel', ''))}** ({escape(perspective)})  \n"
                f"{escape(turn.text)}  \n_bron: {escape(turn.meta.get('bron', ''))}_"
            )
    return "\n\n".join(parts) or "_Nog geen spiegels._"


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
    return f'<a href="{href}" download="{name}" class="download">Download {name}</a>'


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    return "".join(f"<p>{html.escape(b).replace(chr(10), '<br>')}</p>" for b in blocks)


def image_data_uri(path: Path | None) -> str:
    """An uploaded image as a data: URI (the page needs no file route for the preview)."""
    if path is None or not path.is_file():
        return ""
    mime = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def a4_preview(state: SessionState | None, image: Path | None, fits: bool) -> str:
    """HTML that looks like the printed A4 page (every user text escaped)."""
    if state is None:
        return "<div class='a4-page a4-empty'>Het A4’tje verschijnt hier na het concept.</div>"
    a4 = state.a4
    picture = image_data_uri(image)
    figure = f"<img class='a4-img' alt='afbeelding' src='{picture}'>" if picture else ""
    warning = (
        ""
        if fits
        else "<div class='a4-warning'>Let op: de tekst is langer dan één pagina; "
        "de PDF verkleint de letters. Kort gerust in.</div>"
    )
    return (
        f"{warning}<div class='a4-page'>"
        f"<h1>{html.escape(a4.titel or 'Pakkende titel')}</h1>"
        f"<h2>Kenmerkende ervaring</h2>{_paragraphs(a4.kenmerkende_ervaring)}"
        f"<h2>Beeld van goed werk</h2>{_paragraphs(a4.beeld)}"
        f"<h2>Afbeelding</h2>{figure}<div class='a4-caption'>{_paragraphs(a4.afbeelding)}</div>"
        "</div>"
    )


PAGE_CSS = """
.a4-page { background: #fff; color: #222; aspect-ratio: 210 / 297; padding: 6% 7%;
  box-shadow: 0 1px 6px rgba(0,0,0,.25); overflow: auto; font-family: Georgia, serif;
  font-size: 13px; line-height: 1.45; }
.a4-page h1 { font-size: 22px; margin: 0 0 10px; font-family: system-ui, sans-serif; }
.a4-page h2 { font-size: 14px; margin: 14px 0 4px; color: #3a5a40;
  font-family: system-ui, sans-serif; text-transform: uppercase; letter-spacing: .04em; }
.a4-page p { margin: 0 0 6px; }
.a4-img { max-width: 60%; max-height: 180px; display: block; margin: 4px 0; }
.a4-caption { font-style: italic; }
.a4-empty { color: #777; display: flex; align-items: center; justify-content: center; }
.team-cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0; }
.team-card { flex: 1 1 220px; border: 1px solid #ccd5cc; border-radius: 6px; padding: 6px 10px;
  background: #f7faf7; }
.team-card p { margin: 4px 0; }
.team-note { color: #555; font-style: italic; }
.team-part { border-top: 1px solid #ddd; padding-top: 6px; margin-top: 8px; }
.a4-warning { background: #fff3cd; color: #664d03; padding: 6px 10px; margin-bottom: 6px;
  border-radius: 4px; }
"""
