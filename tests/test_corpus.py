"""The curated corpus: counts, completeness, provenance, privacy, reproducibility."""

from __future__ import annotations

import re

import pytest

from assistant.corpus.build import build_records
from assistant.corpus.load import Corpus, load_corpus
from assistant.domain.perspectives import Perspectief

from .conftest import CORPUS_DIR

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?:\+31|\b0)[\s(]*\d{1,4}[)\s-]*\d{2,4}[\s-]*\d{2,4}(?:[\s-]*\d{2,4})?\b")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


def _all_texts(corpus: Corpus) -> list[str]:
    texts: list[str] = []
    for s in corpus.situaties:
        texts += [s.titel, s.beschrijving, *s.perspectieven.values(), *s.deugden]
    for b in corpus.beelden:
        texts += [b.titel, b.kenmerkende_ervaring, b.beeld, b.naam or ""]
    for t in corpus.praktijken + corpus.achtergrond:
        texts += [t.titel] + [f"{sec.kop}\n{sec.tekst}" for sec in t.secties]
    texts += [d.naam for d in corpus.deugden]
    texts += [s for h in corpus.herkenning for s in h.signalen]
    return texts


def test_the_corpus_has_ten_situations_twenty_beelden_and_28_practices(corpus: Corpus) -> None:
    assert [s.id for s in corpus.situaties] == list(range(1, 11))
    assert len(corpus.beelden) == 20
    practices_002 = [t for t in corpus.praktijken if t.id.startswith("002-")]
    assert len(practices_002) == 28
    assert {t.id for t in corpus.praktijken} >= {"000", "001"}
    assert len(corpus.deugden) > 80
    assert len(corpus.achtergrond) >= 5


def test_every_situation_has_all_five_perspectives_and_two_beelden(corpus: Corpus) -> None:
    for situatie in corpus.situaties:
        assert set(situatie.perspectieven) == set(Perspectief)
        assert all(len(text) > 50 for text in situatie.perspectieven.values())
        assert situatie.deugden
        assert len(corpus.beelden_bij(situatie.id)) == 2


def test_no_record_contains_a_phone_number_or_email_address(corpus: Corpus) -> None:
    for text in _all_texts(corpus):
        assert not EMAIL.search(text), text[:120]
        assert not PHONE.search(text), PHONE.search(text)


def test_the_phone_and_email_patterns_do_find_contact_details() -> None:
    assert EMAIL.search("mail k.vos@oss.nl")
    assert PHONE.search("bel 0412 - 629 911") and PHONE.search("06-12345678")


def test_no_record_contains_replacement_characters_or_running_headers(corpus: Corpus) -> None:
    for text in _all_texts(corpus):
        assert "\ufffd" not in text
        assert "Hoe doe je het goede als het spannend wordt?" not in text


def test_words_broken_over_lines_are_joined_and_real_hyphens_kept(corpus: Corpus) -> None:
    everything = "\n".join(_all_texts(corpus))
    assert "samen- werken" not in everything and "samen-werken" not in everything
    assert "samenwerken" in everything
    assert "OR-voorzitter" in everything
    assert "Oost-Watergraafsmeer" in everything or "Sittard-Geleen" in everything


def test_every_record_keeps_its_provenance(corpus: Corpus) -> None:
    sources = {p.name for p in (CORPUS_DIR / "sources").glob("*.txt")}
    bronnen = [s.bron for s in corpus.situaties] + [b.bron for b in corpus.beelden]
    bronnen += [sec.bron for t in corpus.praktijken + corpus.achtergrond for sec in t.secties]
    for bron in bronnen:
        assert bron.bestand in sources
        assert 1 <= bron.van <= bron.tot


def test_the_generated_records_are_reproduced_by_the_build_script() -> None:
    for name, text in build_records(CORPUS_DIR).items():
        assert (CORPUS_DIR / name).read_text(encoding="utf-8") == text, name


def test_every_situation_has_recognition_signals(corpus: Corpus) -> None:
    for situatie in corpus.situaties:
        assert len(corpus.signalen_bij(situatie.id)) >= 20
