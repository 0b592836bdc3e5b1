"""HTML and Markdown for the team tabs: pure functions of the team service's views.

Everything a person typed is escaped here, so it is shown as text and never runs.
"""

from __future__ import annotations

from html import escape

from assistant.export import markdown
from assistant.teams import CoachView, PartView, SharedBeeld, Team
from assistant.teams.models import HIDDEN_NOTE

FIELD_LABELS = {
    "titel": "Titel",
    "kenmerkende_ervaring": "Kenmerkende ervaring",
    "beeld": "Beeld van goed werk",
    "afbeelding": "Afbeelding",
}


# The contribution box and its count follow the team's form, as the reflection tab's
# answer box does ("Jouw antwoord", "Jullie antwoord").
CONTRIBUTION_LABELS = {"ik": "Jouw inbreng", "wij": "Jullie inbreng"}


def contribution_label(team: Team | None) -> str:
    """ "Jouw inbreng" or, in a team that speaks in the wij form, "Jullie inbreng"."""
    return CONTRIBUTION_LABELS["wij" if team is not None and team.wie == "wij" else "ik"]


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def team_choice(team: Team, situations: dict[int, tuple[str, str]]) -> tuple[str, str]:
    """A (label, id) pair for a list of teams."""
    title = situations.get(team.situatie, ("?", ""))[0]
    return (f"{team.created[:10]} · situatie {team.situatie}: {title}", team.id)


def participant_header(
    team: Team | None, situations: dict[int, tuple[str, str]], parts: list[PartView]
) -> str:
    """The situation and how far this participant is."""
    if team is None:
        return "_Nog geen teamsessie geopend._"
    title, text = situations.get(team.situatie, ("", ""))
    done = sum(1 for p in parts if p.own)
    return (
        f"### Situatie {team.situatie}: {markdown.escape(title)}\n\n{markdown.escape(text)}\n\n"
        f"_Vragen in de {team.wie}-vorm · {contribution_label(team).lower()}: {done} van "
        f"{len(parts)} onderdelen._"
    )


def questions(part: PartView | None) -> str:
    """The questions of the chosen part."""
    if part is None:
        return ""
    listed = "\n".join(f"- {markdown.escape(q)}" for q in part.questions)
    return f"**{markdown.escape(part.label)}**\n\n{listed}"


def group_panel(part: PartView | None) -> str:
    """What the others brought in on this part, or why it is still hidden."""
    if part is None:
        return ""
    if part.own is None:
        if not part.hidden_count:
            return f"<p class='team-note'>{escape(HIDDEN_NOTE)}</p>"
        return (
            f"<p class='team-note'>{escape(HIDDEN_NOTE)} "
            f"({part.hidden_count} "
            f"{'ander schreef' if part.hidden_count == 1 else 'anderen schreven'} "
            "hier al iets.)</p>"
        )
    if not part.others:
        return "<p class='team-note'>Nog niemand anders schreef hier iets.</p>"
    cards = "".join(
        f"<div class='team-card'><b>{escape(label)}</b>{_paragraphs(text)}</div>"
        for label, text in part.others
    )
    return f"<div class='team-cards'>{cards}</div>"


def trace_panel(team: Team | None) -> str:
    """Where each sentence of the shared A4 came from."""
    if team is None or not team.trace:
        return ""
    rows = "".join(
        f"<li><i>{escape(FIELD_LABELS.get(t.field, t.field))}</i>: “{escape(t.sentence)}” "
        f"— {escape(t.label)}</li>"
        for t in team.trace
    )
    return (
        "<details class='team-trace' open><summary>Herkomst van de zinnen</summary>"
        f"<ul>{rows}</ul></details>"
    )


def coach_header(view: CoachView | None, situations: dict[int, tuple[str, str]]) -> str:
    """The code to hand out, the situation and who joined."""
    if view is None:
        return "_Maak of open een teamsessie._"
    team = view.team
    title = situations.get(team.situatie, ("", ""))[0]
    names = ", ".join(markdown.escape(p.label) for p in view.participants) or "nog niemand"
    return (
        f"### Code: `{team.code}`\n\nDeel deze code met de deelnemers.\n\n"
        f"**Situatie {team.situatie}: {markdown.escape(title)}** · {team.wie}-vorm · "
        f"{'met namen' if team.naming == 'naam' else 'anoniem'}\n\n"
        f"Deelnemers ({len(view.participants)}): {names}"
    )


def coach_overview(view: CoachView | None) -> str:
    """Per part all contributions side by side, with where people agree and differ."""
    if view is None:
        return ""
    sections = []
    for part in view.parts:
        if part.contributions:
            cards = "".join(
                f"<div class='team-card'><b>{escape(label)}</b>{_paragraphs(text)}</div>"
                for label, text in part.contributions
            )
            body = f"<div class='team-cards'>{cards}</div>"
        else:
            body = "<p class='team-note'>Nog geen inbreng.</p>"
        agree = ", ".join(escape(w) for w in part.agreement) or "—"
        differ = "; ".join(
            f"{escape(label)}: {', '.join(escape(w) for w in words)}"
            for label, words in part.differences
            if words
        )
        sections.append(
            f"<section class='team-part'><h4>{escape(part.label)}</h4>{body}"
            f"<p><b>Gedeeld:</b> {agree}</p>"
            f"<p><b>Verschillen:</b> {differ or '—'}</p></section>"
        )
    return "".join(sections)


def closing(view: CoachView | None) -> str:
    """The method's closing questions and the tips for the begeleider."""
    if view is None:
        return ""
    asked = "\n".join(f"- {markdown.escape(q)}" for q in view.closing_questions)
    tips = "\n".join(f"- {markdown.escape(t)}" for t in view.tips)
    return f"**Afronden met de groep**\n\n{asked}\n\n**Tips voor de begeleider**\n\n{tips}"


def shared_beelden(beelden: list[SharedBeeld]) -> str:
    """The beelden participants chose to show the coach."""
    if not beelden:
        return "<p class='team-note'>Geen gedeelde beelden van deelnemers.</p>"
    cards = "".join(
        f"<div class='team-card'><b>{escape(b.titel)}</b> <i>({escape(b.participant_label)})</i>"
        f"{_paragraphs(b.kenmerkende_ervaring)}{_paragraphs(b.beeld)}</div>"
        for b in beelden
    )
    return f"<h4>Beelden die deelnemers met je deelden</h4><div class='team-cards'>{cards}</div>"
