"""A walk through every tab and step of the page, with axe-core run on each.

Used by `tests/test_a11y.py`; run as a script it prints the table of violations per page and
viewport and saves a screenshot of each (`python -m tests.a11y_tour OUT_DIR`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.app import build_service
from assistant.service import ChooseSituation, Edit, ToDraft
from assistant.ui.access import DEVICE_COOKIE

from .conftest import make_settings
from .server import running_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1500, "height": 1000}
PHONE = {"width": 390, "height": 844}
MESSAGES = "#gesprek .message-row"
CODE = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}")

# Another user's beeld in the collection, with the words of the session below, so that a
# mirror is offered after the first answer on a perspective.
SHARED_TITLE = "De zeilboot langs de kwelder"
SHARED_BEELD = (
    "Bij de kwelder heb ik toen een gesprek georganiseerd en samen met de zeilboot een stap gezet "
    "om de dijkwerkers te betrekken. Goed werk was laveren als een zeilboot langs de kwelder."
)
# A story that clearly tells one situation (buiten enthousiast, binnen niet), so that the
# situations are offered at once rather than after a clarifying question.
DESCRIPTION = (
    "Met de dijkwerkers bij de kwelder wilde ik een zeilboot laten varen. Buiten is iedereen "
    "enthousiast, maar binnen mijn eigen organisatie krijg ik niemand mee."
)
KOP_ANSWER = (
    "Toen ik vorige week bij de kwelder stond met de dijkwerkers, heb ik een gesprek "
    "georganiseerd over de zeilboot en de dijk."
)
ROMP_ANSWER = (
    "Ik heb bij de kwelder zelf een gesprek georganiseerd met de dijkwerkers en ben gaan laveren "
    "als een zeilboot, stap voor stap, tot iedereen meedeed."
)


# Answers by what is asked (the perspective's chip, or the close): each its own block.
BLOCK_ANSWERS = {
    "Handelingen": "Ik heb toen zelf de dijkwerkers gebeld en uitgelegd waarom de kwelder ertoe "
    "doet.",
    "Kennis": "Ik wist hoe de dijkwerkers over de zeilboot dachten, omdat ik er vaker mee sprak.",
    "Waarden en deugden": "Geduld en moed speelden een rol: te weinig moed is zwijgen, te veel "
    "is drammen.",
    "Vrijheid": "Ik had de ruimte om zelf het gesprek bij de kwelder te organiseren.",
    "Identiteit": "Ik wil gekend worden als iemand die mensen bij elkaar brengt, geen "
    "scheidsrechter.",
}
CLOSING_ANSWER = "Goed werk is voor mij dat iedereen aan tafel zit, ook wie het minst zegt."
IMAGE_ANSWER = "Een zeilboot die laveert langs de kwelder, met de dijkwerkers aan boord."


def png() -> bytes:
    """A small green picture."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (47, 74, 52)).save(buffer, format="PNG")
    return buffer.getvalue()


def share_a_beeld(data_dir: Path) -> None:
    """Another user shares a beeld (with consent) that the tour's session will be mirrored by."""
    owner = "iemand-anders"
    service = build_service(make_settings(data_dir))
    session_id, _ = service.start("ik", "achteraf", owner=owner)
    service.send(session_id, "De dijkwerkers bij de kwelder en de zeilboot.", owner=owner)
    service.act(session_id, ChooseSituation(index=0), owner=owner)
    service.act(session_id, ToDraft(), owner=owner)
    service.act(session_id, Edit(part="titel", value=SHARED_TITLE), owner=owner)
    service.act(session_id, Edit(part="beeld", value=SHARED_BEELD), owner=owner)
    service.publish(session_id, consent=True, use_initials=False, owner=owner)


@contextmanager
def tour_server(data_dir: Path) -> Iterator[str]:
    """A served page whose collection holds one beeld that mirrors the tour's answers."""
    share_a_beeld(data_dir)
    with running_server(data_dir) as url:
        yield url


