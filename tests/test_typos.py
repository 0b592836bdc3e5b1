"""Typing errors in a description still meet the corpus's words."""

from __future__ import annotations

from assistant.retrieval.bm25 import LexicalIndex
from assistant.retrieval.nodes import Node
from assistant.retrieval.typos import Speller, one_edit


def _node(number: int, text: str) -> Node:
    return Node(
        id=f"n{number}", kind="situatie", title="t", text=text, source="s", situation=number
    )


SPELLER = Speller.of_texts(
    "enthousiast verantwoordelijk samenwerkingsverband evalueren kracht leidinggevende".split()
)


def test_one_letter_out_in_changed_or_swapped_is_one_edit() -> None:
    assert one_edit("entousiast", "enthousiast")
    assert one_edit("enthousiasst", "enthousiast")
    assert one_edit("enthoesiast", "enthousiast")
    assert one_edit("enthuosiast", "enthousiast")
    assert not one_edit("enthousiast", "enthousiast")
    assert not one_edit("entoesiast", "enthousiast")


def test_a_typing_error_is_read_as_the_corpus_word() -> None:
    assert SPELLER.correct("entousiast") == "enthousiast"
    assert SPELLER.correct("verantwoordlijk") == "verantwoordelijk"
    assert SPELLER.correct("samenwerkingsverbannd") == "samenwerkingsverband"
    assert SPELLER.correct("leidinggevnde") == "leidinggevende"


def test_a_real_word_or_a_short_one_is_never_corrected() -> None:
    # "evacueren" is one letter from "evalueren", but it is a word of its own.
    assert SPELLER.correct("evacueren") is None
    assert SPELLER.correct("gracht") is None
    assert SPELLER.correct("enthousiast") is None
    assert SPELLER.correct("qwertyuiop") is None


def test_the_lexical_index_reads_a_typo_as_the_word_it_knows() -> None:
    index = LexicalIndex(
        [_node(1, "De partners zijn enthousiast."), _node(2, "Niemand is verantwoordelijk.")]
    )
    assert index.terms("iedereen was entousiast") == index.terms("iedereen was enthousiast")
    assert index.scores("entousiast").argmax() == 0
    assert index.scores("verantwoordlijk").argmax() == 1


def test_no_word_a_user_typed_is_kept_after_the_call() -> None:
    """A user's words are not kept beyond their own session: neither the speller nor the
    compound splitter remembers what it was asked, nor does wordfreq's cache hold it."""
    import wordfreq

    index = LexicalIndex([_node(1, "De woningcorporatie is enthousiast.")])
    before = (len(wordfreq._wf_cache), dict(index.__dict__), dict(index._speller.__dict__))
    index.terms("de woningcorporatiemedewerker was entousiast over xyzzyplugh")
    after = (len(wordfreq._wf_cache), dict(index.__dict__), dict(index._speller.__dict__))
    assert after[0] == before[0]
    for held_before, held_after in zip(before[1:], after[1:], strict=True):
        for name, value in held_after.items():
            if hasattr(value, "__len__"):
                assert len(value) == len(held_before[name]), name
