"""Typing errors in a user's words: "entousiast" is read as the corpus's "enthousiast".

A word is corrected only when it is no word at all (neither Dutch nor English in `wordfreq`'s
lists, so "evacueren" is never read as "evalueren") and one typing error away from a word of
the corpus: a letter left out, added or changed, or two neighbouring letters swapped. Short
words are left alone; one letter turns too many of them into another word.
"""

from __future__ import annotations

from collections.abc import Iterable

from wordfreq import get_frequency_dict

# Words shorter than this are never corrected ("gracht" is one letter from "kracht").
MIN_LENGTH = 7


def is_word(word: str) -> bool:
    """Whether a folded word occurs in Dutch or English text at all. Looked up in the word
    lists themselves: `zipf_frequency` would keep every word asked about in a cache, and a
    user's words are not kept beyond their own session."""
    return word in get_frequency_dict("nl") or word in get_frequency_dict("en")


def _deletions(word: str) -> set[str]:
    """`word` with one letter left out, at every position."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_edit(word: str, other: str) -> bool:
    """Whether `other` is `word` with one letter left out, added or changed, or with two
    neighbouring letters swapped."""
    if word == other or abs(len(word) - len(other)) > 1:
        return False
    if len(word) != len(other):
        short, long = sorted((word, other), key=len)
        return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
    differ = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
    if len(differ) == 1:
        return True
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and word[differ[0]] == other[differ[1]]
        and word[differ[1]] == other[differ[0]]
    )


class Speller:
    """Corrects a folded word to the corpus word it was most likely meant to be."""

    def __init__(self, counts: dict[str, int]) -> None:
        """`counts`: each folded corpus word and how often the corpus uses it."""
        self._counts = {w: n for w, n in counts.items() if len(w) >= MIN_LENGTH - 1}
        # Every corpus word and its one-letter deletions, pointing back at the word: a typo
        # and its word share a deletion (SymSpell's trick), so no word list is scanned.
        self._by_deletion: dict[str, list[str]] = {}
        for word in self._counts:
            for variant in {word, *_deletions(word)}:
                self._by_deletion.setdefault(variant, []).append(word)

    @classmethod
    def of_texts(cls, words: Iterable[str]) -> Speller:
        """A speller over the folded words of a corpus (each word as often as it occurs)."""
        counts: dict[str, int] = {}
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        return cls(counts)

    def correct(self, word: str) -> str | None:
        """The corpus word `word` was meant to be, or None (a real word, too short, or no
        corpus word one typing error away). Nothing is remembered between calls."""
        if len(word) < MIN_LENGTH or word in self._counts or is_word(word):
            return None
        found = {
            near
            for variant in {word, *_deletions(word)}
            for near in self._by_deletion.get(variant, [])
            if one_edit(word, near)
        }
        if not found:
            return None
        return max(sorted(found), key=lambda near: self._counts[near])
