"""The participant's session summary: own words under the right headings, inert, safely saved."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from markdown_it import MarkdownIt

from assistant.app import build_service
from assistant.domain.perspectives import METHOD_ORDER, Perspectief
from assistant.domain.session import A4, Answer, SessionState
from assistant.evals.conversations import play_persona, read_personas
from assistant.export import summary as summary_module
from assistant.export.summary import export_summary, summary_markdown, summary_to_pdf

from .conftest import EVALS_DIR, make_settings

SITUATION = "Wie pakt op wat nog bij niemand hoort?"
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    "[klik hier](javascript:window.__xss=3)",
    "![plaatje](javascript:window.__xss=4)",
    '<a href="javascript:window.__xss=5">klik</a>',
    '<link href="javascript:window.__xss=6"/>',
    "**vet** _schuin_ `code` &amp; &lt;",
]
HOSTILE = " ".join(PAYLOADS)
# Lines that would turn into headings, lists, quotes or rules if they were not escaped.
LINE_TRAPS = "Eerste regel\n===\n# kop\n- punt\n1. nummer\n> citaat\n---"


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> SessionState:
    """A whole team session, played through the real service by a simulated user who answers
    what is asked (a fixed list of answers goes out of step as the conversation adapts)."""
    settings = make_settings(tmp_path_factory.mktemp("data"))
    service = build_service(settings)
    team = next(p for p in read_personas(EVALS_DIR / "personas") if p.naam.startswith("b03"))
    state, _ = play_persona(service, team, session_id="samenvatting-test")
    return state


def hostile_state() -> SessionState:
    answers = [
        Answer(turn=1, step="kop", text=f"Kop {HOSTILE}\n{LINE_TRAPS}"),
        *(
            Answer(turn=i + 2, step="romp", perspective=p, text=f"{p.label}: {HOSTILE}")
            for i, p in enumerate(METHOD_ORDER)
        ),
        Answer(turn=9, step="afronding", text=f"Afronding {HOSTILE}"),
    ]
    return SessionState(
        id="sessie-7f3a9c",
        owner="marieke.de.vries",
        wie="ik",
        beschrijving=f"Beschrijving {HOSTILE}",
        answers=answers,
        deugden=["Moed", "<b>Openheid</b>"],
        a4=A4(
            titel=f"Titel {PAYLOADS[0]}",
            kenmerkende_ervaring=f"Ervaring {HOSTILE}",
            beeld=f"Beeld {HOSTILE}",
            afbeelding=f"Afbeelding {HOSTILE}",
        ),
    )


class Tags(HTMLParser):
    """The tags and attributes of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [name for name, _ in attrs]


def sections(markdown: str) -> dict[str, str]:
    """The rendered text under each heading, as a reader of the rendered Markdown sees it."""
    found: dict[str, list[str]] = defaultdict(list)
    heading, in_heading = "", False
    for token in MarkdownIt("commonmark", {"html": True}).parse(markdown):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline":
            text = "".join(
                "\n" if c.type in ("softbreak", "hardbreak") else c.content
                for c in token.children or []
            )
            if in_heading:
                heading = text
            else:
                found[heading].append(text)
    return {k: "\n".join(v) for k, v in found.items()}


def test_every_answer_appears_under_its_own_perspective(played: SessionState) -> None:
    text = sections(summary_markdown(played, SITUATION))
    for perspective in METHOD_ORDER:
        answers = played.answers_on(perspective)
        assert answers, perspective
        for answer in answers:
            assert answer.text in text[perspective.label]
        for other in METHOD_ORDER:
            if other is not perspective:
                assert answers[0].text not in text[other.label]
    kop = [a.text for a in played.answers if a.step == "kop"]
    assert kop and all(k in text["Kop: de ervaring"] for k in kop)
    assert played.beschrijving in text["Onze situatie in eigen woorden"]
    assert all(d in text["Gekozen deugden"] for d in played.deugden)
    assert played.a4.titel in text["Pakkende titel"]
    assert played.a4.afbeelding in text["Afbeelding"]
    facts = text["Samenvatting van onze reflectie"]
    assert SITUATION in facts and "wij" in facts


