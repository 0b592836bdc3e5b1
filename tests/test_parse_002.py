"""Tests for the parser of booklet 002 (28 practices), run against the real source text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.corpus import parse_002
from assistant.corpus.models import Tekst

SOURCE = Path(__file__).parents[1] / "corpus" / "sources" / "002_da155ee923d7f03f.txt"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(
    r"\+31|\(0\d{1,3}\)\s*\d{5,}|\b06[\s-]?\d{8}\b|\b0\d{1,3}\s*-\s*\d{2,}"
    r"|\b0\d{2,3}[\s-]\d{2,3}[\s-]?\d{2}[\s-]?\d{2}\b"
)
# A word broken over two lines and never mended: "samen- werken" (but "beleids- of …" is fine).
BROKEN_WORD = re.compile(r"\b\w+- (?!(?:en|of|tot|noch|als|maar|dan)\b)[a-zà-ÿ]")


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def praktijken(source_lines: list[str]) -> list[Tekst]:
    return parse_002.parse(source_lines, SOURCE.name)


def texts_of(tekst: Tekst) -> list[str]:
    return [tekst.titel, *(s.kop for s in tekst.secties), *(s.tekst for s in tekst.secties)]


def all_texts(praktijken: list[Tekst]) -> list[str]:
    return [text for tekst in praktijken for text in texts_of(tekst)]


def by_id(praktijken: list[Tekst], record_id: str) -> Tekst:
    return next(t for t in praktijken if t.id == record_id)


def test_the_booklet_yields_exactly_28_practices_with_unique_ids(praktijken: list[Tekst]) -> None:
    ids = [t.id for t in praktijken]
    assert len(praktijken) == 28
    assert len(set(ids)) == 28
    assert ids == [f"002-{n:02d}" for n in range(1, 29)]


def test_there_are_16_organisation_cases_and_12_employee_stories(
    praktijken: list[Tekst],
) -> None:
    soorten = [t.soort for t in praktijken]
    assert soorten.count("organisatie") == 16
    assert soorten.count("medewerker") == 12
    assert all(t.kind == "praktijk" for t in praktijken)


def test_every_practice_has_an_engelen_en_beren_section(praktijken: list[Tekst]) -> None:
    for tekst in praktijken:
        engelen = [s for s in tekst.secties if s.kop == "Engelen en beren"]
        assert len(engelen) == 1, tekst.id
        assert len(engelen[0].tekst) > 200, tekst.id


def test_every_practice_opens_with_its_lead_paragraph(praktijken: list[Tekst]) -> None:
    for tekst in praktijken:
        assert tekst.secties[0].kop == "Inleiding"
        assert len(tekst.secties[0].tekst) > 150, tekst.id


def test_organisation_cases_have_the_fixed_headings_of_the_booklet(
    praktijken: list[Tekst],
) -> None:
    for tekst in (t for t in praktijken if t.soort == "organisatie"):
        koppen = [s.kop for s in tekst.secties]
        assert koppen[1].startswith("Ontwikkeling en mobiliteit "), tekst.id
        assert any(k.startswith("Wat levert het") for k in koppen), tekst.id
        assert any(k.startswith("Waarom ") for k in koppen), tekst.id
        assert koppen[-1].startswith("Reflectie van de onderzoeker"), tekst.id


def test_employee_stories_have_the_fixed_headings_of_the_booklet(praktijken: list[Tekst]) -> None:
    for tekst in (t for t in praktijken if t.soort == "medewerker"):
        koppen = " | ".join(s.kop for s in tekst.secties)
        assert re.search(r"Hoe pakte \w+ het aan\?", koppen), tekst.id
        assert re.search(r"Waar zit voor \w+ de winst\?", koppen), tekst.id
        assert "loopbaansucces?" in koppen, tekst.id


def test_headings_and_titles_are_written_in_normal_capitalisation(
    praktijken: list[Tekst],
) -> None:
    for tekst in praktijken:
        for text in [tekst.titel, *(s.kop for s in tekst.secties)]:
            assert text != text.upper(), text
    assert by_id(praktijken, "002-01").titel == "Oss: Wel werkgarantie, geen baangarantie"
    assert "Wat levert het op in Den Haag en Almere?" in [
        s.kop for s in by_id(praktijken, "002-26").secties
    ]


def test_employee_story_titles_name_the_employee(praktijken: list[Tekst]) -> None:
    carli = by_id(praktijken, "002-02")
    assert carli.titel == "Carli van Heeswijk: Van tuinman naar voorman Groen"


def test_the_emmen_case_gets_its_waarom_section_back(praktijken: list[Tekst]) -> None:
    koppen = [s.kop for s in by_id(praktijken, "002-15").secties]
    assert "Waarom is Emmen met O&M aan de slag?" in koppen
    assert koppen.count("Wat levert het op in Emmen?") == 1


def test_the_patterns_would_find_the_contact_details_of_the_source(
    source_lines: list[str],
) -> None:
    source = "\n".join(source_lines)
    assert len(EMAIL.findall(source)) >= 16
    assert PHONE.search("M 06 - 11 62 31 15")
    assert PHONE.search("T 0575 - 75 04 54")
    assert PHONE.search("bel (010) 1234567 of +31 6 12345678 of 06-12345678")


def test_no_record_contains_an_email_address_or_a_phone_number(praktijken: list[Tekst]) -> None:
    for text in all_texts(praktijken):
        assert not EMAIL.search(text), text
        assert not PHONE.search(text), text


def test_contact_blocks_and_photo_captions_are_left_out(praktijken: list[Tekst]) -> None:
    joined = "\n".join(all_texts(praktijken))
    assert "Contactgegevens" not in joined
    assert "CONTACTGEGEVENS" not in joined
    assert "Van links naar rechts" not in joined
    assert "links naar rechts" not in joined.lower()


def test_pull_quotes_are_not_repeated_in_the_text(praktijken: list[Tekst]) -> None:
    oss = "\n".join(texts_of(by_id(praktijken, "002-01")))
    assert oss.count("haal je kanjers binnen") == 1
    maassluis = "\n".join(texts_of(by_id(praktijken, "002-03")))
    assert maassluis.count("plekken vrij voor mensen die verplicht mobiel") == 1


def test_vertical_edge_text_and_page_numbers_are_left_out(praktijken: list[Tekst]) -> None:
    for tekst in praktijken:
        for sectie in tekst.secties:
            for paragraph in sectie.tekst.split("\n\n"):
                assert len(paragraph) > 3, (tekst.id, sectie.kop)
    joined = "\n".join(all_texts(praktijken))
    for piece in [r"\bedew\b", r"\berkers sleutelen\b", r"\beer w\b", r"\bIJK\b"]:
        assert not re.search(piece, joined), piece


def test_displaced_display_titles_become_the_title_not_body_text(praktijken: list[Tekst]) -> None:
    brandweer = by_id(praktijken, "002-23")
    assert brandweer.titel.endswith(
        "Medewerkers nemen meer eigen verantwoordelijkheid voor loopbaan"
    )
    body = "\n".join(s.tekst for s in brandweer.secties)
    assert "oefenkaarten; daar zat vroeger een leidinggevende achteraan" in body


def test_no_replacement_characters_remain(praktijken: list[Tekst]) -> None:
    assert not any("\ufffd" in text for text in all_texts(praktijken))


def test_real_hyphens_are_kept(praktijken: list[Tekst]) -> None:
    joined = "\n".join(all_texts(praktijken))
    assert "OR-voorzitter" in joined
    assert "Sittard-Geleen" in joined  # broken over two lines in the source
    assert "hbo-opleiding" in joined
    assert "instroom-, doorstroom- en uitstroombeleid" in joined


def test_no_word_broken_over_a_line_remains(praktijken: list[Tekst]) -> None:
    for text in all_texts(praktijken):
        assert not BROKEN_WORD.search(text), BROKEN_WORD.search(text)
    joined = "\n".join(all_texts(praktijken))
    assert "netwerkbijeenkomsten" in joined  # "netwerk-" / "bijeenkomsten" in the source


def test_section_line_spans_lie_within_their_practice(praktijken: list[Tekst]) -> None:
    previous_end = 0
    for tekst in praktijken:
        assert tekst.bron.bestand == SOURCE.name
        assert previous_end < tekst.bron.van <= tekst.bron.tot
        for sectie in tekst.secties:
            assert tekst.bron.van <= sectie.bron.van <= sectie.bron.tot <= tekst.bron.tot
        previous_end = tekst.bron.tot
