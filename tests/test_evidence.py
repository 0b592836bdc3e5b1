"""The evidence under an offer names salient words the description shares with the passage,
and the user's own phrase; never function words or fillers."""

from __future__ import annotations

import re

import pytest

from assistant.facilitator.library import CorpusLibrary
from assistant.retrieval.evidence import FILLERS, evidence
from assistant.retrieval.setup import Knowledge, build_knowledge
from assistant.text import _STOPWORDS, analyse, fold

from .conftest import make_settings

STORIES = [
    "Iedereen zegt tegen elkaar dat het goed gaat, wij zijn met z'n drieën en eigenlijk "
    "gebeurt er gewoon niks. Binnen mijn eigen directie krijg ik geen steun voor de aanpak, "
    "terwijl de partners buiten enthousiast zijn.",
    "In de wijk wachten alle partners op elkaar: de woningcorporatie, de zorg en de politie. "
    "Een gezin valt er tussen, en niemand pakt het op omdat het bij niemand hoort.",
    "We hebben drie keer vergaderd en iedereen was heel aardig, maar de echte spanning tussen "
    "de twee organisaties wordt nooit uitgesproken.",
]


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return build_knowledge(make_settings(tmp_path_factory.mktemp("bewijs") / "data"))


def _named(why: str) -> list[str]:
    found = re.match(r"Overeenkomst in: (.+?)(?: \(jij schreef: “(.*?)”\))?\. Uit de tekst", why)
    assert found, why
    return found.group(1).split(", ")


@pytest.mark.parametrize("story", STORIES)
def test_the_evidence_names_no_function_or_filler_words(knowledge: Knowledge, story: str) -> None:
    for offer in CorpusLibrary(knowledge).offer(story):
        if not offer.why.startswith("Overeenkomst"):
            continue
        for word in _named(offer.why):
            assert fold(word) not in _STOPWORDS and fold(word) not in FILLERS, offer.why
            assert word not in {"iedereen", "elkaar", "drie", "eigenlijk", "gewoon", "keer"}


@pytest.mark.parametrize("story", STORIES)
def test_each_named_word_is_the_users_and_occurs_in_the_matching_passage(
    knowledge: Knowledge, story: str
) -> None:
    retriever = knowledge.retriever
    for match in retriever.match_situations(story, k=3):
        found = evidence(story, match.passage.text, retriever.lexical, 4000)
        passage_stems = set(analyse(match.passage.text))
        for word in found.words:
            assert word in story.lower()
            assert analyse(word)[0] in passage_stems
        if found.words:
            plain = found.phrase.strip("…")
            assert plain and plain in story, found.phrase
            assert any(w in found.phrase.lower() for w in found.words)


def test_the_rarest_shared_words_come_first(knowledge: Knowledge) -> None:
    retriever = knowledge.retriever
    passage = "De woningcorporatie en de gemeente werken samen in de wijk."
    found = evidence(
        "De woningcorporatie, de gemeente en de wijk.", passage, retriever.lexical, 4000
    )
    shares = [retriever.lexical.share(analyse(w)[0]) for w in found.words]
    assert found.words and shares == sorted(shares)


def test_a_description_sharing_only_fillers_gets_the_gist_line(knowledge: Knowledge) -> None:
    found = evidence(
        "Iedereen en elkaar, drie keer.",
        "Iedereen kent elkaar, drie keer.",
        knowledge.retriever.lexical,
        4000,
    )
    assert found.words == [] and found.phrase == ""