@contextmanager
def browser_page(url: str, viewport: dict[str, int]) -> Iterator[Any]:
    """A fresh browser (no cookies) on the page, waiting until it has loaded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport=viewport, accept_downloads=True)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
        tab = context.new_page()
        tab.goto(url)
        tab.wait_for_selector("#nieuwe-sessie")
        tab.wait_for_timeout(500)
        try:
            yield tab
        finally:
            browser.close()


def violations(tab: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (every rule axe runs by default)."""
    from axe_playwright_python.sync_playwright import Axe

    tab.wait_for_timeout(300)
    return list(Axe().run(tab).response["violations"])


def describe(found: list[dict[str, Any]]) -> str:
    """One line per violation: rule, impact, count and the first nodes' targets."""
    lines = []
    for v in found:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {targets}")
    return "\n".join(lines)


def send(tab: Any, text: str) -> None:
    """Type an answer, send it with Enter and wait until the reply is shown."""
    before = tab.locator(MESSAGES).count()
    tab.fill("#antwoord textarea", text)
    tab.click("#verstuur")
    tab.wait_for_function(
        f"n => document.querySelectorAll({MESSAGES!r}).length > n + 1",
        arg=before,
        timeout=15_000,
    )
    tab.wait_for_timeout(400)


def open_tab(tab: Any, name: str) -> None:
    """Select a tab by its name, also when the tab bar folds it into its overflow menu."""
    tabs = tab.get_by_role("tab", name=name, exact=True).filter(visible=True)
    if tabs.count():
        tabs.first.click()
    else:  # folded into the tab bar's overflow menu
        tab.get_by_role("button", name="Meer tabbladen").filter(visible=True).first.click()
        tab.locator(".overflow-dropdown button", has_text=name).filter(visible=True).first.click()
    tab.wait_for_timeout(400)


def start(tab: Any) -> None:
    """The page as it first loads."""


def chat(tab: Any) -> None:
    """A running chat: a session started, the situation offer shown."""
    tab.click("#nieuwe-sessie")
    tab.wait_for_selector(MESSAGES)
    send(tab, DESCRIPTION)


def mirror(tab: Any) -> None:
    """A mirror shown after the first answer on a perspective."""
    chat(tab)
    tab.locator("#situatiekeuze label").last.click()  # "mijn situatie staat er niet bij"
    tab.wait_for_function(
        f"() => document.querySelectorAll({MESSAGES!r}).length >= 5", timeout=15_000
    )
    send(tab, KOP_ANSWER)
    send(tab, "Het liep goed af: de dijkwerkers deden mee.")
    send(tab, ROMP_ANSWER)
    tab.wait_for_function(
        "t => document.body.innerText.includes(t)", arg=SHARED_TITLE, timeout=15_000
    )


def virtues(tab: Any) -> None:
    """The virtue choice open (the perspective Waarden en deugden)."""
    chat(tab)
    tab.locator("#situatiekeuze label").first.click()
    tab.wait_for_function(
        f"() => document.querySelectorAll({MESSAGES!r}).length >= 5", timeout=15_000
    )
    send(tab, KOP_ANSWER)
    send(tab, "Het liep goed af: de dijkwerkers deden mee.")
    tab.click("#perspectief-waarden_deugden")
    tab.wait_for_selector("#deugden", state="visible")
    tab.locator("#deugden input").first.click()
    tab.wait_for_timeout(300)


def a4(tab: Any) -> None:
    """The A4 step with a picture uploaded."""
    tab.click("#nieuwe-sessie")
    tab.wait_for_selector(MESSAGES)
    tab.click("#naar-a4")
    tab.wait_for_selector("#a4-titel", state="visible")
    open_tab(tab, "A4")
    tab.locator("#a4-afbeelding-upload input[type=file]").set_input_files(
        {"name": "beeld.png", "mimeType": "image/png", "buffer": png()}
    )
    tab.wait_for_selector("#a4-voorbeeld img", timeout=15_000)


def as_this_browser(tab: Any) -> Any:
    """A gradio_client that calls the page's API as this browser (its device cookie), so a
    script can play the session that the page then shows."""
    from gradio_client import Client

    cookies = {c["name"]: c["value"] for c in tab.context.cookies()}
    key = cookies[DEVICE_COOKIE]
    url = tab.url.split("?")[0].split("#")[0]
    return Client(url, verbose=False, headers={"Cookie": f"{DEVICE_COOKIE}={key}"})


