"""The building-block step in the page, in headless Chromium: ticked blocks in the order of
ticking, a completed opening and one's own sentence become the beeld in the A4 preview;
a wrong order is refused in Dutch with every field as typed; the panel leaves with its step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .a11y_tour import DESKTOP, PHONE, blocks, browser_page, tour_server
from .test_browser import CHROMIUM

ORDER = "#bouwstenen-volgorde textarea, #bouwstenen-volgorde input"
DOEN = "#opening-doen textarea, #opening-doen input"
NOTE = "#bouwstenen-melding"
IN_ANSWER_BOX = "() => document.activeElement?.closest('#antwoord') !== null"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium ontbreekt: installeer het Debian-pakket chromium (zie Makefile).")
    with tour_server(tmp_path_factory.mktemp("blocks-browser") / "data") as url:
        yield url


@pytest.fixture
def tab(server: str) -> Iterator[Any]:
    with browser_page(server, DESKTOP) as page:
        blocks(page)
        yield page


def first_block(tab: Any, group: str) -> tuple[Any, str]:
    """The first block of a group: its check box's label and its text without the number."""
    label = tab.locator(f"#bouwstenen-{group} label").first
    return label, label.inner_text().split(". ", 1)[1].strip()


def test_two_ticked_blocks_and_a_completed_opening_become_the_beeld_in_that_order(
    tab: Any,
) -> None:
    identity, identity_text = first_block(tab, "identiteit")
    knowing, knowing_text = first_block(tab, "kennis")
    identity.click()  # identity first, then knowledge: not the method's order
    tab.wait_for_function(f"() => document.querySelector({ORDER!r}).value !== ''")
    knowing.click()
    tab.wait_for_function(f"() => document.querySelector({ORDER!r}).value.includes(',')")
    numbers = [n.strip() for n in tab.input_value(ORDER).split(",")]
    assert len(numbers) == 2
    tab.fill(DOEN, "zelf de dijkwerkers bellen")
    tab.click("#maak-beeld")
    tab.wait_for_selector("#bouwstenen", state="hidden", timeout=15_000)
    tab.wait_for_function(
        "t => document.querySelector('#a4-voorbeeld')?.innerText.includes(t)",
        arg="Daarom doe ik zelf de dijkwerkers bellen",
        timeout=15_000,
    )
    preview = " ".join(tab.inner_text("#a4-voorbeeld").split())
    assert preview.index(identity_text[:30]) < preview.index(knowing_text[:30]), preview
    assert "titel" in tab.locator("#gesprek .message-row").last.inner_text()  # asked next


def test_a_wrong_order_is_refused_in_dutch_and_every_field_keeps_its_text(tab: Any) -> None:
    tab.fill(ORDER, "2, 99")
    tab.fill(DOEN, "zelf bellen")
    tab.fill("#bouwstenen-eigen textarea", "Een dijk verbindt.")
    tab.click("#maak-beeld")
    tab.wait_for_function(
        f"() => document.querySelector({NOTE!r}).innerText.includes('99')", timeout=15_000
    )
    assert "staat niet in de lijst" in tab.inner_text(NOTE)
    assert tab.input_value(ORDER) == "2, 99"
    assert tab.input_value(DOEN) == "zelf bellen"
    assert tab.input_value("#bouwstenen-eigen textarea") == "Een dijk verbindt."
    assert tab.is_visible("#bouwstenen")


def test_in_the_step_skip_back_and_to_the_a4_are_not_offered_and_the_chat_still_works(
    tab: Any,
) -> None:
    for button in ("#overslaan", "#terug", "#naar-a4"):
        assert not tab.is_visible(button), button
    tab.fill("#antwoord textarea", "Neem het concept.")
    tab.click("#verstuur")
    tab.wait_for_selector("#bouwstenen", state="hidden", timeout=15_000)
    assert tab.is_visible("#a4-voorbeeld")


def test_by_keyboard_the_focus_follows_the_beeld_and_a_screen_reader_hears_names(
    tab: Any,
) -> None:
    # Each group of blocks is named by its perspective; the note under the buttons is a
    # live status; a perspective button says its progress in words, not in dots.
    assert tab.get_by_role("group", name="Kennis").is_visible()
    assert tab.get_attribute(NOTE, "aria-live") == "polite"
    assert "van 3 vragen beantwoord" in (
        tab.get_attribute("#perspectief-kennis", "aria-label") or ""
    )
    tab.focus("#bouwstenen-identiteit input")
    tab.keyboard.press("Space")
    tab.wait_for_function(f"() => document.querySelector({ORDER!r}).value !== ''")
    tab.focus("#maak-beeld")
    tab.keyboard.press("Enter")
    tab.wait_for_selector("#bouwstenen", state="hidden", timeout=15_000)
    tab.wait_for_function(IN_ANSWER_BOX, timeout=10_000)  # the title is asked in the chat
    tab.keyboard.type("1")
    tab.keyboard.press("Enter")
    tab.wait_for_function(
        "() => document.activeElement?.getAttribute('aria-label') === 'Voorbeeld van het A4'",
        timeout=15_000,
    )


def test_on_a_phone_the_building_blocks_are_one_tap_away(tab: Any) -> None:
    tab.set_viewport_size(PHONE)
    link = tab.get_by_role("navigation", name="Snel naar").get_by_role(
        "link", name="Naar de bouwstenen"
    )
    link.wait_for(state="visible", timeout=10_000)
    link.click()
    tab.wait_for_function(
        "() => document.activeElement?.closest('#bouwstenen') !== null", timeout=10_000
    )
