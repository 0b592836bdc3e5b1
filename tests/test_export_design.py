"""The rich A4 as a designed page: one A4 in balance, in PDF, DOCX and Markdown alike.

The PDF is rendered (`pdftoppm`) and measured: no blank horizontal band above 12% of the page.
The DOCX is opened with python-docx and the Markdown parsed with markdown-it, and both are
compared with the A4's own text, the situation, the virtues, ik/wij and the date.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph
from markdown_it import MarkdownIt
from markdown_it.token import Token
from PIL import Image, ImageDraw

from assistant.actions import ChooseVirtues
from assistant.app import build_service
from assistant.domain.session import A4
from assistant.export.document import A4Context, dutch_date, named_virtues, paragraphs
from assistant.export.docx import a4_to_docx
from assistant.export.markdown import a4_to_markdown, escape
from assistant.export.pdf import a4_to_pdf
from assistant.script import play, read_script
from assistant.service import LOCAL_OWNER, ReflectionService
from tests.conftest import EVALS_DIR, make_settings

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdfinfo, pdftotext, pdftoppm) is not installed",
)

MAX_BLANK_BAND = 0.12  # of the page height
NEAR_WHITE = 245  # a grey level from which a pixel counts as paper

SITUATION = "Wat als... je in de samenwerking voorbij de intenties wilt komen?"
CONTEXT = A4Context(
    situatie=SITUATION,
    situatie_nr=3,
    deugden=("Moed", "Openheid", "Geduld"),
    wie="ik",
    datum="2026-03-05T10:00:00+00:00",
)
SHORT = A4(
    titel="Niet trekken, wel helder zijn",
    kenmerkende_ervaring=(
        "Volgende week tekenen de partners in ons netwerk tegen eenzaamheid een convenant. "
        "Ineens twijfelen twee partijen en willen ze alleen nog ‘meedenken’."
    ),
    beeld="Niet trekken aan partijen. Wel helder zijn over de stap.",
    afbeelding="Twee handen die een touw vasthouden, elk aan een kant van de rivier.",
)
STORY = (
    "Het was in juni vorig jaar, in de kantine van Van Dijk Metaal. Daar zaten zeven "
    "ondernemers en Gert-Jan van de ondernemersvereniging. Ze vroegen me recht op de man af of "
    "de gemeente 40 procent van de aanleg zou betalen, zoals in de verkenning stond. Ik moest "
    "zeggen dat de raad daar pas in november over besliste. Gert-Jan zei: ‘dus we hebben een "
    "half jaar voor niets vergaderd?’ Ik heb toen niet gedaan alsof het zeker was. "
)
VIEW = (
    "Goed werk is voor mij: eerlijk zeggen wat ik wel en niet kan toezeggen, ook als dat "
    "teleurstelt. Daarom leg ik uit welke stappen er nog komen en vraag ik wat de ander nodig "
    "heeft om aan boord te blijven, omdat ik betrouwbaarheid belangrijk vind. Daarvoor moet ik "
    "weten hoe de besluitvorming in mijn eigen organisatie loopt. "
)
LONG = A4(
    titel="Eerlijk over wat nog niet zeker is, ook als het teleurstelt",
    kenmerkende_ervaring=f"{STORY * 2}\n\n{STORY}",
    beeld=f"{VIEW * 2}\n\n{VIEW * 2}",
    afbeelding="Een warmtenet op de tekentafel, waarvan de eerste buis al in de grond ligt.",
)
CASES = {"kort": SHORT, "lang": LONG}


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def blank_bands(pdf: Path, tmp_path: Path) -> list[float]:
    """The heights of the runs of near-white rows on the rendered page, as page fractions."""
    stem = tmp_path / pdf.stem
    run("pdftoppm", "-gray", "-r", "40", "-singlefile", "-png", pdf, stem)
    with Image.open(f"{stem}.png") as im:
        grey = im.convert("L")
        width, height = grey.size
        runs, current = [], 0
        for y in range(height):
            darkest, _ = grey.crop((0, y, width, y + 1)).getextrema()
            if darkest >= NEAR_WHITE:
                current += 1
            elif current:
                runs.append(current / height)
                current = 0
        if current:
            runs.append(current / height)
    return runs


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A landscape 'photo': sky, hills and a road."""
    path = tmp_path_factory.mktemp("foto") / "foto.jpg"
    im = Image.new("RGB", (900, 600), (150, 190, 220))
    draw = ImageDraw.Draw(im)
    draw.polygon([(0, 600), (270, 260), (500, 450), (680, 300), (900, 600)], fill=(60, 110, 80))
    draw.rectangle([90, 470, 810, 495], fill=(140, 90, 50))
    im.save(path, "JPEG", quality=90)
    return path