def to_the_blocks(client: Any, wie: str = "ik") -> tuple[Any, ...]:
    """Play a session through the API up to the building-block step; its last reply."""
    from assistant.ui.layout import named

    client.predict(wie, "achteraf", api_name="/nieuwe_sessie")
    offered = named(client.predict(DESCRIPTION, api_name="/antwoord"))["situation_choice"]
    none = offered["choices"][-1][0]  # "0. Mijn (Onze) situatie staat er niet bij"
    client.predict(none, "", api_name="/kies_situatie")
    result = client.predict(KOP_ANSWER, api_name="/antwoord")
    for _ in range(30):
        if "Bouwstenen voor" in str(named(result)["bouwstenen_kop"]):
            return result
        asked = str(named(result)["chat"][-1]["content"])
        chip = re.search(r'class="chip">([^<]+)<', asked)
        if chip:
            text = BLOCK_ANSWERS[chip.group(1)]
        else:
            text = IMAGE_ANSWER if "plaatje" in asked or "metafoor" in asked else CLOSING_ANSWER
        result = client.predict(text, api_name="/antwoord")
    raise AssertionError("the session did not reach the building-block step")


def blocks(tab: Any) -> None:
    """The building-block step: the session played through the API, the page reloaded."""
    to_the_blocks(as_this_browser(tab))
    tab.reload()
    tab.wait_for_selector("#bouwstenen", state="visible", timeout=15_000)
    tab.wait_for_timeout(500)


def collection(tab: Any) -> None:
    """The Collectie tab."""
    open_tab(tab, "Collectie")


def team_before(tab: Any) -> None:
    """The Teamsessie tab before joining."""
    open_tab(tab, "Teamsessie")


def coach_before(tab: Any) -> None:
    """The Coach tab before a team is made."""
    open_tab(tab, "Coach")


def coach_after(tab: Any) -> str:
    """The Coach tab after making a team; returns its code."""
    coach_before(tab)
    tab.click("#coach-maak")
    tab.wait_for_function(
        "() => /[0-9A-Z]{5}-[0-9A-Z]{5}/"
        ".test(document.querySelector('#coach-kop')?.innerText ?? '')",
        timeout=15_000,
    )
    found = CODE.search(tab.inner_text("#coach-kop"))
    assert found
    return found.group(0)


def team_after(tab: Any) -> None:
    """The Teamsessie tab after joining a team (made in this same browser as its coach)."""
    code = coach_after(tab)
    team_before(tab)
    tab.locator("#team-code").get_by_role("textbox").fill(code)
    tab.locator("#team-naam").get_by_role("textbox").fill("Anneke")
    tab.click("#team-doe-mee")
    tab.wait_for_selector("#team-inbreng textarea", state="visible", timeout=15_000)
    tab.wait_for_timeout(500)


STEPS: dict[str, Callable[[Any], Any]] = {
    "start": start,
    "chat": chat,
    "spiegel": mirror,
    "deugden": virtues,
    "a4": a4,
    "bouwstenen": blocks,
    "collectie": collection,
    "team-voor": team_before,
    "team-na": team_after,
    "coach-voor": coach_before,
    "coach-na": coach_after,
}
VIEWPORTS = {"desktop": DESKTOP, "390px": PHONE}


def main(out: Path) -> None:
    """Print the table of violations and save a screenshot of each step."""
    import tempfile

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, tour_server(Path(tmp) / "data") as url:
        print("| page | viewport | violations | rules |")
        print("|---|---|---|---|")
        for name, step in STEPS.items():
            for label, viewport in VIEWPORTS.items():
                with browser_page(url, viewport) as tab:
                    try:
                        step(tab)
                    except Exception as exc:  # noqa: BLE001 - reported in the table
                        print(f"| {name} | {label} | step failed: {exc!r:.200} | |")
                        tab.screenshot(path=str(out / f"{name}-{label}-fout.png"), full_page=True)
                        continue
                    found = violations(tab)
                    tab.screenshot(path=str(out / f"{name}-{label}.png"), full_page=True)
                    nodes = sum(len(v["nodes"]) for v in found)
                    rules = ", ".join(f"{v['id']}×{len(v['nodes'])}" for v in found)
                    print(f"| {name} | {label} | {nodes} | {rules} |", flush=True)
                    if found:
                        print(describe(found), file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/a11y"))
