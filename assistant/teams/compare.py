"""What the contributions on one part share and where they differ, from their own words.

Deterministic and explainable: a word counts by its Dutch stem (Snowball, as in retrieval),
without stop words. A virtue from the booklet's list or a content word that two or more people
used is agreement; the words only one person used are that person's difference. Words are
returned as the people wrote them, never as stems.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.text import analyse, fold, split_sentences, words

MAX_AGREEMENT = 8
MAX_DIFFERENCES = 4
MIN_WORD_CHARS = 3
# Pronouns, light verbs and fillers the retrieval stop list keeps, plus echoes of the
# questions ("goed werk", "situatie"): shared by everyone, they say nothing about agreement.
_EXTRA_STOPWORDS = frozenset(
    "we wij jullie onze jij jouw hebt zullen wel even echt heel erg gewoon natuurlijk misschien "
    "gaan gaat ging gingen komen komt kwam maken maakt maakte vinden vind vindt zeggen zegt zei "
    "moeten moest moesten kunnen kunt konden willen wilde wilden zien ziet zag laat laten liet "
    "geven geeft gaf nemen neemt nam staat stond zit zat weet wist denk dacht dachten voel voelde "
    "keer manier dingen ding steeds vaak soms eigenlijk beetje vooral eerst daarna zodra waarom "
    "waar waarop welke erover daarover nodig weinig plaats ander anderen mensen elke iedere weer "
    "eerste nieuwe grote kleine allemaal zouden hadden hebt doet deed deden wordt werden tussen "
    "binnen buiten via zoals bijvoorbeeld "
    "goed goede werk beeld situatie".split()
)


@dataclass(frozen=True)
class Comparison:
    """Agreement and differences on one part."""

    agreement: list[str]
    differences: list[tuple[str, list[str]]]


def _stem(word: str) -> str | None:
    """The stem of a content word, or None for a stop word or a very short word."""
    if len(word) < MIN_WORD_CHARS or fold(word) in _EXTRA_STOPWORDS:
        return None
    stems = analyse(word)
    return stems[0] if len(stems) == 1 else None


def term_forms(text: str) -> dict[str, Counter[str]]:
    """Each content word's stem with the forms it was written in (counted), in text order.

    A capital at the start of a sentence is not kept ("Vertrouwen is..." → "vertrouwen").
    """
    forms: dict[str, Counter[str]] = {}
    for sentence in split_sentences(text):
        for i, word in enumerate(words(sentence)):
            stem = _stem(word)
            if stem is None:
                continue
            form = word.lower() if i == 0 and word[1:] == word[1:].lower() else word
            forms.setdefault(stem, Counter())[form] += 1
    return forms


def _virtue_forms(text: str, virtues: Sequence[str]) -> dict[str, str]:
    """The virtues from the list a text names (whole words, accents folded): name → as written."""
    tokens = words(text)
    folded = [fold(t) for t in tokens]
    found: dict[str, str] = {}
    for virtue in virtues:
        key = words(fold(virtue.replace("(", "").replace(")", "")))
        n = len(key)
        for i in range(len(folded) - n + 1 if n else 0):
            if folded[i : i + n] == key:
                found[virtue] = " ".join(tokens[i : i + n])
                break
    return found


def _form(counters: Sequence[Counter[str]]) -> str:
    """The form a word was written in most often (the first seen on a tie)."""
    total: Counter[str] = Counter()
    for counter in counters:
        total.update(counter)
    return total.most_common(1)[0][0]


def shared_stems(texts: Sequence[str]) -> set[str]:
    """The content-word stems that two or more of these texts use."""
    per_text = Counter(stem for text in texts for stem in set(term_forms(text)))
    return {stem for stem, n in per_text.items() if n >= 2}


def compare(contributions: Sequence[tuple[str, str]], virtues: Sequence[str]) -> Comparison:
    """Agreement and differences among (label, text) contributions, one per person.

    With fewer than two contributions there is nothing to compare, and both stay empty.
    """
    if len(contributions) < 2:
        return Comparison([], [])
    forms = [term_forms(text) for _, text in contributions]
    named = [_virtue_forms(text, virtues) for _, text in contributions]
    people_per_stem = Counter(stem for f in forms for stem in f)
    people_per_virtue = Counter(v for n in named for v in n)

    agreement: list[str] = []
    covered: set[str] = set()
    for virtue, count in people_per_virtue.most_common():
        if count < 2:
            break
        agreement.append(next(n[virtue] for n in named if virtue in n).lower())
        covered.update(analyse(virtue))
    shared = [s for s, n in people_per_stem.items() if n >= 2 and s not in covered]
    shared.sort(key=lambda s: (-people_per_stem[s], -_uses(forms, s), _first(forms, s)))
    for stem in shared:
        if len(agreement) >= MAX_AGREEMENT:
            break
        agreement.append(_form([f[stem] for f in forms if stem in f]))

    differences: list[tuple[str, list[str]]] = []
    for (label, _), f, n in zip(contributions, forms, named, strict=True):
        own_virtues = [form.lower() for v, form in n.items() if people_per_virtue[v] == 1]
        virtue_stems = {s for v in n for s in analyse(v)}
        own = [s for s in f if people_per_stem[s] == 1 and s not in virtue_stems]
        own.sort(key=lambda s: (-sum(f[s].values()), -len(s), _first([f], s)))
        terms = (own_virtues + [_form([f[s]]) for s in own])[:MAX_DIFFERENCES]
        if terms:
            differences.append((label, terms))
    return Comparison(agreement, differences)


def _uses(forms: Sequence[dict[str, Counter[str]]], stem: str) -> int:
    return sum(sum(f[stem].values()) for f in forms if stem in f)


def _first(forms: Sequence[dict[str, Counter[str]]], stem: str) -> tuple[int, int]:
    """Where a stem first occurs: (person, position in their text)."""
    for person, f in enumerate(forms):
        if stem in f:
            return person, list(f).index(stem)
    return len(forms), 0
