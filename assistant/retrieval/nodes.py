"""The retrieval units (nodes) built from the corpus and saved beelden, with stable ids.

A node id depends only on where the text comes from (`situatie-3-kennis`, `beeld-3b`,
`praktijk-002-07-2`), never on its content, so re-indexing the same corpus leaves the same ids;
a content hash in the metadata tells which nodes changed and must be embedded again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from assistant.corpus.load import Corpus
from assistant.corpus.models import Tekst
from assistant.domain.beeld import SavedBeeld
from assistant.domain.perspectives import Perspectief

Kind = Literal["situatie", "perspectief", "beeld", "praktijk", "achtergrond", "eigen_beeld"]
KINDS: tuple[Kind, ...] = (
    "situatie",
    "perspectief",
    "beeld",
    "praktijk",
    "achtergrond",
    "eigen_beeld",
)
# Kinds whose nodes belong to one of the booklet's situations and so vote in situation matching.
SITUATION_KINDS: tuple[Kind, ...] = ("situatie", "perspectief", "beeld")
_HEAD_ONLY_KINDS = frozenset({"praktijk", "achtergrond"})
EMBED_HEAD_CHARS = 700


@dataclass(frozen=True)
class Node:
    """One retrieval unit: an id, the indexed text and scalar metadata."""

    id: str
    text: str
    kind: Kind
    title: str
    source: str
    situation: int = 0  # 0: not tied to a situation (Chroma metadata cannot be None)
    perspective: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def embed_text(self) -> str:
        """The text that is embedded: long practice and background sections only by their head.

        Embedding costs about a millisecond per token on two cores; the head of a section (its
        heading and first sentences) carries its topic, and BM25 still sees the whole text.
        """
        if self.kind not in _HEAD_ONLY_KINDS or len(self.text) <= EMBED_HEAD_CHARS:
            return self.text
        head = self.text[:EMBED_HEAD_CHARS]
        end = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
        return head[: end + 1] if end > EMBED_HEAD_CHARS // 2 else head

    @property
    def metadata(self) -> dict[str, str | int]:
        """Scalar metadata as stored in Chroma, including the content hash."""
        return {
            "kind": self.kind,
            "situation": self.situation,
            "perspective": self.perspective,
            "source": self.source,
            "title": self.title,
            "hash": self.content_hash,
            **self.extra,
        }

    @property
    def content_hash(self) -> str:
        """A hash of everything that is embedded or stored for this node."""
        parts = [
            self.text,
            self.kind,
            self.title,
            self.source,
            str(self.situation),
            self.perspective,
        ]
        parts += [f"{k}={v}" for k, v in sorted(self.extra.items())]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def situation_nodes(corpus: Corpus) -> list[Node]:
    """Nodes for the situations: description, each perspective, recognition signals, beelden."""
    nodes: list[Node] = []
    for sit in corpus.situaties:
        source = sit.bron.label()
        nodes.append(
            Node(
                id=f"situatie-{sit.id}",
                text=f"{sit.titel}\n\n{sit.beschrijving}",
                kind="situatie",
                title=sit.titel,
                source=source,
                situation=sit.id,
            )
        )
        for perspectief in Perspectief:
            nodes.append(
                Node(
                    id=f"situatie-{sit.id}-{perspectief.value}",
                    text=f"{perspectief.label}: {sit.perspectieven[perspectief]}",
                    kind="perspectief",
                    title=sit.titel,
                    source=source,
                    situation=sit.id,
                    perspective=perspectief.value,
                )
            )
        for number, signaal in enumerate(corpus.signalen_bij(sit.id), start=1):
            nodes.append(
                Node(
                    id=f"situatie-{sit.id}-herkenning-{number}",
                    text=signaal,
                    kind="situatie",
                    title=sit.titel,
                    source="corpus/herkenning.yaml",
                    situation=sit.id,
                    extra={"part": "herkenning"},
                )
            )
    for beeld in corpus.beelden:
        nodes.append(
            Node(
                id=f"beeld-{beeld.id}",
                text=f"{beeld.titel}\n\n{beeld.kenmerkende_ervaring}\n\n{beeld.beeld}",
                kind="beeld",
                title=beeld.titel,
                source=beeld.bron.label(),
                situation=beeld.situatie,
            )
        )
    return nodes


def text_nodes(teksten: list[Tekst]) -> list[Node]:
    """One node per section of each practice, case or background text."""
    return [
        Node(
            id=f"{tekst.kind}-{tekst.id}-{number}",
            text=f"{sectie.kop}\n\n{sectie.tekst}",
            kind=tekst.kind,
            title=f"{tekst.titel} – {sectie.kop}",
            source=sectie.bron.label(),
        )
        for tekst in teksten
        for number, sectie in enumerate(tekst.secties, start=1)
    ]


def saved_beeld_node(beeld: SavedBeeld) -> Node:
    """The node of a beeld a user shared into the collection."""
    return Node(
        id=f"eigen_beeld-{beeld.id}",
        text=f"{beeld.titel}\n\n{beeld.kenmerkende_ervaring}\n\n{beeld.beeld}",
        kind="eigen_beeld",
        title=beeld.titel,
        source="collectie",
        situation=beeld.situatie,
    )


def build_nodes(corpus: Corpus, saved: list[SavedBeeld] | None = None) -> list[Node]:
    """All nodes of the index, in a stable order, ids unique."""
    nodes = situation_nodes(corpus) + text_nodes(corpus.praktijken) + text_nodes(corpus.achtergrond)
    nodes += [saved_beeld_node(b) for b in saved or []]
    ids = [n.id for n in nodes]
    if len(ids) != len(set(ids)):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"Dubbele node-ids: {duplicates[:5]}")
    return nodes
