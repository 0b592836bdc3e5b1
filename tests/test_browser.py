"""The page in a real browser: headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .server import running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MESSAGES = "#gesprek .message-row"
HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("browser") / "data") as url:
        yield url


@pytest.fixture
def page(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium ontbreekt: installeer het Debian-pakket chromium (zie Makefile).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            viewport={"width": 1500, "height": 1000}, accept_downloads=True
        )
        tab = context.new_page()
        tab.outside_requests = []  # type: ignore[attr-defined]
        tab.on(
            "request",
            lambda r: (
                None
                if r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                else tab.outside_requests.append(r.url)
            ),  # type: ignore[attr-defined]
        )
        tab.goto(server)
        tab.wait_for_selector("#nieuwe-sessie")
        yield tab
        browser.close()


def send(tab, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type an answer and wait until the chat shows the reply after it."""
    before = tab.locator(MESSAGES).count()
    tab.fill("#antwoord textarea", text)
    tab.click("#verstuur")
    tab.wait_for_function(
        f"n => document.querySelectorAll({MESSAGES!r}).length > n",
        arg=before,
        timeout=15_000,
    )
    tab.wait_for_timeout(400)


def test_a_short_session_by_clicking_and_typing_ends_in_a_pdf(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab = page
    tab.click("#nieuwe-sessie")
    tab.wait_for_timeout(800)
    send(
        tab,
        "Mijn eigen directie steunt het idee niet, terwijl de gemeenten buiten enthousiast zijn.",
    )
    tab.locator("#situatiekeuze label").first.click()
    tab.wait_for_selector("#stappen [aria-current=step]:text-is('Kop')")
    send(
        tab,
        f"Vorige maand zei mijn directeur in het MT dat dit niet onze taak is. {HOSTILE} "
        "Ik voelde me tussen twee vuren.",
    )
    send(
        tab,
        "Toen heb ik na het overleg de adviseur van de directeur opgezocht "
        "en samen een notitie geschreven.",
    )
    tab.click("#naar-a4")
    tab.wait_for_selector("#stappen [aria-current=step]:text-is('A4')")
    tab.get_by_role("tab", name="A4").click()
    titel = tab.locator("#a4-titel textarea, #a4-titel input").first
    titel.fill("")
    titel.type("Meebewegen zonder te buigen – “Zoë’s” beeld", delay=5)
    tab.wait_for_function(
        "() => document.querySelector('#a4-voorbeeld').innerText.includes('Zoë’s')",
        timeout=15_000,
    )

    with tab.expect_download(timeout=20_000) as download_info:
        tab.click("#export-pdf")  # one click: the download starts by itself
    pdf = tmp_path / "a4.pdf"
    download_info.value.save_as(pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Meebewegen zonder te buigen" in text and "Zoë’s" in text

    # User text with HTML is shown as text and never runs.
    assert tab.evaluate("window.__xss") is None
    assert "<script>window.__xss=1</script>" in tab.inner_text("#gesprek")
    assert tab.outside_requests == []  # type: ignore[attr-defined]

    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(shots / "pagina-a4.png"), full_page=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(shots / "a4-pdf")], check=True
    )
    assert (shots / "pagina-a4.png").stat().st_size > 10_000
    assert (shots / "a4-pdf.png").stat().st_size > 5_000


def test_an_over_long_beeld_pasted_in_the_page_is_refused_and_stays_in_its_field(page) -> None:  # type: ignore[no-untyped-def]
    tab = page
    tab.click("#nieuwe-sessie")
    tab.wait_for_timeout(800)
    send(tab, "Mijn eigen directie steunt het idee niet, terwijl de gemeenten meedoen.")
    tab.locator("#situatiekeuze label").first.click()
    tab.wait_for_selector("#stappen [aria-current=step]:text-is('Kop')")
    tab.click("#naar-a4")
    tab.wait_for_selector("#stappen [aria-current=step]:text-is('A4')")
    tab.get_by_role("tab", name="A4").click()
    assert "Maximaal 8.000 tekens." in tab.inner_text("#a4-beeld")
    pasted = "Wij deden het samen. " * 500  # 10,500 characters
    beeld = tab.locator("#a4-beeld textarea").first
    beeld.fill(pasted)
    beeld.blur()
    tab.wait_for_selector("#a4-voorbeeld [role=alert]", timeout=15_000)
    alert = tab.inner_text("#a4-voorbeeld [role=alert]")
    assert "Het beeld van goed werk is te lang (10.500 tekens; maximaal 8.000)" in alert
    assert beeld.input_value() == pasted  # nothing typed is lost
    tab.click("#export-pdf")  # the export waits for the refused edit: no file, the reason shown
    toast = tab.wait_for_selector("[data-testid='toast-body']", timeout=15_000)
    assert "Het beeld van goed werk is te lang" in toast.inner_text()
    assert beeld.input_value() == pasted
    assert "PDF gemaakt" not in tab.inner_text("body")
