"""Hostile markup in user text is shown as text and never runs: chat, mirror card, A4 preview.

A real browser (headless Debian Chromium via Playwright) against a real `goedwerk serve`. Every
payload sets `window.__xss` if it ever runs; it must stay undefined, no element the payloads
would create may exist in the panel, and the payload must be readable as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app import build_service
from assistant.service import ChooseSituation, Edit, ToDraft

from .conftest import make_settings
from .server import running_server
from .test_browser import ARGS, CHROMIUM, send

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    '<a href="javascript:window.__xss=3">klik</a>',
    '<iframe src="javascript:parent.__xss=4"></iframe>',
    "[klik hier](javascript:window.__xss=5)",
]
HOSTILE = " ".join(PAYLOADS)
TITLE_HOSTILE = "Titel " + " ".join(PAYLOADS[:3])
assert len(TITLE_HOSTILE) <= 200, len(TITLE_HOSTILE)
# What user content must never turn into.
CREATED = "script, img, iframe, svg[onload], [onerror], a[href^='javascript:' i]"

# Another user's beeld, shared into the collection; its first sentence carries every payload
# and the words of the session below, so the facilitator quotes it as a mirror.
SHARED_TITLE = '<script>window.__xss=6</script> De zeilboot <img src=x onerror="window.__xss=7">'
SHARED_BEELD = (
    "Bij de kwelder heb ik toen een gesprek georganiseerd en samen met de zeilboot een stap gezet "
    f"{HOSTILE} om de dijkwerkers te betrekken. "
    "Goed werk was laveren als een zeilboot langs de kwelder."
)
OWNER = "iemand-anders"
DESCRIPTION = (
    "Met de dijkwerkers bij de kwelder wilde ik een zeilboot laten varen. Buiten is iedereen "
    "enthousiast, maar binnen mijn eigen organisatie krijg ik niemand mee."
)
KOP_ANSWER = (
    "Toen ik vorige week bij de kwelder stond met de dijkwerkers, heb ik een gesprek "
    "georganiseerd over de zeilboot en de dijk."
)

# An answer on Handelingen that shares the shared beeld's words (kwelder, zeilboot, gesprek).
ROMP_ANSWER = (
    "Ik heb bij de kwelder zelf een gesprek georganiseerd met de dijkwerkers en ben gaan laveren "
    "als een zeilboot, stap voor stap, tot iedereen meedeed."
)


def share_a_hostile_beeld(data_dir: Path) -> None:
    """Another user finishes a session and shares a beeld full of markup, with consent."""
    service = build_service(make_settings(data_dir))
    session_id, _ = service.start("ik", "achteraf", owner=OWNER)
    service.send(session_id, "De dijkwerkers bij de kwelder en de zeilboot.", owner=OWNER)
    service.act(session_id, ChooseSituation(index=0), owner=OWNER)
    service.act(session_id, ToDraft(), owner=OWNER)
    service.act(session_id, Edit(part="titel", value=SHARED_TITLE), owner=OWNER)
    service.act(session_id, Edit(part="beeld", value=SHARED_BEELD), owner=OWNER)
    service.publish(session_id, consent=True, use_initials=False, owner=OWNER)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("hostile") / "data"
    share_a_hostile_beeld(data_dir)
    with running_server(data_dir) as url:
        yield url


@pytest.fixture
def tab(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium ontbreekt: installeer het Debian-pakket chromium (zie Makefile).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.requested = []  # type: ignore[attr-defined]
        page.on("request", lambda r: page.requested.append(r.url))  # type: ignore[attr-defined]
        page.goto(server)
        page.wait_for_selector("#nieuwe-sessie")
        yield page
        browser.close()


def assert_shown_as_text(tab, panel: str, literals: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Nothing ran, the panel holds no element made from user text, the text reads as typed."""
    assert tab.evaluate("typeof window.__xss") == "undefined"
    assert tab.locator(panel).locator(CREATED).count() == 0
    shown = tab.inner_text(panel)
    for literal in literals:
        assert literal in shown
    # An <img src=x> that made it into the page would have asked the server for /x.
    assert not [url for url in tab.requested if url.rstrip("/").endswith("/x")]


def new_session(tab) -> None:  # type: ignore[no-untyped-def]
    tab.click("#nieuwe-sessie")
    tab.wait_for_selector("#gesprek .message-row")


