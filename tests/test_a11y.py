"""Accessibility of the page, measured with axe-core in headless Chromium: no violation of any
impact on any tab or step, on a desktop and on a phone (390 px wide).

Each step is walked once (see `tests/a11y_tour.py`); axe runs at both widths on the page as
that step left it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .a11y_tour import DESKTOP, PHONE, STEPS, browser_page, describe, tour_server, violations
from .test_browser import CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium ontbreekt: installeer het Debian-pakket chromium (zie Makefile).")
    with tour_server(tmp_path_factory.mktemp("a11y") / "data") as url:
        yield url


@pytest.mark.parametrize("name", list(STEPS))
def test_axe_finds_no_violation_on_the_step_on_a_desktop_and_on_a_phone(
    server: str, name: str
) -> None:
    step: Callable[[Any], Any] = STEPS[name]
    with browser_page(server, DESKTOP) as tab:
        step(tab)
        found = {"desktop": violations(tab)}
        tab.set_viewport_size(PHONE)
        tab.wait_for_timeout(400)
        found["390px"] = violations(tab)
    report = "\n".join(f"{width}:\n{describe(v)}" for width, v in found.items() if v)
    assert not report, report
