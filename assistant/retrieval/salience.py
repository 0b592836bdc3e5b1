"""The core of a long description: the sentences that carry the situation, within a budget.

Embedding costs about a millisecond per token on two cores, so the dense half of retrieval
cannot read a 4,000-character story whole within one turn's budget. It reads the story's
core instead: its sentences ranked by a cheap lexical salience (how well a sentence alone
matches the best-matching situation), taken best first while they fit the budget, and put
back in the story's order. Scene-setting ("er was file, de koffie was koud") matches no
situation and drops out; BM25 still reads the whole text.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.text import first_chars, split_sentences


def salient_core(text: str, max_chars: int, salience: Callable[[str], float]) -> str:
    """`text` itself when it fits `max_chars`; else its most salient sentence, then the next
    most salient ones that still fit, in the story's own order (cut to `max_chars`)."""
    if len(text) <= max_chars:
        return text
    sentences = split_sentences(text)
    if not sentences:
        return first_chars(text, max_chars)
    ranked = sorted(range(len(sentences)), key=lambda i: -salience(sentences[i]))
    chosen = [ranked[0]]
    used = len(sentences[ranked[0]])
    for i in ranked[1:]:
        if used + 1 + len(sentences[i]) <= max_chars:
            chosen.append(i)
            used += 1 + len(sentences[i])
    return first_chars(" ".join(sentences[i] for i in sorted(chosen)), max_chars)
