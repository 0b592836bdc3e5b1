"""What the facilitator needs from the corpus and the retriever, behind one small class."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.domain.perspectives import Perspectief
from assistant.facilitator.language import gives_advice
from assistant.retrieval.evidence import Evidence, evidence
from assistant.retrieval.search import HybridRetriever
from assistant.retrieval.setup import Knowledge
from assistant.text import analyse, split_sentences


@dataclass(frozen=True)
class Offer:
    """A critical situation offered to recognise: title, two lines, why it matches."""

    situation: int
    title: str
    summary: str
    why: str
    score: float  # the fused match score (the best offer scores 1.0 or close)


@dataclass(frozen=True)
class MirrorSource:
    """A beeld whose sentences can mirror a perspective."""

    id: str
    title: str
    text: str
    source: str


# "waarde" shares its stem with "waar" (where), in every other sentence ("iemand waar ze
# naartoe komen"): it would make half of all sentences weigh values.
_FALSE_FRIENDS = frozenset(analyse("waar"))
# Stems (Dutch Snowball) that signal how a sentence weighs a perspective.
PERSPECTIVE_STEMS: dict[Perspectief, frozenset[str]] = {
    p: frozenset(analyse(words)) - _FALSE_FRIENDS
    for p, words in {
        Perspectief.HANDELINGEN: "doen deed gesprek gesprekken actie aanpak ingezet gezocht zoeken "
        "bespreekbaar laten vragen verbinden betrekken helpen organiseren opzoeken stap",
        Perspectief.KENNIS: "kennis weten inzicht begrip ervaring kennen inschatten feeling "
        "feitelijke context proces materie snappen leren kennis",
        Perspectief.WAARDEN_DEUGDEN: "belangrijk waarde waarden deugd open openheid eerlijk "
        "eerlijkheid vertrouwen loyaal loyaliteit moed respect verantwoordelijk kwetsbaar "
        "zorg integriteit geduld oprecht",
        Perspectief.VRIJHEID: "ruimte vrijheid mogen mandaat regels kaders verantwoorden keuze "
        "grenzen afhankelijk macht invloed speelruimte professionele",
        Perspectief.IDENTITEIT: "rol mezelf stijl zien grenswerker drijfveer identiteit positie "
        "persoonlijk zelf gedrevenheid gezien gekend",
    }.items()
}

_SUMMARY_LIMIT = 220


def two_lines(text: str, limit: int = _SUMMARY_LIMIT) -> str:
    """The first sentences of a text, cut to about two lines."""
    result = ""
    for sentence in split_sentences(text):
        if len(result) + len(sentence) > limit and result:
            break
        result = f"{result} {sentence}".strip()
    if len(result) > limit:
        result = result[: limit - 1].rsplit(" ", 1)[0] + "…"
    return result


class CorpusLibrary:
    """Situations, virtues and mirror material from the corpus plus the shared collection."""

    def __init__(
        self,
        knowledge: Knowledge,
        saved_beelden: Callable[[], list[MirrorSource]] | None = None,
    ) -> None:
        self.corpus = knowledge.corpus
        self._knowledge = knowledge
        self._saved = saved_beelden or (lambda: [])

    @property
    def _retriever(self) -> HybridRetriever:
        # Read on every use: the knowledge swaps its retriever when the collection changes.
        return self._knowledge.retriever

    def virtues(self) -> list[str]:
        """The booklet's Overzicht van deugden."""
        return [d.naam for d in self.corpus.deugden]

    def situation_title(self, situation: int) -> str:
        """The title of a situation."""
        return self.corpus.situatie(situation).titel

    def situation_text(self, situation: int) -> str:
        """The booklet's own description of a situation, as a short note before the kop."""
        situatie = self.corpus.situatie(situation)
        # Like a mirror, it never reads as advice: a directive sentence is left out.
        kept = [s for s in split_sentences(situatie.beschrijving) if not gives_advice(s)]
        return f"Over ‘{situatie.titel}’ schrijft het boekje: {' '.join(kept)}"

    def offer(self, description: str, k: int = 3) -> list[Offer]:
        """The `k` situations that best match a description, with why each matches."""
        offers = []
        retriever = self._retriever
        for match in retriever.match_situations(description, k=k):
            situatie = self.corpus.situatie(match.situation)
            found = evidence(
                description,
                match.passage.text,
                retriever.lexical,
                self._knowledge.settings.retrieval.max_query_chars,
            )
            why = _why(found, match.passage.text)
            offers.append(
                Offer(
                    situatie.id,
                    situatie.titel,
                    two_lines(situatie.beschrijving),
                    why,
                    match.score,
                )
            )
        return offers

    def _where(self, situation: int) -> str:
        """Where a booklet beeld belongs: its situation, by title."""
        return f"bij de situatie ‘{self.situation_title(situation)}’"

    def mirror_sources(self, situation: int, text: str, k: int = 3) -> list[MirrorSource]:
        """Beelden to mirror with: the chosen situation's own, then the most similar others."""
        sources = [
            MirrorSource(f"beeld-{b.id}", b.titel, b.beeld, self._where(b.situatie))
            for b in self.corpus.beelden_bij(situation)
        ]
        saved = {s.id: s for s in self._saved()}
        booklet = {f"beeld-{b.id}": b for b in self.corpus.beelden}
        if text.strip():
            for passage in self._retriever.similar(text, kinds=("beeld", "eigen_beeld"), k=k):
                if passage.id in booklet and all(s.id != passage.id for s in sources):
                    b = booklet[passage.id]
                    sources.append(
                        MirrorSource(passage.id, b.titel, b.beeld, self._where(b.situatie))
                    )
                elif passage.id in saved:
                    sources.append(saved[passage.id])
        return sources