# --- PDF -------------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("with_picture", [False, True], ids=["zonder-foto", "met-foto"])
@pytest.mark.parametrize("case", CASES)
def test_the_pdf_is_one_balanced_a4_naming_title_situation_virtues_and_date(
    case: str, with_picture: bool, photo: Path, tmp_path: Path
) -> None:
    a4 = CASES[case]
    result = a4_to_pdf(a4, photo if with_picture else None, tmp_path / f"{case}.pdf", CONTEXT)

    info = run("pdfinfo", result.path)
    assert re.search(r"^Pages:\s+1$", info, re.M) and "(A4)" in info
    text = flat(run("pdftotext", "-enc", "UTF-8", result.path, "-"))
    assert flat(a4.titel) in text
    assert f"3. {SITUATION}" in text
    assert "Moed, openheid, geduld" in text
    assert "ik-vorm" in text and "5 maart 2026" in text
    assert flat(a4.afbeelding) in text  # the caption, or the placeholder's description
    assert flat(a4.beeld.split("\n\n")[-1]) in text  # nothing cut off

    bands = blank_bands(result.path, tmp_path)
    assert max(bands) <= MAX_BLANK_BAND, bands
    if case == "kort":
        assert not result.shrunk
    assert result.readable


@needs_poppler
def test_without_a_picture_the_description_stands_in_a_framed_placeholder(tmp_path: Path) -> None:
    result = a4_to_pdf(SHORT, None, tmp_path / "a4.pdf", CONTEXT)
    text = run("pdftotext", "-enc", "UTF-8", result.path, "-")
    assert "AFBEELDING" in text and SHORT.afbeelding in flat(text)
    assert run("pdfimages", "-list", result.path).splitlines()[2:] == []


@needs_poppler
def test_the_apps_invitation_to_add_an_image_is_not_printed(photo: Path, tmp_path: Path) -> None:
    invitation = "Nog geen afbeelding: voeg een plaatje toe of beschrijf een beeld dat past."
    a4 = SHORT.model_copy(update={"afbeelding": invitation})
    for picture in (None, photo):
        text = flat(run("pdftotext", a4_to_pdf(a4, picture, tmp_path / "a4.pdf").path, "-"))
        assert "voeg een plaatje toe" not in text
        assert ("Nog geen afbeelding" in text) is (picture is None)
        docx = " ".join(docx_text(a4_to_docx(a4, picture, tmp_path / "a4.docx")))
        assert "voeg een plaatje toe" not in docx
        assert "voeg een plaatje toe" not in a4_to_markdown(a4, picture)


@needs_poppler
def test_an_empty_a4_still_fills_its_page_in_balance(tmp_path: Path) -> None:
    result = a4_to_pdf(A4(), None, tmp_path / "leeg.pdf", CONTEXT)
    assert max(blank_bands(result.path, tmp_path)) <= MAX_BLANK_BAND


@needs_poppler
def test_a_title_too_long_for_one_line_breaks_at_its_own_pause(tmp_path: Path) -> None:
    a4 = SHORT.model_copy(update={"titel": "Meebewegen zonder te buigen – “Zoë’s” beeld"})
    text = run("pdftotext", "-enc", "UTF-8", a4_to_pdf(a4, None, tmp_path / "a4.pdf").path, "-")
    assert "\nMeebewegen zonder te buigen –\n“Zoë’s” beeld\n" in text
    short = run("pdftotext", "-enc", "UTF-8", a4_to_pdf(SHORT, None, tmp_path / "b.pdf").path, "-")
    assert f"\n{SHORT.titel}\n" in short  # one line


def test_a_long_a4_gets_a_smaller_picture_before_smaller_type(photo: Path, tmp_path: Path) -> None:
    typical = LONG.model_copy(update={"beeld": VIEW * 2})
    assert not a4_to_pdf(typical, photo, tmp_path / "typisch.pdf", CONTEXT).shrunk
    longer = LONG.model_copy(update={"beeld": LONG.beeld + "\n\n" + VIEW * 5})
    result = a4_to_pdf(longer, photo, tmp_path / "langer.pdf", CONTEXT)
    assert result.shrunk and result.readable


# --- DOCX ------------------------------------------------------------------------------------


def docx_text(path: Path) -> list[str]:
    """Every paragraph's text in body order, table cells included."""
    out: list[str] = []
    for block in Document(str(path)).iter_inner_content():
        if isinstance(block, DocxParagraph):
            out.append(block.text)
        elif isinstance(block, Table):
            out += [p.text for row in block.rows for cell in row.cells for p in cell.paragraphs]
    return [t for t in out if t.strip()]