def test_the_summary_holds_no_questions_no_ids_and_no_owner(played: SessionState) -> None:
    state = played.model_copy(update={"owner": "marieke.de.vries"})
    markdown = summary_markdown(state, SITUATION)
    assert state.id not in markdown and "marieke" not in markdown
    questions = [t.text for t in state.turns if t.role == "assistant"]
    assert questions
    assert not [q for q in questions if q in markdown]


def test_a_skipped_perspective_says_so() -> None:
    state = SessionState(id="s", skipped=[Perspectief.VRIJHEID])
    text = sections(summary_markdown(state, None))
    assert text["Vrijheid"] == "(overgeslagen)"
    assert text["Kennis"] == "(niet besproken)"
    assert "eigen situatie" in text["Samenvatting van mijn reflectie"]


def test_the_date_is_written_in_dutch() -> None:
    state = SessionState(id="s", created="2025-03-05T10:00:00+00:00")
    assert "5 maart 2025" in summary_markdown(state, None)


def test_hostile_markdown_renders_as_inert_text() -> None:
    state = hostile_state()
    markdown = summary_markdown(state, f"Situatie {PAYLOADS[2]}")
    lowered = markdown.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<a " not in lowered
    assert "](javascript:" not in lowered

    rendered = Tags()
    rendered.feed(MarkdownIt("commonmark", {"html": True}).render(markdown))
    assert rendered.tags <= {"h1", "h2", "h3", "p", "ul", "li", "strong", "em", "hr", "br"}
    assert rendered.attributes == []
    text = sections(markdown)
    for perspective in METHOD_ORDER:
        assert f"{perspective.label}: {HOSTILE}" in text[perspective.label]
    assert LINE_TRAPS in text["Kop: de ervaring"]  # every line kept as a line of text
    assert "<b>Openheid</b>" in text["Gekozen deugden"]
    assert f"Situatie {PAYLOADS[2]}" in text["Samenvatting van mijn reflectie"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_pdf_prints_hostile_text_literally(tmp_path: Path) -> None:
    state = hostile_state()
    out = summary_to_pdf(state, "Situatie & <b>", tmp_path / "samenvatting.pdf")
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(raw.split())
    for perspective in METHOD_ORDER:
        assert f"{perspective.label}: {HOSTILE}" in text
    assert "Situatie & <b>" in text
    assert state.id not in text and state.owner not in text


@pytest.mark.parametrize("kind", ["md", "pdf", "docx"])
def test_the_export_lands_inside_the_directory_under_a_safe_new_name(
    tmp_path: Path, kind: str
) -> None:
    state = hostile_state().model_copy(update={"a4": A4(titel="../../etc/passwd Ons beeld")})
    first = export_summary(state, SITUATION, kind, tmp_path)  # type: ignore[arg-type]
    second = export_summary(state, SITUATION, kind, tmp_path)  # type: ignore[arg-type]
    assert first.parent == second.parent == tmp_path.resolve()
    assert first.name == f"samenvatting-etc-passwd-ons-beeld.{kind}"
    assert second.name == f"samenvatting-etc-passwd-ons-beeld-2.{kind}"
    assert first.stat().st_size > 0
    if kind == "docx":
        body = "\n".join(p.text for p in Document(str(first)).paragraphs)
        assert f"Handelingen: {HOSTILE}" in body


def test_without_an_a4_title_the_file_is_named_after_the_situation(tmp_path: Path) -> None:
    path = export_summary(SessionState(id="s"), SITUATION, "md", tmp_path)
    assert path.name == "samenvatting-wie-pakt-op-wat-nog-bij-niemand-hoort.md"


def test_a_failed_export_leaves_no_empty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(summary_module, "summary_to_pdf", broken)
    with pytest.raises(OSError):
        export_summary(hostile_state(), None, "pdf", tmp_path)
    assert list(tmp_path.iterdir()) == []
