"""Tests for the parser of booklet 004, run against the real source text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.corpus import parse_004
from assistant.corpus.models import Beeld, Deugd, Situatie
from assistant.domain.perspectives import Perspectief

SOURCE = Path(__file__).parents[1] / "corpus" / "sources" / "004_d619ba5fbae2261f.txt"
RUNNING_HEADER = "Beelden van goed werk in samenwerking  -"
# The booklet's Overzicht van deugden: 102 lines, three of them blank.
DEUGDEN_IN_BOOKLET = 99

Parsed = tuple[list[Situatie], list[Beeld], list[Deugd]]


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def parsed(source_lines: list[str]) -> Parsed:
    return parse_004.parse(source_lines, SOURCE.name)


@pytest.fixture(scope="module")
def all_texts(parsed: Parsed) -> list[str]:
    situaties, beelden, deugden = parsed
    texts: list[str] = []
    for s in situaties:
        texts += [s.titel, s.beschrijving, *s.perspectieven.values(), *s.deugden]
    for b in beelden:
        texts += [b.titel, b.kenmerkende_ervaring, b.beeld, b.naam or ""]
    return texts + [d.naam for d in deugden]


def test_there_are_ten_situations_numbered_one_to_ten(parsed: Parsed) -> None:
    situaties, _, _ = parsed
    assert [s.id for s in situaties] == list(range(1, 11))


def test_every_situation_has_a_title_and_a_description(parsed: Parsed) -> None:
    for situatie in parsed[0]:
        assert situatie.titel
        assert len(situatie.beschrijving) > 200


def test_every_situation_has_all_five_perspectives(parsed: Parsed) -> None:
    for situatie in parsed[0]:
        assert set(situatie.perspectieven) == set(Perspectief)
        assert all(text.strip() for text in situatie.perspectieven.values())


def test_every_situation_names_at_least_one_virtue(parsed: Parsed) -> None:
    for situatie in parsed[0]:
        assert situatie.deugden
        assert all(d == d.lower() and " " not in d for d in situatie.deugden)


def test_virtues_are_read_from_the_waarden_en_deugden_text(parsed: Parsed) -> None:
    situaties = {s.id: s for s in parsed[0]}
    assert situaties[1].deugden == [
        "loyaliteit",
        "begrip",
        "geduld",
        "doorzettingsvermogen",
        "moed",
    ]
    assert situaties[3].deugden == ["openheid", "empathie", "saamhorigheid", "nuchterheid"]
    assert situaties[6].deugden == [
        "flexibiliteit",
        "dienstbaarheid",
        "verantwoordelijkheid",
        "daadkracht",
    ]


def test_parenthetical_glosses_are_stripped_from_virtues() -> None:
    text = (
        "Deugden die hier in het spel zijn, zijn bijvoorbeeld openheid (achterste van de tong), "
        "moed (naar binnen en naar buiten) en idealisme."
    )
    assert parse_004.virtues_named_in(text) == ["openheid", "moed", "idealisme"]


def test_situation_titles_are_read_whole(parsed: Parsed) -> None:
    situaties = {s.id: s for s in parsed[0]}
    assert situaties[1].titel.startswith("Wat als")
    assert situaties[1].titel == "Wat als… je ze binnen mee wilt krijgen?"
    assert situaties[7].titel == (
        "Wat als... men je kritische boodschap wel vraagt, maar niet wilt horen?"
    )
    assert situaties[9].titel == (
        "Wat als... er meer aandacht nodig is voor het proces of onderliggende relaties?"
    )


def test_a_situation_spans_from_its_heading_to_the_end_of_its_perspectives(
    parsed: Parsed, source_lines: list[str]
) -> None:
    eerste = parsed[0][0]
    assert (eerste.bron.van, eerste.bron.tot) == (364, 417)
    for situatie in parsed[0]:
        assert "Kritische samenwerkingssituatie" in source_lines[situatie.bron.van - 1]


def test_there_are_two_beelden_per_situation(parsed: Parsed) -> None:
    _, beelden, _ = parsed
    assert len(beelden) == 20
    assert [b.id for b in beelden] == [f"{n}{letter}" for n in range(1, 11) for letter in "ab"]
    assert all(b.id.startswith(str(b.situatie)) for b in beelden)


def test_every_beeld_has_a_title_an_experience_and_a_beeld(parsed: Parsed) -> None:
    for beeld in parsed[1]:
        assert beeld.titel
        assert beeld.kenmerkende_ervaring
        assert beeld.beeld


def test_experiences_lose_only_their_outer_quote_marks(parsed: Parsed) -> None:
    beelden = {b.id: b for b in parsed[1]}
    for beeld in beelden.values():
        assert beeld.kenmerkende_ervaring[0] not in '“”" '
        assert beeld.kenmerkende_ervaring[-1] not in '“”" '
    assert beelden["1a"].kenmerkende_ervaring.startswith("Eind vorig jaar")
    assert "“Waar komt dit vandaan?”" in beelden["1a"].kenmerkende_ervaring


def test_beeld_titles_and_names_match_the_booklet(parsed: Parsed) -> None:
    beelden = {b.id: b for b in parsed[1]}
    assert (beelden["1a"].titel, beelden["1a"].naam) == ("Een goede landing", "Tobias")
    assert beelden["1b"].naam == "Gerard"
    assert beelden["3a"].naam == "Frank"
    assert beelden["3b"].titel == "Van samen overleggen naar samen werken"
    assert beelden["8a"].naam == "Marie Sam"
    assert beelden["10a"].naam == "Hankey"


def test_a_beeld_that_names_nobody_has_no_name(parsed: Parsed) -> None:
    beelden = {b.id: b for b in parsed[1]}
    assert beelden["8b"].naam is None
    assert beelden["10b"].naam is None


def test_a_beeld_spans_from_its_heading_to_the_end_of_its_text(parsed: Parsed) -> None:
    eerste = parsed[1][0]
    assert (eerste.bron.van, eerste.bron.tot) == (418, 442)


def test_virtue_list_has_every_entry_of_the_booklet(parsed: Parsed) -> None:
    _, _, deugden = parsed
    namen = [d.naam for d in deugden]
    assert len(namen) == DEUGDEN_IN_BOOKLET
    assert namen[0] == "Aandacht"
    assert namen[-1] == "Trouw"
    assert {"Moed", "Trouw", "Vrijgevigheid/royaliteit", "(Zelf)vertrouwen"} <= set(namen)
    assert all(naam == naam.strip() for naam in namen)


def test_each_virtue_has_its_own_line_as_provenance(
    parsed: Parsed, source_lines: list[str]
) -> None:
    for deugd in parsed[2]:
        assert deugd.bron.van == deugd.bron.tot
        assert source_lines[deugd.bron.van - 1].strip() == deugd.naam


def test_no_text_contains_replacement_characters_or_running_headers(all_texts: list[str]) -> None:
    for text in all_texts:
        assert "\ufffd" not in text
        assert RUNNING_HEADER not in text


def test_words_broken_over_lines_are_mended(all_texts: list[str], parsed: Parsed) -> None:
    joined = "\n".join(all_texts)
    for broken in (
        "samen- werken",
        "samenwer- ken",
        "bedoe- ling",
        "enthou- siaste",
        "afweerreac-",
    ):
        assert broken not in joined
    beelden = {b.id: b for b in parsed[1]}
    assert "de bedoeling en de menselijke maat" in beelden["2a"].kenmerkende_ervaring
    assert "een heel enthousiaste sessie" in beelden["2a"].kenmerkende_ervaring
    # Only elided compounds ("beleids- of speelveld") keep a hyphen before a space.
    assert not re.search(r"\w- (?!(?:en|of)\b)\w", joined)


def test_real_hyphens_are_preserved(all_texts: list[str], source_lines: list[str]) -> None:
    joined = "\n".join(all_texts)
    part_2 = "\n".join(source_lines[363:1507])
    hyphenated = set(re.findall(r"\b\w+-\w+\b", part_2))
    assert {"NSOB-model", "HR-adviseurs", "niet-bedreigende"} <= hyphenated
    assert all(word in joined for word in hyphenated)
    assert "beleids- of speelveld" in joined


def test_paragraphs_are_separated_by_one_blank_line(parsed: Parsed) -> None:
    beelden = {b.id: b for b in parsed[1]}
    assert beelden["7b"].kenmerkende_ervaring.count("\n\n") == 1
    for text in (b.beeld for b in parsed[1]):
        assert "\n\n\n" not in text
        assert "  " not in text
