"""Why a passage matches a description: the salient words they share and the user's phrase.

Only content words count. Function words (the BM25 stopword lists) and everyday fillers
("iedereen", "elkaar", "drie", "eigenlijk") are left out, and so are words the corpus uses
almost everywhere (in more than `COMMON_SHARE` of its nodes): they match every situation and
tell the user nothing about this one. The rarest shared words come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.retrieval.bm25 import LexicalIndex
from assistant.text import analyse, fold, split_sentences

# Everyday words that are no stopwords in the lists BM25 uses, but carry no situation:
# quantities, pronouns, hedges, time words and the most general verbs.
FILLERS = frozenset(
    """
    iedereen elkaar allemaal alle allen ieder iedere elke elk beide samen zelfs sommige
    een twee drie vier vijf zes zeven acht negen tien eerste tweede derde laatste paar
    jij jou jouw jullie wij we onze mijzelf mezelf zichzelf die dat wel weer even ineens
    eigenlijk gewoon echt heel erg best beetje nogal vooral zeker misschien ongeveer bijna
    steeds vaak soms nooit altijd telkens meestal gisteren vandaag morgen straks vanmiddag
    vanochtend vanavond week weken maand maanden jaar jaren dag dagen keer keren tijd moment
    goed slecht groot klein nieuw oud lang kort veel weinig meer minder grote kleine nieuwe
    mensen persoon personen iets niks dingen ding zaken zaak manier kant stuk deel
    gaan gaat ging gingen komen komt kwam kwamen maken maakt maakte krijgen krijg krijgt kreeg
    willen wilde wilden moeten moest moesten kunnen kun kunt konden zitten zit zat staan staat
    stond laten laat liet zeggen zegt zei vinden vind vindt vond geven geeft gaf zien zie ziet
    zag weten weet wist denken denk denkt dacht doe doet deed gedaan gezegd gehad gekomen
    gewoon allee zoiets ergens nergens overal iemand niemand anderen ander andere eigen
    voel voelt voelen voelde hoor hoort horen hoorde blijf blijft blijven bleef liggen ligt
    lag gebeurt gebeuren gebeurde volgens goede lijkt lijken leek merk merkt merken merkte
    probeer probeert proberen probeerde vraag vraagt vragen vroeg
    """.split()
)
COMMON_SHARE = 0.25
MAX_WORDS = 4
PHRASE_WORDS = 12
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_FILLER_STEMS = frozenset(s for w in FILLERS for s in analyse(w))


@dataclass(frozen=True)
class Evidence:
    """The salient words a description shares with a passage, rarest first, and the
    stretch of the user's own text where most of them stand (empty when none)."""

    words: list[str]
    phrase: str


def _salient_stem(word: str, lexical: LexicalIndex) -> str | None:
    """The stem of a content word worth naming, or None for a function or filler word."""
    folded = fold(word)
    if len(folded) < 4 or folded in FILLERS:
        return None
    stems = analyse(word)
    if not stems or stems[0] in _FILLER_STEMS:
        return None
    return stems[0] if lexical.share(stems[0]) <= COMMON_SHARE else None


def evidence(description: str, passage: str, lexical: LexicalIndex, max_chars: int) -> Evidence:
    """What `description` (read up to `max_chars`) and `passage` really share."""
    passage_stems = set(analyse(passage))
    text = description[:max_chars]
    # Each distinct word is stemmed once: a pasted report would otherwise cost a stemmer
    # call per word.
    stem_of: dict[str, str | None] = {}
    for word in _WORD.findall(text):
        key = word.lower()
        if key not in stem_of:
            stem = _salient_stem(word, lexical)
            stem_of[key] = stem if stem in passage_stems else None
    shared: dict[str, str] = {}
    for word, stem in stem_of.items():
        if stem is not None and stem not in shared:
            shared[stem] = word
    ranked = sorted(shared, key=lexical.share)[:MAX_WORDS]
    return Evidence([shared[s] for s in ranked], _phrase(text, set(ranked), stem_of))


def _phrase(text: str, stems: set[str], stem_of: dict[str, str | None]) -> str:
    """The user's words around the shared stems, from the sentence holding most of them."""
    best: tuple[int, list[str], list[int]] = (0, [], [])
    for sentence in split_sentences(text):
        tokens = sentence.split()
        found = [(i, _token_stem(t, stem_of)) for i, t in enumerate(tokens)]
        hits = [i for i, stem in found if stem in stems]
        distinct = len({stem for _, stem in found if stem in stems})
        if distinct > best[0]:
            best = (distinct, tokens, hits)
    _, tokens, hits = best
    if not hits:
        return ""
    start = max(0, hits[0] - 2)
    end = min(len(tokens), max(hits[-1] + 3, start + 4), start + PHRASE_WORDS)
    phrase = " ".join(tokens[start:end]).strip(" ,;:")
    if start > 0:
        phrase = "…" + phrase
    if end < len(tokens):
        phrase = phrase.rstrip(".!?,;:") + "…"
    return phrase


def _token_stem(token: str, stem_of: dict[str, str | None]) -> str | None:
    """The salient shared stem of one whitespace token of the user's text, if any."""
    found = _WORD.findall(token)
    return stem_of.get(found[0].lower()) if found else None
