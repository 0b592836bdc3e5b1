"""The team tabs in headless Chromium: controls appear once they can be used, the team code
can be copied, and the coach's overview refreshes itself while it is open."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client

from .a11y_tour import DESKTOP, browser_page, coach_after, open_tab
from .server import running_server
from .test_browser import CHROMIUM

CODE = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium ontbreekt: installeer het Debian-pakket chromium (zie Makefile).")
    with running_server(tmp_path_factory.mktemp("team-browser") / "data") as url:
        yield url


@pytest.fixture
def tab(server: str) -> Iterator[Any]:
    with browser_page(server, DESKTOP) as page:
        yield page


def test_before_joining_there_is_no_contribution_box_and_after_joining_there_is(
    tab: Any, server: str
) -> None:
    open_tab(tab, "Teamsessie")
    assert tab.locator("#team-inbreng").count() == 0 or not tab.is_visible("#team-inbreng")
    coach = Client(server, verbose=False, download_files=False)
    result = coach.predict(1, "wij", "anoniem", api_name="/coach_maak")
    code = CODE.search(str(result)).group(0)  # type: ignore[union-attr]
    tab.locator("#team-code").get_by_role("textbox").fill(code)
    tab.click("#team-doe-mee")
    tab.wait_for_selector("#team-inbreng textarea", state="visible", timeout=15_000)


def test_the_coach_sees_no_shared_a4_before_a_team_exists_and_can_copy_the_code(
    tab: Any,
) -> None:
    open_tab(tab, "Coach")
    assert tab.locator("#coach-a4-titel").count() == 0 or not tab.is_visible("#coach-a4-titel")
    assert not tab.locator("#coach-concept").is_visible()
    code = coach_after(tab)
    assert tab.locator("#coach-a4-titel").is_visible()
    assert tab.locator("#coach-code").get_by_role("textbox").input_value() == code
    tab.locator("#coach-code button").first.click()  # the copy button
    tab.wait_for_function(f"() => navigator.clipboard.readText().then(t => t === {code!r})")


def test_the_coachs_overview_shows_a_new_participant_without_a_click(tab: Any, server: str) -> None:
    code = coach_after(tab)
    participant = Client(server, verbose=False, download_files=False)
    participant.predict(code, "Ada", api_name="/team_doe_mee")
    participant.predict(
        "kop", "Wij spraken met de wethouder over de dijk.", api_name="/team_inbreng"
    )
    tab.wait_for_function(
        "() => (document.querySelector('#coach-overzicht')?.innerText ?? '').includes('wethouder')",
        timeout=30_000,
    )
    assert "Deelnemers (1)" in tab.inner_text("#coach-kop")


def test_the_tab_bar_shows_each_tab_once_also_the_selected_team_tab(tab: Any) -> None:
    for name in ("Teamsessie", "Coach"):
        open_tab(tab, name)
        shown = tab.locator(
            "#hoofdtabs > .tab-wrapper > [role=tablist] > [role=tab]"
        ).all_inner_texts()
        assert [s.strip() for s in shown] == ["Reflectie", "Teamsessie", "Coach"], shown


def test_in_a_wij_team_the_contribution_box_says_jullie_inbreng(tab: Any, server: str) -> None:
    coach = Client(server, verbose=False, download_files=False)
    code = CODE.search(str(coach.predict(1, "wij", "anoniem", api_name="/coach_maak"))).group(0)  # type: ignore[union-attr]
    open_tab(tab, "Teamsessie")
    tab.locator("#team-code").get_by_role("textbox").fill(code)
    tab.click("#team-doe-mee")
    tab.wait_for_selector("#team-inbreng textarea", state="visible", timeout=15_000)
    assert tab.get_by_role("textbox", name="Jullie inbreng").is_visible()
