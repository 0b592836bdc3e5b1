"""The session guide: its timing, the PDF (rendered for real) and `goedwerk gids`."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from assistant.cli import main
from assistant.corpus.load import Corpus, load_corpus
from assistant.domain.perspectives import Perspectief
from assistant.export.guide import guide_to_pdf
from assistant.export.timing import MAX_SUBGROUP, TOTAL_MINUTES, GuideError, session_timing
from assistant.facilitator.questions import QuestionBank, load_question_bank
from assistant.settings import PROJECT_ROOT

from .conftest import CORPUS_DIR

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) is not installed",
)
GROUP_SIZES = range(2, 13)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_question_bank(PROJECT_ROOT / "prompts", "v1")


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the CLI with a temp data dir."""
    monkeypatch.setenv("GOEDWERK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GOEDWERK_EMBEDDING__MODE", "fake")
    return tmp_path


def pdftotext(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


# --- timing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", GROUP_SIZES)
def test_timing_adds_up_to_two_hours_for_every_group_size(size: int) -> None:
    timing = session_timing(size)
    assert timing.total == TOTAL_MINUTES == 120
    assert sum(timing.subgroup_sizes) == size
    assert max(timing.subgroup_sizes) <= MAX_SUBGROUP
    assert timing.minutes("romp") == 5 * timing.perspective_minutes
    assert timing.perspective_minutes >= 10
    assert timing.minutes("romp") == max(b.minutes for b in timing.blocks)


def test_the_first_round_takes_longer_as_the_group_grows() -> None:
    kop = [session_timing(n).minutes("kop") for n in range(2, 7)]
    assert kop == sorted(kop) and kop[-1] > kop[0]
    romp = [session_timing(n).perspective_minutes for n in GROUP_SIZES]
    assert romp == sorted(romp, reverse=True)


def test_groups_above_six_split_into_subgroups_with_a_plenary_part() -> None:
    for n in range(2, 7):
        timing = session_timing(n)
        assert timing.subgroups == 1
        assert timing.minutes("plenair") == 0
        assert "subgroep" not in timing.facilitation
    seven, twelve = session_timing(7), session_timing(12)
    assert seven.subgroup_sizes == (4, 3)
    assert twelve.subgroup_sizes == (6, 6)
    assert seven.minutes("plenair") > 0
    # The booklet: 12 participants need 3, preferably 4 facilitators.
    assert "minstens 3, liefst 4 begeleiders" in twelve.facilitation


@pytest.mark.parametrize("size", [-1, 0, 1, 13, 100])
def test_a_group_size_outside_2_to_12_is_refused_in_dutch(size: int) -> None:
    with pytest.raises(GuideError, match="tussen 2 en 12 deelnemers"):
        session_timing(size)


# --- the PDF ---------------------------------------------------------------------------------


@needs_poppler
def test_cli_writes_a_guide_that_renders_with_all_its_parts(
    cli_env: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    out = cli_env / "gids.pdf"
    assert main(["gids", "--situatie", "3", "--out", str(out), "--groep", "8"]) == 0
    assert str(out) in capsys.readouterr().out

    subprocess.run(["pdftoppm", "-png", "-r", "30", str(out), str(cli_env / "page")], check=True)
    pages = sorted(cli_env.glob("page*.png"))
    assert len(pages) >= 4
    for page in pages:
        assert page.stat().st_size > 0
        with Image.open(page) as im:
            assert abs(im.width - 248) <= 1 and abs(im.height - 351) <= 1  # A4 at 30 dpi
            assert ImageStat.Stat(im.convert("L")).extrema[0][0] < 128  # something is printed

    text = pdftotext(out)
    situatie = corpus.situatie(3)
    assert f"Situatie 3: {situatie.titel}" in text
    for perspective in Perspectief:
        assert perspective.label in text
    for word in ("Tijdschema", "Kop", "Romp", "Staart", "Overzicht van deugden", "Deugden"):
        assert word in text
    assert "zonder meteen te reageren" in text
    assert "2 subgroepen (4 en 4 deelnemers)" in text
    for beeld in corpus.beelden_bij(3):
        assert beeld.titel in text
    assert corpus.deugden[0].naam in text and corpus.deugden[-1].naam in text
    assert "Wie van jullie heeft een eerdere ervaring met deze situatie?" in text  # wij-form

    last = subprocess.run(
        ["pdftotext", "-f", str(len(pages)), "-l", str(len(pages)), str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for box in ("Pakkende titel", "Kenmerkende ervaring", "Beeld van goed werk", "Afbeelding"):
        assert box in last
    assert "Laat je partners shinen" not in last  # the template is empty


@needs_poppler
@pytest.mark.parametrize("situatie_id", range(1, 11))
def test_every_situation_gets_a_guide_in_the_ik_form(
    tmp_path: Path, corpus: Corpus, bank: QuestionBank, situatie_id: int
) -> None:
    path = guide_to_pdf(corpus, bank, situatie_id, 2, tmp_path / "gids.pdf", wie="ik")
    text = pdftotext(path)
    assert " ".join(corpus.situatie(situatie_id).titel.split()) in text
    assert "Welke eerdere ervaring heb jij met deze situatie?" in text


def test_an_existing_directory_gets_a_safely_named_new_file(
    tmp_path: Path, corpus: Corpus, bank: QuestionBank
) -> None:
    first = guide_to_pdf(corpus, bank, 5, 6, tmp_path)
    second = guide_to_pdf(corpus, bank, 5, 6, tmp_path)
    assert first.parent == second.parent == tmp_path
    assert first.name == "gespreksleidraad-situatie-5.pdf"
    assert second.name == "gespreksleidraad-situatie-5-2.pdf"
    assert first.read_bytes().startswith(b"%PDF")


@needs_poppler
def test_markup_in_corpus_text_is_printed_as_text(
    tmp_path: Path, corpus: Corpus, bank: QuestionBank
) -> None:
    hostile = "<b>vet</b> & <script>alert(1)</script> <font size=80>groot</font>"
    situatie = corpus.situatie(1).model_copy(
        update={"titel": f"Titel {hostile}", "beschrijving": hostile}
    )
    changed = dataclasses.replace(corpus, situaties=[situatie, *corpus.situaties[1:]])
    text = pdftotext(guide_to_pdf(changed, bank, 1, 4, tmp_path / "gids.pdf"))
    assert hostile in text


# --- bad input -------------------------------------------------------------------------------


def test_an_unknown_situation_lists_the_valid_range(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = cli_env / "gids.pdf"
    assert main(["gids", "--situatie", "42", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Situatie 42 bestaat niet" in err and "van 1 tot en met 10" in err
    assert not out.exists()


@pytest.mark.parametrize("size", ["1", "13"])
def test_a_group_size_outside_2_to_12_gets_exit_code_2(
    cli_env: Path, capsys: pytest.CaptureFixture[str], size: str
) -> None:
    assert main(["gids", "--situatie", "1", "--out", str(cli_env / "g.pdf"), "--groep", size]) == 2
    assert "tussen 2 en 12 deelnemers" in capsys.readouterr().err


def test_a_missing_output_directory_gets_exit_code_2(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = cli_env / "bestaat-niet" / "gids.pdf"
    assert main(["gids", "--situatie", "1", "--out", str(out)]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert not out.parent.exists()


def test_an_output_path_that_cannot_be_written_gets_exit_code_2(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # /proc takes no new files, not even from root (CI runs as root, so chmod proves nothing).
    assert main(["gids", "--situatie", "1", "--out", "/proc/goedwerk-gids.pdf"]) == 2
    err = capsys.readouterr().err
    assert "Geen schrijfrechten" in err or "niet schrijven" in err
    assert not Path("/proc/goedwerk-gids.pdf").exists()


def test_a_situation_that_is_not_a_number_gets_exit_code_2(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["gids", "--situatie", "drie", "--out", str(cli_env / "g.pdf")])
    assert exit_info.value.code == 2
    assert "geen geheel getal" in capsys.readouterr().err