@pytest.mark.parametrize("with_picture", [False, True], ids=["zonder-foto", "met-foto"])
@pytest.mark.parametrize("case", CASES)
def test_the_docx_has_the_a4s_text_in_the_pages_order(
    case: str, with_picture: bool, photo: Path, tmp_path: Path
) -> None:
    a4 = CASES[case]
    out = a4_to_docx(a4, photo if with_picture else None, tmp_path / "a4.docx", CONTEXT)
    text = docx_text(out)
    ervaring = [" ".join(lines) for lines in paragraphs(a4.kenmerkende_ervaring)]
    beeld = [" ".join(lines) for lines in paragraphs(a4.beeld)]
    title_at = text.index(a4.titel)
    image_at = text.index(a4.afbeelding)
    ervaring_at = text.index("Kenmerkende ervaring")
    assert title_at < image_at < ervaring_at < text.index("Beeld van goed werk")
    assert text[ervaring_at + 1 : ervaring_at + 1 + len(ervaring)] == ervaring
    beeld_at = text.index("Beeld van goed werk")
    assert text[beeld_at + 1 : beeld_at + 1 + len(beeld)] == beeld
    band = text[beeld_at + 1 + len(beeld) :]
    assert band == [
        "SITUATIE",
        f"3. {SITUATION}",
        "DEUGDEN",
        "Moed, openheid, geduld",
        "VORM",
        "ik-vorm",
        "DATUM",
        "5 maart 2026",
    ]
    assert len(Document(str(out)).inline_shapes) == (1 if with_picture else 0)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("case", CASES)
def test_the_docx_sets_as_one_balanced_a4_in_libreoffice(
    case: str, photo: Path, tmp_path: Path
) -> None:
    out = a4_to_docx(CASES[case], photo, tmp_path / f"{case}.docx", CONTEXT)
    profile = f"-env:UserInstallation=file://{tmp_path}/profiel"  # not the user's own
    run("soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", tmp_path, out)
    pdf = tmp_path / f"{case}.pdf"
    assert re.search(r"^Pages:\s+1$", run("pdfinfo", pdf), re.M)
    assert max(blank_bands(pdf, tmp_path)) <= MAX_BLANK_BAND


# --- Markdown --------------------------------------------------------------------------------


def inline_text(token: Token) -> str:
    """The text of an inline token as a reader sees it (line breaks as newlines)."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def read_markdown(markdown: str) -> dict[str, object]:
    """The A4 back from its Markdown: title, image, afbeelding, sections and band."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    found: dict[str, object] = {"sections": {}, "band": [], "images": [], "quote": []}
    section: list[str] | None = None
    in_quote = in_list = False
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            text = inline_text(tokens[i + 1])
            if token.tag == "h1":
                found["title"] = text
            else:
                section = found["sections"].setdefault(text, [])  # type: ignore[union-attr]
        elif token.type in ("blockquote_open", "blockquote_close"):
            in_quote = token.type == "blockquote_open"
        elif token.type in ("bullet_list_open", "bullet_list_close"):
            in_list = token.type == "bullet_list_open"
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            for child in token.children or []:
                if child.type == "image":
                    found["images"].append((child.attrs["src"], child.content))  # type: ignore[union-attr]
            text = inline_text(token)
            target = found["quote"] if in_quote else found["band"] if in_list else section
            if target is not None:
                target.append(text)  # type: ignore[union-attr]
            elif text.startswith("Afbeelding: "):
                found["caption"] = text.removeprefix("Afbeelding: ")
    return found


@pytest.mark.parametrize("with_picture", [False, True], ids=["zonder-foto", "met-foto"])
@pytest.mark.parametrize("case", CASES)
def test_the_markdown_parses_back_to_the_a4_with_its_image_situation_and_virtues(
    case: str, with_picture: bool, photo: Path
) -> None:
    a4 = CASES[case]
    markdown = a4_to_markdown(a4, photo if with_picture else None, CONTEXT)
    found = read_markdown(markdown)
    assert found["title"] == a4.titel
    sections = found["sections"]
    assert sections == {  # type: ignore[comparison-overlap]
        "Kenmerkende ervaring": ["\n".join(p) for p in paragraphs(a4.kenmerkende_ervaring)],
        "Beeld van goed werk": ["\n".join(p) for p in paragraphs(a4.beeld)],
    }
    assert found["band"] == [
        f"Situatie: 3. {SITUATION}",
        "Deugden: Moed, openheid, geduld",
        "Vorm: ik-vorm",
        "Datum: 5 maart 2026",
    ]
    if with_picture:
        [(src, alt)] = found["images"]  # type: ignore[misc]
        assert src.startswith("data:image/jpeg;base64,") and alt == a4.afbeelding
        assert found["caption"] == a4.afbeelding
        assert markdown.index("![") < markdown.index("## Kenmerkende ervaring")
    else:
        assert found["images"] == []
        assert found["quote"] == ["Afbeelding", a4.afbeelding]
    # It reads as Markdown: no escaped full stops, hyphens or quotes in plain sentences.
    body = markdown.split("\n[afbeelding]: ")[0]
    assert not re.search(r"\\[.\-’‘:?]", body), body


