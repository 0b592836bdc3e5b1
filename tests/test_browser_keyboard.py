"""The page by keyboard and the edits a user must never lose, in headless Chromium.

Enter sends and Shift+Enter starts a new line; the focus is in the answer box after
"Nieuwe sessie" and after each answer; the first Tab stop is a skip link to the conversation;
an open list closes with Escape, Tab or a click elsewhere; a paste in the A4 (a real paste
from the clipboard) is in the preview and in the export; a reload reopens the last session
with its wie and moment; the chat offers no button that misleads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .a11y_tour import DESKTOP, MESSAGES, PHONE, browser_page, open_tab, send
from .server import running_server
from .test_browser import CHROMIUM

ANSWER = "#antwoord textarea"
IN_ANSWER_BOX = "() => document.activeElement?.closest('#antwoord') !== null"
OPEN_LISTS = "() => document.querySelectorAll('[role=listbox]').length"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium ontbreekt: installeer het Debian-pakket chromium (zie Makefile).")
    with running_server(tmp_path_factory.mktemp("keyboard") / "data") as url:
        yield url


@pytest.fixture
def tab(server: str) -> Iterator[Any]:
    with browser_page(server, DESKTOP) as page:
        yield page


def new_session(tab: Any) -> None:
    tab.click("#nieuwe-sessie")
    tab.wait_for_selector(MESSAGES)
    tab.wait_for_function(IN_ANSWER_BOX, timeout=10_000)


def test_enter_sends_and_shift_enter_starts_a_new_line_as_the_placeholder_says(tab: Any) -> None:
    new_session(tab)
    placeholder = tab.get_attribute(ANSWER, "placeholder")
    assert "Enter verstuurt" in placeholder and "Shift+Enter" in placeholder
    tab.keyboard.type("De gemeente en de provincie")
    tab.keyboard.press("Shift+Enter")
    tab.keyboard.type("willen elk iets anders.")
    assert tab.input_value(ANSWER) == "De gemeente en de provincie\nwillen elk iets anders."
    before = tab.locator(MESSAGES).count()
    tab.keyboard.press("Enter")
    tab.wait_for_function(
        f"n => document.querySelectorAll({MESSAGES!r}).length > n + 1", arg=before
    )
    assert "willen elk iets anders." in tab.inner_text("#gesprek")


def test_the_focus_is_in_the_answer_box_after_a_new_session_and_after_each_answer(
    tab: Any,
) -> None:
    new_session(tab)  # waits for the focus in the answer box
    for text in ("Mijn directie steunt het idee niet.", "Het gaat om de samenwerking."):
        tab.keyboard.type(text)
        before = tab.locator(MESSAGES).count()
        tab.keyboard.press("Enter")
        tab.wait_for_function(
            f"n => document.querySelectorAll({MESSAGES!r}).length > n + 1", arg=before
        )
        tab.wait_for_function(IN_ANSWER_BOX, timeout=10_000)
        assert tab.input_value(ANSWER) == ""


def test_the_first_tab_stop_is_a_skip_link_that_leads_to_the_answer_box(tab: Any) -> None:
    new_session(tab)
    tab.reload()  # the session reopens; the focus starts at the top of the page
    tab.wait_for_selector(MESSAGES)
    tab.wait_for_function(f"() => !document.querySelector({ANSWER!r}).disabled")
    tab.keyboard.press("Tab")
    focused = tab.evaluate("[document.activeElement.id, document.activeElement.innerText]")
    assert focused == ["naar-gesprek", "Naar het gesprek"]
    assert tab.locator("#naar-gesprek").is_visible()  # shown when it has the focus
    tab.keyboard.press("Enter")
    tab.wait_for_function(IN_ANSWER_BOX)


def test_the_list_of_sessions_closes_with_escape_tab_and_a_click_elsewhere(tab: Any) -> None:
    new_session(tab)
    send(tab, "Een eerste sessie over de gemeente.")
    new_session(tab)
    for close in ("Escape", "Tab", "click"):
        tab.focus("#nieuwe-sessie")
        tab.keyboard.press("Tab")  # into "Eerdere sessies": the list opens
        tab.wait_for_function(f"() => ({OPEN_LISTS})() > 0")
        if close == "click":
            tab.mouse.click(DESKTOP["width"] - 20, DESKTOP["height"] - 20)
        else:
            tab.keyboard.press(close)
        tab.wait_for_function(f"() => ({OPEN_LISTS})() === 0", timeout=5_000)
        assert tab.locator("#nieuwe-sessie").is_visible()


def test_text_pasted_into_the_a4_is_in_the_preview_and_in_the_export(
    tab: Any, tmp_path: Path
) -> None:
    new_session(tab)
    tab.click("#naar-a4")
    tab.wait_for_selector("#stappen [aria-current=step]:text-is('A4')")
    open_tab(tab, "A4")
    pasted = {
        "#a4-ervaring": "Toen ik bij de kwelder stond, zei de dijkwerker: dit doen we samen.",
        "#a4-beeld": "Goed werk is laveren als een zeilboot: dicht bij de wind.",
        "#a4-afbeelding": "Een zeilboot die laveert langs de dijk.",
    }
    for field, text in pasted.items():
        tab.evaluate("text => navigator.clipboard.writeText(text)", text)
        box = tab.locator(f"{field} textarea")
        box.click()
        box.press("Control+a")
        box.press("Control+v")  # a real paste, no keystroke after it
        tab.wait_for_function(
            "text => document.querySelector('#a4-voorbeeld').innerText.includes(text)",
            arg=text,
            timeout=10_000,
        )
    with tab.expect_download(timeout=20_000) as download:
        tab.click("#export-md")  # one click: the download starts by itself
    exported = tmp_path / "a4.md"
    download.value.save_as(exported)
    content = exported.read_text(encoding="utf-8")
    for text in pasted.values():
        assert text in content


def test_a_field_changed_without_a_keystroke_is_stored_before_the_export(
    tab: Any, tmp_path: Path
) -> None:
    new_session(tab)
    tab.click("#naar-a4")
    tab.wait_for_selector("#stappen [aria-current=step]:text-is('A4')")
    open_tab(tab, "A4")
    # Text put in the way an autofill or a dictation tool does: no keystroke, no blur.
    tab.evaluate(
        "() => { const box = document.querySelector('#a4-titel textarea, #a4-titel input');"
        " box.value = 'Laveren langs de dijk';"
        " box.dispatchEvent(new Event('input', { bubbles: true })); }"
    )
    with tab.expect_download(timeout=20_000) as download:
        tab.click("#export-md")
    exported = tmp_path / "a4.md"
    download.value.save_as(exported)
    assert "Laveren langs de dijk" in exported.read_text(encoding="utf-8")


def test_a_reload_reopens_the_last_session_with_its_wie_and_moment(tab: Any) -> None:
    tab.get_by_label("wij", exact=True).check()
    tab.get_by_label("een gesprek dat nog komt").check()
    new_session(tab)
    assert tab.inner_text("#antwoord label, #antwoord [data-testid=block-info]").startswith(
        "Jullie antwoord"
    )
    send(tab, "Morgen bespreken we met de provincie wie de notulen doet.")
    shown = tab.inner_text("#gesprek")
    tab.reload()
    tab.wait_for_selector(MESSAGES)
    tab.wait_for_function(
        "text => document.querySelector('#gesprek').innerText.includes(text)",
        arg="Morgen bespreken we met de provincie",
    )
    assert tab.inner_text("#gesprek") == shown
    assert tab.get_by_label("wij", exact=True).is_checked()
    assert tab.get_by_label("een gesprek dat nog komt").is_checked()
    assert "Jullie antwoord" in tab.inner_text("#antwoord")


def test_the_chat_offers_no_clear_or_share_button_only_a_copy_of_the_conversation(
    tab: Any,
) -> None:
    new_session(tab)
    send(tab, "Mijn directie steunt het idee niet.")
    labels = tab.evaluate(
        "() => [...document.querySelectorAll('#gesprek button')]"
        ".filter(b => b.offsetParent !== null).map(b => b.getAttribute('aria-label'))"
    )
    assert "Gesprek kopiëren" in labels
    assert not {"Wissen", "Clear", "Delen", "Share", ""} & set(labels)


def test_after_the_a4_is_ready_the_answer_box_says_so_and_takes_no_text(tab: Any) -> None:
    new_session(tab)
    tab.click("#naar-a4")
    tab.wait_for_selector("#stappen [aria-current=step]:text-is('A4')")
    tab.wait_for_function(f"() => document.querySelector({ANSWER!r}).disabled")
    assert "Het A4 staat klaar" in tab.get_attribute(ANSWER, "placeholder")
    assert tab.locator("#verstuur").is_disabled()
    assert tab.locator("#naar-a4").is_disabled()


def test_on_a_phone_the_settings_fold_once_a_session_is_open_and_the_a4_is_one_tap_away(
    server: str,
) -> None:
    with browser_page(server, PHONE) as phone:
        assert phone.is_visible("#nieuwe-sessie")  # nothing open yet: starting is the way in
        new_session(phone)
        phone.wait_for_selector("#nieuwe-sessie", state="hidden", timeout=10_000)
        menu = phone.get_by_role("navigation", name="Snel naar")
        menu.get_by_role("link", name="Naar het A4").click()
        phone.wait_for_selector("#a4-titel", state="visible", timeout=10_000)
        assert phone.evaluate("() => document.activeElement?.dataset.tabId") == "a4"
        menu.get_by_role("link", name="Sessie en instellingen").click()
        phone.wait_for_selector("#nieuwe-sessie", state="visible", timeout=10_000)
    with browser_page(server, DESKTOP) as desktop:  # a desktop keeps them open, no menu
        new_session(desktop)
        assert desktop.is_visible("#nieuwe-sessie") and not desktop.is_visible("#snelmenu")