def test_hostile_markup_typed_in_the_chat_is_shown_as_text_and_never_runs(tab) -> None:  # type: ignore[no-untyped-def]
    new_session(tab)
    send(tab, f"Mijn directie steunt het idee niet. {HOSTILE}")
    send(tab, HOSTILE)
    tab.wait_for_timeout(500)
    assert_shown_as_text(tab, "#gesprek", PAYLOADS)


def test_another_users_hostile_beeld_offered_as_a_mirror_is_shown_as_text(tab) -> None:  # type: ignore[no-untyped-def]
    new_session(tab)
    send(tab, DESCRIPTION)
    tab.locator("#situatiekeuze label").last.click()  # "mijn situatie staat er niet bij"
    tab.wait_for_selector("#stappen [aria-current=step]:text-is('Kop')")
    send(tab, KOP_ANSWER)
    send(tab, "Het liep goed af: de dijkwerkers deden mee.")  # how it ended; then the romp
    send(tab, ROMP_ANSWER)  # a mirror follows an answer on a perspective
    tab.wait_for_function(
        "() => document.querySelector('#gesprek').innerText.includes('De zeilboot')",
        timeout=15_000,
    )
    # A mirror is shown once, as a card in the conversation.
    assert_shown_as_text(tab, "#gesprek", PAYLOADS + [SHARED_TITLE])


def test_hostile_markup_in_every_a4_field_is_shown_as_text_in_the_preview(tab) -> None:  # type: ignore[no-untyped-def]
    new_session(tab)
    tab.click("#naar-a4")
    tab.wait_for_selector("#stappen [aria-current=step]:text-is('A4')")
    tab.get_by_role("tab", name="A4").click()
    afbeelding = tab.get_by_label("Afbeelding (beschrijving of metafoor)")
    fields = [
        # A title holds 200 characters: the payloads that fit.
        (tab.locator("#a4-titel textarea, #a4-titel input").first, TITLE_HOSTILE),
        (tab.locator("#a4-ervaring textarea"), f"Ervaring {HOSTILE}"),
        (tab.locator("#a4-beeld textarea"), f"Beeld {HOSTILE}"),
        (afbeelding, f"Afbeelding {HOSTILE}"),
    ]
    for field, value in fields:
        # The editor reacts to typing: set all but the last character, then type that one.
        field.fill(value[:-1])
        field.type(value[-1])
        tab.wait_for_function(
            "text => document.querySelector('#a4-voorbeeld').innerText.includes(text)",
            arg=value,
            timeout=15_000,
        )
    assert_shown_as_text(tab, "#a4-voorbeeld", [value for _, value in fields])


def test_hostile_markup_in_team_contributions_is_shown_as_text_to_the_coach(  # type: ignore[no-untyped-def]
    tab, server: str
) -> None:
    from gradio_client import Client

    tab.get_by_role("tab", name="Coach").click()
    tab.click("#coach-maak")
    tab.wait_for_function(
        "() => /[0-9A-Z]{5}-[0-9A-Z]{5}/"
        ".test(document.querySelector('#coach-kop')?.innerText ?? '')",
        timeout=15_000,
    )
    code = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}", tab.inner_text("#coach-kop")).group(0)  # type: ignore[union-attr]
    for name in ("Ada", "Bo"):
        participant = Client(server, verbose=False, download_files=False)
        participant.predict(code, name, api_name="/team_doe_mee")
        for part in ("kop", "handelingen", "staart"):
            participant.predict(
                part,
                f"Wij werkten samen met de wethouder aan de dijk. {name} zei: {HOSTILE}.",
                api_name="/team_inbreng",
            )
    tab.click("#coach-vernieuw")
    tab.wait_for_function(
        "() => (document.querySelector('#coach-overzicht')?.innerText ?? '')"
        ".includes('Deelnemer 2')",
        timeout=15_000,
    )
    assert_shown_as_text(tab, "#coach-overzicht", PAYLOADS)
    tab.click("#coach-concept")
    tab.wait_for_function(
        "() => (document.querySelector('#coach-herkomst')?.innerText ?? '').includes('Deelnemer')",
        timeout=15_000,
    )
    assert_shown_as_text(tab, "#coach-herkomst", ["window.__xss"])
