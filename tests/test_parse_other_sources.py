"""Tests for the parsers of sources 000, 001 (team cases) and 003 (whitepaper)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.corpus import parse_002, parse_003, parse_cases
from assistant.corpus.models import Tekst

SOURCES = Path(__file__).parents[1] / "corpus" / "sources"
NAMES = {
    "000": "000_4e52e9ad32a27b41.txt",
    "001": "001_db83b993a7497b43.txt",
    "002": "002_da155ee923d7f03f.txt",
    "003": "003_9723ce89685e712b.txt",
}
PARSERS: dict[str, Callable[[list[str], str], list[Tekst]]] = {
    "000": parse_cases.parse_000,
    "001": parse_cases.parse_001,
    "002": parse_002.parse,
    "003": parse_003.parse,
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(
    r"\+31|\(0\d{1,3}\)\s*\d{5,}|\b06[\s-]?\d{8}\b|\b0\d{1,3}\s*-\s*\d{2,}"
    r"|\b0\d{2,3}[\s-]\d{2,3}[\s-]?\d{2}[\s-]?\d{2}\b"
)
BROKEN_WORD = re.compile(r"\b\w+- (?!(?:en|of|tot|noch|als|maar|dan)\b)[a-zà-ÿ]")


def parse(key: str) -> list[Tekst]:
    lines = (SOURCES / NAMES[key]).read_text(encoding="utf-8").splitlines()
    return PARSERS[key](lines, NAMES[key])


@pytest.fixture(scope="module")
def records() -> dict[str, list[Tekst]]:
    return {key: parse(key) for key in PARSERS}


def texts_of(teksten: list[Tekst]) -> list[str]:
    return [
        text
        for t in teksten
        for text in [t.titel, *(s.kop for s in t.secties), *(s.tekst for s in t.secties)]
    ]


def joined(teksten: list[Tekst]) -> str:
    return "\n".join(texts_of(teksten))


@pytest.mark.parametrize("key", sorted(PARSERS))
def test_no_record_contains_contact_details_or_replacement_characters(
    records: dict[str, list[Tekst]], key: str
) -> None:
    for text in texts_of(records[key]):
        assert not EMAIL.search(text), text
        assert not PHONE.search(text), text
        assert "\ufffd" not in text
        assert "contactgegevens" not in text.lower()


@pytest.mark.parametrize("key", sorted(PARSERS))
def test_no_word_broken_over_a_line_remains(records: dict[str, list[Tekst]], key: str) -> None:
    for text in texts_of(records[key]):
        assert not BROKEN_WORD.search(text), BROKEN_WORD.search(text)


@pytest.mark.parametrize("key", sorted(PARSERS))
def test_every_section_has_text_and_a_line_span_in_its_source(
    records: dict[str, list[Tekst]], key: str
) -> None:
    for tekst in records[key]:
        assert tekst.secties, tekst.id
        for sectie in tekst.secties:
            assert sectie.kop and sectie.tekst.strip(), (tekst.id, sectie.kop)
            assert sectie.bron.bestand == NAMES[key]
            assert tekst.bron.van <= sectie.bron.van <= sectie.bron.tot <= tekst.bron.tot


def test_the_whitepaper_yields_several_sections_with_unique_ids(
    records: dict[str, list[Tekst]],
) -> None:
    whitepaper = records["003"]
    ids = [t.id for t in whitepaper]
    assert len(ids) == len(set(ids)) >= 6
    assert all(re.fullmatch(r"003-\d\d", i) for i in ids)
    assert all(t.kind == "achtergrond" and t.soort == "whitepaper" for t in whitepaper)
    assert sum(len(t.secties) for t in whitepaper) >= 15


def test_whitepaper_chapters_carry_their_titles_and_sub_headings(
    records: dict[str, list[Tekst]],
) -> None:
    titels = [t.titel for t in records["003"]]
    assert "Wat is dat nu eigenlijk, professionele identiteit?" in titels
    assert "Van professionele identiteit naar identiteitswerk" in titels
    koppen = [s.kop for t in records["003"] for s in t.secties]
    assert "Professional ben je niet alleen" in koppen
    assert "4.7 Zorg dat je ontwikkelinterventies PI-proof zijn" in koppen


def test_chapter_headings_placed_after_their_text_do_not_interrupt_it(
    records: dict[str, list[Tekst]],
) -> None:
    text = joined(records["003"])
    assert "Weaver koppelt haar identiteit charmant" in text
    assert "onderhandelen (ook met jezelf) over wie je bent" in text
    body = "\n".join(s.tekst for t in records["003"] for s in t.secties)
    assert "Wat is dat nu eigenlijk, professionele identiteit?" not in body
    assert "hoofdStuk" not in text and "Figuur 9.6" not in text


def test_whitepaper_pull_quotes_and_footnotes_are_left_out(
    records: dict[str, list[Tekst]],
) -> None:
    text = joined(records["003"])
    quote = "Professionele identiteit geeft veerkracht om met veranderingen en transformaties"
    assert text.count(quote) == 1
    assert "In de jaren nadat deze whitepaper" not in text
    assert "https://" not in text
    assert "*" not in text


def test_the_first_case_is_one_team_practice_with_its_sections(
    records: dict[str, list[Tekst]],
) -> None:
    (case,) = records["000"]
    assert (case.id, case.kind, case.soort) == ("000", "praktijk", "team")
    assert case.titel == (
        "Professionals zelf weer aan het stuur – een klantreis in teamondernemerschap"
    )
    koppen = [s.kop for s in case.secties]
    assert koppen[0] == "Inleiding"
    for kop in ["Het probleem", "De interventies", "De reis", "Het resultaat"]:
        assert kop in koppen


def test_the_summary_box_does_not_interrupt_the_interventions(
    records: dict[str, list[Tekst]],
) -> None:
    (case,) = records["000"]
    interventies = next(s for s in case.secties if s.kop == "De interventies")
    assert "• ondermaatse kwaliteit" not in interventies.tekst
    assert "wil komen.\n\nIn de tweede en derde bijeenkomst" in interventies.tekst
    assert "Bekijk Film" not in joined(records["000"])
    assert "HR-functioneringscyclus" in interventies.tekst


def test_the_web_page_case_is_one_team_practice_without_navigation(
    records: dict[str, list[Tekst]],
) -> None:
    (case,) = records["001"]
    assert (case.id, case.kind, case.soort) == ("001", "praktijk", "team")
    assert case.titel.startswith("Uitvoerend team wil integrale diensten kunnen leveren")
    assert [s.kop for s in case.secties] == [
        "Inleiding",
        "Ieders bijdrage in het geheel",
        "Kennisdeling",
    ]
    text = joined(records["001"])
    for navigation in ["Homepage", "Deel deze pagina", "Terug", "Opleidingen"]:
        assert navigation not in text
    assert "de geleverde prestatie te vormen" in text