def test_the_escape_leaves_what_renders_as_typed_alone() -> None:
    for plain in (
        "Op 3.5 miljoen - ruim - en 2026.",
        "-woord en +31 6 1234",
        "#hashtag, Jan & Piet, 3 < 5 en 5 > 3",
        "snake_case en 5 * 3",
        "1,5 uur. Daarna: klaar!",
    ):
        assert escape(plain) == plain
        assert escape(plain + "\n" + plain) == plain + "\n" + plain
    assert escape("2026. Toen") == "2026\\. Toen"  # a numbered item at a line start
    assert escape("Jan &amp; Piet") == "Jan &amp;amp; Piet"  # an entity would show as "&"


# --- through the service: a session and a team -----------------------------------------------


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> ReflectionService:
    return build_service(make_settings(tmp_path_factory.mktemp("data")))


@needs_poppler
def test_a_session_export_names_its_situation_virtues_and_form(
    service: ReflectionService, photo: Path
) -> None:
    session_id, _ = play(service, read_script(EVALS_DIR / "sessions/01_binnen_meekrijgen.yaml"))
    service.attach_image(session_id, LOCAL_OWNER, photo)
    state = service.state(session_id)
    situation = service.situations()[state.situatie][0]
    assert not state.deugden  # none ticked: the band names those said on values

    pdf = service.export(session_id, LOCAL_OWNER, "pdf").path
    text = flat(run("pdftotext", "-enc", "UTF-8", pdf, "-"))
    assert flat(f"{state.situatie}. {situation}") in text
    assert "GENOEMDE DEUGDEN" in text and "Geduld, loyaliteit, moed" in text
    assert "ik-vorm" in text
    assert run("pdfimages", "-list", pdf).splitlines()[2:]  # the picture is on the page

    markdown = service.export(session_id, LOCAL_OWNER, "md").path.read_text(encoding="utf-8")
    assert f"- **Situatie:** {state.situatie}. {situation}" in markdown
    assert "](data:" not in markdown and "\n[afbeelding]: data:image/jpeg;base64," in markdown

    service.act(session_id, ChooseVirtues(virtues=["Moed", "Openheid"]))
    docx = docx_text(service.export(session_id, LOCAL_OWNER, "docx").path)
    assert docx[-4:] == ["VORM", "ik-vorm", "DATUM", dutch_date(service.state(session_id).updated)]
    assert docx[-6:-4] == ["DEUGDEN", "Moed, openheid"]


@needs_poppler
def test_the_team_a4_shows_what_the_team_has(service: ReflectionService) -> None:
    teams = service.teams
    team = teams.create("coach", 6, wie="wij")
    for owner, name in (("a", "Anouk"), ("b", "Bram")):
        teams.join(team.code, owner, name)
    teams.contribute(team.id, "a", "kop", "Toen de subsidie stopte, pakte niemand de regie op.")
    teams.contribute(team.id, "b", "staart", "Goed werk is voor ons: met moed en geduld oppakken.")
    teams.contribute(team.id, "a", "staart", "Wij pakken het samen op, met openheid naar buiten.")
    teams.draft_a4(team.id, "coach")
    shared = teams.team_for(team.id, "coach").a4
    named = named_virtues(" ".join(shared.model_dump().values()), service.virtues())
    assert named  # the shared beeld names a virtue from the booklet's list

    pdf = service.export_team(team.id, "a", "pdf").path  # a gave on every part it draws on
    text = flat(run("pdftotext", "-enc", "UTF-8", pdf, "-"))
    situation = service.situations()[6][0]
    assert flat(f"6. {situation}") in text
    assert "wij-vorm, teamsessie" in text and "GENOEMDE DEUGDEN" in text
    for virtue in named:
        assert virtue.lower() in text.lower()
    assert re.search(r"^Pages:\s+1$", run("pdfinfo", pdf), re.M)
    docx = docx_text(service.export_team(team.id, "coach", "docx").path)
    assert "wij-vorm, teamsessie" in docx