def _why(found: Evidence, passage: str) -> str:
    """A short reason: the salient words shared with the passage and where the user wrote
    them, then the passage's own words."""
    quote = two_lines(passage, 140)
    if not found.words:
        return f"Lijkt qua strekking op: “{quote}”"
    where = f" (jij schreef: “{found.phrase}”)" if found.phrase else ""
    return f"Overeenkomst in: {', '.join(found.words)}{where}. Uit de tekst: “{quote}”"


# A mirror sentence must stand on its own: one that opens with a pointer lost its subject.
_POINTER_START = re.compile(
    r"^(dit|dat|die|deze|hij|zij|ze|het|hem|haar|daar|daarbij|daarom|"
    r"hierdoor|daardoor|zo|ook|en|maar|want)\b",
    re.IGNORECASE,
)


def best_quote(
    sources: list[MirrorSource],
    perspective: Perspectief,
    answer: str,
    exclude: set[str],
    min_score: float = 0.0,
) -> tuple[MirrorSource, str, str] | None:
    """The sentence from the sources that best shows how someone weighed this perspective.

    Returns (source, sentence, mirror id) or None. Scored by the perspective's signal stems and
    by the words it shares with the user's answer; sentences already shown are skipped.
    """
    answer_stems = set(analyse(answer))
    best: tuple[float, MirrorSource, str, str] | None = None
    for rank, source in enumerate(sources):
        for number, sentence in enumerate(split_sentences(source.text)):
            mirror_id = f"{source.id}#{number}"
            if mirror_id in exclude or not 6 <= len(sentence.split()) <= 45:
                continue
            if gives_advice(sentence) or _POINTER_START.match(sentence):
                continue  # for recognition, never an instruction; and whole on its own
            stems = set(analyse(sentence))
            score = 2.0 * len(stems & PERSPECTIVE_STEMS[perspective]) + len(stems & answer_stems)
            score -= 0.5 * rank  # prefer the chosen situation's own beelden
            if score > max(0.0, min_score) and (best is None or score > best[0]):
                best = (score, source, sentence, mirror_id)
    return None if best is None else (best[1], best[2], best[3])
