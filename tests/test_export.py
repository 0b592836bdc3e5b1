"""PDF, DOCX, file-name and image-upload exports of the rich A4."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from assistant.domain.session import A4
from assistant.export.document import PLACEHOLDER, to_font
from assistant.export.docx import a4_to_docx
from assistant.export.files import (
    FALLBACK_STEM,
    ImageRejected,
    export_filename,
    validate_image,
)
from assistant.export.pdf import MIN_FONT_SCALE, a4_to_pdf, fits_one_page
from assistant.facilitator import compose

needs_poppler = pytest.mark.skipif(
    shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdfinfo, pdftotext, pdftoppm, pdfimages) is not installed",
)

TITLE = "Samen “bouwen” aan vertrouwen – een ideeënwerkplaats"
FIRST_SENTENCE = "Goed werk betekent dat Zoë en René elkaars ‘taal’ leren spreken."
SAMPLE = A4(
    titel=TITLE,
    kenmerkende_ervaring=(
        "Tijdens de overdracht zag ik dat iedereen een ander verhaal had.\n"
        "Pas toen we samen het gesprek aangingen – niet óver maar mét hem – ontstond ruimte.\n\n"
        "Dat moment staat me bij…"
    ),
    beeld=FIRST_SENTENCE + " We delen het “waarom” voordat we het ‘hoe’ bespreken. Kosten: €0.",
    afbeelding="Een brug van losse planken die pas stevig wordt als iedereen meehelpt.",
)
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(10)}


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout


def pdftotext(path: Path) -> str:
    return run("pdftotext", "-enc", "UTF-8", path, "-")


def squeezed(text: str) -> str:
    """Text without any whitespace: a long word may be split over two lines of a column."""
    return "".join(text.split())


def docx_texts(doc: DocxDocument) -> list[tuple[str, str]]:
    """(style, text) of every paragraph of the body, those in table cells included, in order."""
    out = []
    for block in doc.iter_inner_content():
        cells = [c for row in block.rows for c in row.cells] if isinstance(block, Table) else []
        for para in (
            [block]
            if isinstance(block, DocxParagraph)
            else [p for c in cells for p in c.paragraphs]
        ):
            out.append((para.style.name if para.style else "", para.text))
    return out


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "beeld.png"
    Image.new("RGB", (120, 80), (47, 93, 80)).save(path, "PNG")
    return path


@pytest.fixture
def jpeg(tmp_path: Path) -> Path:
    path = tmp_path / "foto.jpg"
    Image.new("RGB", (80, 120), (220, 120, 60)).save(path, "JPEG")
    return path


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_is_one_a4_page_without_poppler(tmp_path: Path, png: Path) -> None:
    result = a4_to_pdf(SAMPLE, png, tmp_path / "a4.pdf")
    data = result.path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b(?!s)", data)) == 1
    assert re.search(rb"/MediaBox \[ 0 0 595\.27\d* 841\.88\d* \]", data)
    assert b"/Subtype /Image" in data
    assert (result.pages, result.shrunk, result.scale, result.replaced) == (1, False, 1.0, 0)


@needs_poppler
def test_pdf_page_size_text_and_render(tmp_path: Path, png: Path) -> None:
    out = a4_to_pdf(SAMPLE, png, tmp_path / "a4.pdf").path
    info = run("pdfinfo", out)
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert "(A4)" in info
    assert re.search(rf"^Title:\s+{re.escape(TITLE)}$", info, re.M)
    assert re.search(r"^Author:\s*$", info, re.M)

    text = pdftotext(out)
    flat = " ".join(text.split())
    assert TITLE in flat
    assert FIRST_SENTENCE in flat
    assert SAMPLE.afbeelding in flat  # the picture's caption
    for heading in ("KENMERKENDE ERVARING", "BEELD VAN GOED WERK"):
        assert heading in text
    for ch in "ë é ’ “ ” – … €".split():
        assert ch in text, ch
    assert "gemaakt met goedwerk" in text

    run("pdftoppm", "-png", "-r", "50", out, tmp_path / "page")
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    with Image.open(pages[0]) as im:
        width, height = im.size  # A4 at 50 dpi: 413 × 585
        assert abs(width - 413) <= 1 and abs(height - 585) <= 1


@needs_poppler
def test_pdf_image_is_embedded(tmp_path: Path, jpeg: Path) -> None:
    out = a4_to_pdf(SAMPLE, jpeg, tmp_path / "a4.pdf").path
    rows = run("pdfimages", "-list", out).splitlines()[2:]
    assert len(rows) == 1
    assert rows[0].split()[3:5] == ["80", "120"]


@needs_poppler
def test_long_beeld_still_one_page_shrunk_not_cut(tmp_path: Path, png: Path) -> None:
    words = ("woord " * 4999).split() + ["SLOTWOORD"]
    a4 = SAMPLE.model_copy(update={"beeld": " ".join(words)})
    result = a4_to_pdf(a4, png, tmp_path / "lang.pdf")
    assert result.pages == 1
    assert result.shrunk and result.scale < 0.6 and not result.readable
    assert re.search(r"^Pages:\s+1$", run("pdfinfo", result.path), re.M)
    text = pdftotext(result.path)
    assert "SLOTWOORD" in text  # nothing cut off silently
    assert text.count("woord") >= 4999


def test_extreme_text_scales_whole_block_still_one_page(tmp_path: Path) -> None:
    beeld = "\n".join(f"regel {i}" for i in range(3000))
    result = a4_to_pdf(A4(titel="Veel regels", beeld=beeld), None, tmp_path / "x.pdf")
    assert result.pages == 1 and result.shrunk and result.scale < MIN_FONT_SCALE
    assert len(re.findall(rb"/Type /Page\b(?!s)", result.path.read_bytes())) == 1


def test_moderate_overflow_shrinks_a_little(tmp_path: Path) -> None:
    a4 = SAMPLE.model_copy(update={"beeld": "Een zin over samenwerken. " * 160})
    result = a4_to_pdf(a4, None, tmp_path / "a4.pdf")
    assert result.shrunk and 0.6 <= result.scale < 1.0 and result.readable


@pytest.mark.parametrize("sentences", [0, 40, 60, 80, 100, 160])
def test_fits_one_page_says_what_the_pdf_does_at_its_normal_size(
    tmp_path: Path, sentences: int
) -> None:
    a4 = SAMPLE.model_copy(update={"beeld": "Een zin over samenwerken. " * sentences})
    result = a4_to_pdf(a4, None, tmp_path / "a4.pdf")
    assert fits_one_page(a4) is not result.shrunk
    assert compose.fits_one_page(a4) is fits_one_page(a4)  # the facilitator asks the same


@needs_poppler
def test_user_markup_is_literal_text(tmp_path: Path) -> None:
    a4 = A4(
        titel="<script>alert(1)</script>",
        kenmerkende_ervaring='<img src=x onerror="alert(2)"> & <b>vet</b> &amp;',
        beeld="<para>geen markup</para><br/>",
    )
    out = a4_to_pdf(a4, None, tmp_path / "x.pdf").path
    text = squeezed(pdftotext(out))
    assert squeezed("<script>alert(1)</script>") in text
    assert squeezed('<img src=x onerror="alert(2)"> & <b>vet</b> &amp;') in text
    assert squeezed("<para>geen markup</para><br/>") in text

    docx_out = a4_to_docx(a4, None, tmp_path / "x.docx")
    xml = zipfile.ZipFile(docx_out).read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "<script>" not in xml and "<img" not in xml


def test_characters_vera_lacks_become_a_visible_placeholder() -> None:
    assert to_font("Zoë’s “ideeën” – €5…") == ("Zoë’s “ideeën” – €5…", 0)
    assert to_font("ĳs") == ("ijs", 0)
    assert to_font("Őrség") == ("Orség", 0)
    text, replaced = to_font("duim 👍🏽 en שלום עולם en 日本")
    assert text == f"duim {PLACEHOLDER} en {PLACEHOLDER} {PLACEHOLDER} en {PLACEHOLDER}"
    assert replaced == 2 + 8 + 2
    assert to_font("a\x00b\tc") == ("ab c", 0)


@needs_poppler
def test_pdf_shows_placeholder_for_emoji_and_rtl(tmp_path: Path) -> None:
    a4 = A4(titel="Feest 🎉", beeld="مرحبا en Zoë")
    result = a4_to_pdf(a4, None, tmp_path / "x.pdf")
    assert result.replaced == 6
    text = pdftotext(result.path)
    assert f"Feest {PLACEHOLDER}" in text and f"{PLACEHOLDER} en Zoë" in text
    assert "🎉" not in text


@needs_poppler
def test_empty_a4_gives_one_page_with_placeholders(tmp_path: Path) -> None:
    result = a4_to_pdf(A4(), None, tmp_path / "leeg.pdf")
    text = pdftotext(result.path)
    assert "Beeld van goed werk" in text and "(nog niet ingevuld)" in text
    assert re.search(r"^Pages:\s+1$", run("pdfinfo", result.path), re.M)


def test_pdf_rejects_bad_image(tmp_path: Path) -> None:
    fake = tmp_path / "nep.png"
    fake.write_text("geen plaatje")
    with pytest.raises(ImageRejected):
        a4_to_pdf(SAMPLE, fake, tmp_path / "a4.pdf")


# --- DOCX ------------------------------------------------------------------------------------


def test_docx_has_the_four_parts_image_and_a4_page(tmp_path: Path, png: Path) -> None:
    out = a4_to_docx(SAMPLE, png, tmp_path / "a4.docx")
    doc = Document(str(out))
    texts = docx_texts(doc)
    assert ("Title", TITLE) in texts
    body = [t for _, t in texts]
    assert body.index("Kenmerkende ervaring") < body.index("Beeld van goed werk")
    assert (
        "Tijdens de overdracht zag ik dat iedereen een ander verhaal had.\n"
        "Pas toen we samen het gesprek aangingen – niet óver maar mét hem – ontstond ruimte."
    ) in body
    assert "Dat moment staat me bij…" in body
    assert SAMPLE.beeld in body
    assert ("Caption", SAMPLE.afbeelding) in texts
    assert len(doc.inline_shapes) == 1
    picture = doc.inline_shapes[0]
    assert Cm(3) < picture.height and picture.width <= Cm(17.4)
    assert abs(picture.width / picture.height - 120 / 80) < 0.02  # not stretched
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.1)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.1)
    assert abs(section.left_margin - Cm(1.8)) < Cm(0.1)
    assert doc.core_properties.title == TITLE
    assert doc.core_properties.author == ""


def test_docx_without_image(tmp_path: Path) -> None:
    doc = Document(str(a4_to_docx(A4(titel="Zonder"), None, tmp_path / "a4.docx")))
    assert len(doc.inline_shapes) == 0
    body = [t for _, t in docx_texts(doc)]
    assert "(nog niet ingevuld)" in body and "Nog geen afbeelding" in body


# --- file names ------------------------------------------------------------------------------


def assert_valid_name(path: Path, directory: Path, ext: str) -> None:
    assert path.resolve().parent == directory.resolve()
    name = path.name
    assert "/" not in name and "\\" not in name and "\x00" not in name and ".." not in name
    assert name.endswith(f".{ext}")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+", name), name
    assert name.split(".")[0].upper() not in RESERVED
    assert len(name) <= 80


SPECIAL_TITLES = [
    "../../etc/passwd",
    "..\\..\\windows\\system32",
    "a\x00b",
    "CON",
    "con",
    "aux.txt",
    "Lpt9",
    "COM1.pdf",
    "x" * 300,
    "مرحبا بالعالم",
    "שלום עולם",
    "🎉🎉",
    "...",
    "-._- ",
    "",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.one_of(
        st.text(max_size=400),
        st.sampled_from(SPECIAL_TITLES),
        st.tuples(st.sampled_from(SPECIAL_TITLES), st.text(max_size=40)).map("".join),
    ),
    ext=st.sampled_from(["pdf", "docx", ".PDF"]),
)
def test_export_filename_is_safe_and_never_overwrites(title: str, ext: str) -> None:
    clean_ext = ext.lower().lstrip(".")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        first = export_filename(title, ext, directory)
        assert_valid_name(first, directory, clean_ext)
        assert first.exists() and first.read_bytes() == b""  # reserved
        first.write_bytes(b"eerste")
        second = export_filename(title, ext, directory)
        assert_valid_name(second, directory, clean_ext)
        assert second != first and first.read_bytes() == b"eerste"
        third = export_filename(title, ext, directory, reserve=False)
        assert third not in (first, second) and not third.exists()


def test_export_filename_examples(tmp_path: Path) -> None:
    assert export_filename("Zoë’s “ideeën” voor ĳs", "pdf", tmp_path).name == (
        "zoes-ideeen-voor-ijs.pdf"
    )
    assert export_filename("../../etc/passwd", "pdf", tmp_path).name == "etc-passwd.pdf"
    assert export_filename("CON", "pdf", tmp_path).name == "con-a4.pdf"
    assert export_filename("", "docx", tmp_path).name == f"{FALLBACK_STEM}.docx"
    assert export_filename("", "docx", tmp_path).name == f"{FALLBACK_STEM}-2.docx"
    assert export_filename("", "docx", tmp_path).name == f"{FALLBACK_STEM}-3.docx"
    assert len(export_filename("woord " * 50, "pdf", tmp_path).stem) <= 60
    with pytest.raises(ValueError):
        export_filename("x", "../pdf", tmp_path)


# --- images ----------------------------------------------------------------------------------


def test_real_png_and_jpeg_pass(png: Path, jpeg: Path) -> None:
    info = validate_image(png)
    assert (info.format, info.width, info.height, info.mime_type) == ("PNG", 120, 80, "image/png")
    info = validate_image(jpeg.read_bytes())
    assert (info.format, info.width, info.height, info.extension) == ("JPEG", 80, 120, "jpg")


def test_text_renamed_png_is_rejected(tmp_path: Path) -> None:
    fake = tmp_path / "plaatje.png"
    fake.write_text("Dit is gewoon tekst, geen afbeelding.")
    with pytest.raises(ImageRejected, match="Dit bestand is geen geldige afbeelding"):
        validate_image(fake)
    with pytest.raises(ImageRejected, match="geen geldige afbeelding"):
        validate_image(b"")


def test_gif_is_rejected(tmp_path: Path) -> None:
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(ImageRejected, match="Alleen PNG- of JPEG-afbeeldingen"):
        validate_image(gif.getvalue())
    with pytest.raises(ImageRejected, match="Alleen PNG- of JPEG-afbeeldingen"):
        validate_image(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")


def test_too_large_is_rejected(tmp_path: Path) -> None:
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * 7_300_000
    with pytest.raises(ImageRejected, match=r"De afbeelding is te groot \(7,3 MB; maximaal 5 MB\)"):
        validate_image(big)
    path = tmp_path / "groot.png"
    path.write_bytes(big)
    with pytest.raises(ImageRejected, match="te groot"):
        validate_image(path)


def test_too_many_pixels_and_truncated_are_rejected(png: Path) -> None:
    wide = io.BytesIO()
    Image.new("L", (7000, 10)).save(wide, "PNG")
    with pytest.raises(ImageRejected, match="te groot"):
        validate_image(wide.getvalue())
    with pytest.raises(ImageRejected, match="geen geldige afbeelding"):
        validate_image(png.read_bytes()[:-20])
