"""The building-block panel's own rules: blocks grouped by perspective with the chat's
numbers, the order of ticking, an order typed by hand, and a pick that becomes `BuildBeeld`."""

from __future__ import annotations

from assistant.domain.perspectives import Perspectief
from assistant.domain.session import Bouwsteen, SessionState
from assistant.ui.blocks_panel import build_action, tick
from assistant.ui.blocks_view import blocks_view, read_order, tick_groups, ticked_in_order

OPENINGS = {
    "goed_werk": "Goed werk is voor mij …",
    "doen": "Daarom doe ik …",
    "belangrijk": "omdat ik … belangrijk vind",
    "weten": "Daarvoor moet ik weten …",
    "ruimte": "De ruimte die ik heb: …",
    "gekend": "Ik wil gekend worden als …",
}
FOUND = [
    Bouwsteen(id="20.0", perspective=None, text="Goed werk is samen.", turn=20, proposed=True),
    Bouwsteen(
        id="8.0", perspective=Perspectief.HANDELINGEN, text="Ik belde.", turn=8, proposed=True
    ),
    Bouwsteen(
        id="8.1", perspective=Perspectief.HANDELINGEN, text="Ik schreef.", turn=8, proposed=False
    ),
    Bouwsteen(id="12.0", perspective=Perspectief.KENNIS, text="Ik wist.", turn=12, proposed=True),
]


def panel(state: SessionState | None = None):  # type: ignore[no-untyped-def]
    return blocks_view(state or SessionState(id="s", step="bouwstenen"), FOUND, OPENINGS)


def no_words() -> tuple[str, ...]:
    return ("",) * 6 + ("",)


def test_blocks_are_grouped_by_perspective_with_the_numbers_the_chat_lists_them_by() -> None:
    view = panel()
    assert view.groups[0] == [("1. Goed werk is samen.", "1")]  # the closing view first
    assert view.groups[1] == [("2. Ik belde.", "2"), ("3. Ik schreef.", "3")]
    assert view.groups[2] == [("4. Ik wist.", "4")]
    assert view.groups[3:] == [[], [], []]
    assert view.ids == ["20.0", "8.0", "8.1", "12.0"]
    assert view.openings["doen"] == ("Daarom doe ik …", "")


def test_a_session_with_a_pick_and_completed_openings_fills_the_panel_with_them() -> None:
    state = SessionState(
        id="s",
        step="bouwstenen",
        blocks_chosen=["12.0", "20.0"],
        openingen={"doen": "een tekening mee"},
        eigen_zinnen=["Een dijk is een plek.", "Samen."],
    )
    view = panel(state)
    assert view.order == "4, 1" and view.ticked[0] == ["1"] and view.ticked[2] == ["4"]
    assert view.openings["doen"] == ("Daarom doe ik …", "een tekening mee")
    assert view.eigen == "Een dijk is een plek.\nSamen."


def test_the_order_is_the_order_of_ticking_and_an_unticked_block_leaves_it() -> None:
    assert ticked_in_order("", ["3"]) == "3"
    assert ticked_in_order("3", ["1", "3"]) == "3, 1"
    assert ticked_in_order("3, 1", ["1"]) == "1"
    # Ticks arrive per group; the order kept from the field wins over the groups' order.
    assert tick("4, 2", ["1"], ["2"], ["4"]) == "4, 2, 1"


def test_an_order_typed_by_hand_is_read_as_numbers_or_refused_in_dutch() -> None:
    assert read_order("3, 1 en 4", 4) == [3, 1, 4]
    assert read_order("2, 2, 1", 4) == [2, 1]
    assert read_order("", 4) == []
    assert read_order("drie", 4) == "Typ bij de volgorde alleen nummers, bijvoorbeeld 3, 1, 5."
    refused = read_order("3, 9", 4)
    assert isinstance(refused, str) and "9" in refused and "1 tot en met 4" in refused
    assert tick_groups([4, 1], panel().groups) == [["1"], [], ["4"], [], [], []]


def test_the_pick_becomes_one_build_beeld_action_in_the_order_field_s_order() -> None:
    view = panel()
    words = ("", "een tekening mee", "", "", "", "")
    fields = (["1"], [], ["4"], [], [], [], *words, "Eigen zin één.\n\nEigen zin twee.")
    action = build_action(view, "4, 1", fields)
    assert not isinstance(action, str)
    assert action.blocks == ["12.0", "20.0"]
    assert action.openingen == {"doen": "een tekening mee"}
    assert action.eigen == ["Eigen zin één.", "Eigen zin twee."]
    # A tick the order field misses (its sync came late) still counts, after the others.
    late = build_action(view, "4", (["1"], [], ["4"], [], [], [], *no_words()))
    assert not isinstance(late, str) and late.blocks == ["12.0", "20.0"]


def test_an_empty_pick_or_a_wrong_order_is_a_dutch_note_not_an_action() -> None:
    view = panel()
    nothing = build_action(view, "", ([], [], [], [], [], [], *no_words()))
    assert isinstance(nothing, str) and "Neem het concept" in nothing
    wrong = build_action(view, "1, 7", (["1"], [], [], [], [], [], *no_words()))
    assert isinstance(wrong, str) and "7" in wrong
