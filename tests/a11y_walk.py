"""A walk through the page with the keyboard only, recording what a screen reader is given:
the accessibility tree (Playwright's ARIA snapshot) of the conversation, the building-block
panel and the A4 at each step, and where the focus is after each action.

Run as a script: `python -m tests.a11y_walk OUT_DIR` writes one `.yaml` per step and
`focus.txt`; read them for English labels, unnamed controls and lost focus. The findings are
in docs/toegankelijkheidsverklaring.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from .a11y_tour import (
    DESCRIPTION,
    DESKTOP,
    MESSAGES,
    as_this_browser,
    browser_page,
    to_the_blocks,
    tour_server,
)

REGIONS = {
    "gesprek": "#kolom-gesprek",
    "sessie": "#kolom-sessie",
    "paneel": "#kolom-paneel",
}


def focused(tab: Any) -> str:
    """What has the focus: its role, name and id, as a screen reader would announce it."""
    return str(
        tab.evaluate(
            """() => { const e = document.activeElement; if (!e) return "niets";
            const name = e.getAttribute("aria-label") || e.labels?.[0]?.innerText
              || e.innerText?.slice(0, 60) || "";
            const id = e.id || e.closest("[id]")?.id || "";
            return `${e.tagName.toLowerCase()} role=${e.getAttribute("role") ?? ""} `
              + `id=${id} naam=${JSON.stringify(name.trim())}`; }"""
        )
    )


def record(tab: Any, out: Path, step: str, log: list[str]) -> None:
    """The ARIA snapshot of each region at this step, and the focus."""
    for name, selector in REGIONS.items():
        (out / f"{step}-{name}.yaml").write_text(
            tab.locator(selector).aria_snapshot(), encoding="utf-8"
        )
    log.append(f"{step}: focus op {focused(tab)}")


def walk(url: str, out: Path) -> list[str]:
    """Start, answer, reach the building blocks and the A4, by keyboard where the page can."""
    log: list[str] = []
    with browser_page(url, DESKTOP) as tab:
        tab.keyboard.press("Tab")
        log.append(f"eerste Tab: {focused(tab)}")
        record(tab, out, "start", log)
        tab.focus("#nieuwe-sessie")
        tab.keyboard.press("Enter")
        tab.wait_for_selector(MESSAGES)
        tab.wait_for_timeout(800)
        log.append(f"na Nieuwe sessie (Enter): {focused(tab)}")
        tab.keyboard.type(DESCRIPTION)
        tab.keyboard.press("Enter")
        tab.wait_for_selector("#situatiekeuze", state="visible", timeout=15_000)
        tab.wait_for_timeout(800)
        record(tab, out, "chat", log)
        to_the_blocks(as_this_browser(tab))
        tab.reload()
        tab.wait_for_selector("#bouwstenen", state="visible", timeout=15_000)
        tab.wait_for_timeout(800)
        record(tab, out, "bouwstenen", log)
        tab.focus("#bouwstenen-identiteit input")
        tab.keyboard.press("Space")
        tab.wait_for_timeout(800)
        log.append(f"na Spatie op een bouwsteen: {focused(tab)}")
        tab.focus("#opening-doen textarea, #opening-doen input")
        tab.keyboard.type("zelf de dijkwerkers bellen")
        tab.focus("#maak-beeld")
        tab.keyboard.press("Enter")
        tab.wait_for_selector("#bouwstenen", state="hidden", timeout=15_000)
        tab.wait_for_timeout(1200)
        log.append(f"na Maak mijn beeld (Enter): {focused(tab)}")
        record(tab, out, "titel", log)
        tab.keyboard.type("1")
        tab.keyboard.press("Enter")
        tab.wait_for_timeout(1500)
        record(tab, out, "a4", log)
    (out / "focus.txt").write_text("\n".join(log) + "\n", encoding="utf-8")
    return log


def main(out: Path) -> None:
    """Walk once and print where the focus went."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, tour_server(Path(tmp) / "data") as url:
        print("\n".join(walk(url, out)))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/a11y-walk"))
