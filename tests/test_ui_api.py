"""A whole session through a running server with gradio_client: the API users' tools see."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client

from assistant.ui.layout import named

from .a11y_tour import to_the_blocks
from .downloads import download_export
from .server import running_server

GROUP_NAMES = ("afronding", "handelingen", "kennis", "waarden_deugden", "vrijheid", "identiteit")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("ui") / "data") as url:
        yield url


def answer(client: Client, text: str) -> tuple:
    return client.predict(text, api_name="/antwoord")


def chat_text(result: tuple) -> str:
    return "\n".join(str(m["content"]) for m in named(result)["chat"])


def current_step(result: tuple) -> str:
    """The phase the stepper marks as current ("Kop", "Romp", …, "A4")."""
    found = re.search(r'aria-current="step">([^<]+)<', named(result)["steps"])
    return found.group(1) if found else ""


def test_a_whole_session_from_situation_to_pdf(server: str, tmp_path: Path) -> None:
    client = Client(server, verbose=False, download_files=str(tmp_path))
    client.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    result = answer(client, "Mijn eigen directie steunt het idee niet, de gemeenten buiten wel.")
    choices = [c[0] for c in named(result)["situation_choice"]["choices"]]
    assert len(choices) == 4 and choices[-1].startswith("0.")
    result = client.predict(choices[0], "", api_name="/kies_situatie")
    assert current_step(result) == "Kop"
    concrete = (
        "Toen ik vorige week in het MT met Ahmed sprak, zei ik dat de gemeenten al meedoen. "
        "Ik heb daarna zelf een notitie van twee pagina's geschreven."
    )
    answer(client, concrete)
    seen = set()
    for _ in range(12):
        result = answer(client, concrete + " Geduld en moed speelden een rol.")
        text = chat_text(result)
        for name in ("Handelingen", "Kennis", "Waarden en deugden", "Vrijheid", "Identiteit"):
            if f'class="chip">{name}<' in text:
                seen.add(name)
        if current_step(result) == "A4":
            break
    assert seen == {"Handelingen", "Kennis", "Waarden en deugden", "Vrijheid", "Identiteit"}
    assert named(result)["titel"] and named(result)["kenmerkende_ervaring"].startswith(
        "Toen ik vorige week"
    )

    preview = client.predict("Mijn eigen titel met ë en “quotes”", api_name="/bewerk_titel")
    assert "Mijn eigen titel met ë" in preview
    anchor, status = client.predict(api_name="/export_pdf")
    assert "PDF" in status
    pdf = str(download_export(server, client, anchor, tmp_path))
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info and "595.276 x 841.89" in info
    text = subprocess.run(
        ["pdftotext", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Mijn eigen titel met ë" in text
    first_sentence = named(result)["beeld"].split(". ")[0]
    assert " ".join(first_sentence.split()[:8]) in " ".join(text.split())
    assert Path(pdf).name.startswith("mijn-eigen-titel")


def test_calls_without_a_session_get_a_message_not_an_error(server: str) -> None:
    client = Client(server, verbose=False)
    result = answer(client, "Hallo")
    assert "Start eerst een nieuwe sessie" in named(result)["status"]
    assert named(result)["text"]["value"] == "Hallo"  # the typed text stays in the input field


def test_an_uploaded_png_is_accepted_and_a_fake_image_refused(server: str, tmp_path: Path) -> None:
    from gradio_client import handle_file
    from PIL import Image

    client = Client(server, verbose=False)
    client.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    picture = tmp_path / "brug.png"
    Image.new("RGB", (40, 30), (40, 120, 60)).save(picture)
    _, _, status, _ = client.predict(handle_file(str(picture)), api_name="/afbeelding")
    assert status == "Afbeelding toegevoegd."
    fake = tmp_path / "nep.png"
    fake.write_text("dit is geen afbeelding", encoding="utf-8")
    _, _, status, _ = client.predict(handle_file(str(fake)), api_name="/afbeelding")
    assert "geen geldige afbeelding" in status


def test_with_login_on_every_endpoint_refuses_calls_without_credentials(tmp_path: Path) -> None:
    import httpx

    login = {"GOEDWERK_SERVER__AUTH_USER": "coach", "GOEDWERK_SERVER__AUTH_PASSWORD": "geheim-42"}
    with running_server(tmp_path / "data", **login) as url:
        with pytest.raises(Exception):  # noqa: B017 - the client refuses in several ways
            Client(url, verbose=False)
        for path in ("/config", "/gradio_api/info"):
            assert httpx.get(url + path).status_code in (401, 403), path
        for path in ("/gradio_api/call/antwoord", "/gradio_api/queue/join"):
            response = httpx.post(url + path, json={"data": ["x"], "fn_index": 2})
            assert response.status_code in (401, 403), path
        client = Client(url, auth=("coach", "geheim-42"), verbose=False)
        client.predict("wij", "vooruit", api_name="/nieuwe_sessie")
        result = answer(client, "Morgen bespreken we met de provincie wie de notulen doet.")
        assert current_step(result) == "Voorbereiding"


def test_building_blocks_and_the_title_are_chosen_by_number_through_the_api(
    server: str, tmp_path: Path
) -> None:
    client = Client(server, verbose=False, download_files=str(tmp_path))
    client.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    offered = answer(client, "Mijn eigen directie steunt het idee niet, de gemeenten buiten wel.")
    choices = [c[0] for c in named(offered)["situation_choice"]["choices"]]
    client.predict(choices[0], "", api_name="/kies_situatie")
    result = answer(
        client,
        "Toen ik vorige week in het MT met Ahmed sprak, zei ik dat de gemeenten al meedoen. "
        "Ik heb daarna zelf een notitie van twee pagina's geschreven.",
    )
    for n in range(20):
        last = _last_message(result)
        if "neem het concept" in last:
            break
        result = answer(
            client, f"Ik heb toen Ahmed na afloop apart gebeld en {n + 2} redenen uitgelegd."
        )
    listing = dict(re.findall(r"(\d+)\. \[[^\]]+\] ([^\n<]+)", last))
    assert len(listing) >= 3, last
    picked = sorted(listing)[:3][::-1]  # three blocks, in the reverse of their order
    result = answer(client, ", ".join(picked))
    beeld = named(result)["beeld"]
    positions = [beeld.find(listing[n][:25]) for n in picked]
    assert -1 not in positions and positions == sorted(positions), (positions, beeld)
    titles = re.findall(r"\n(\d)\. ([^\n<]+)", _last_message(result))
    assert titles, _last_message(result)
    result = answer(client, titles[0][0])
    assert named(result)["titel"] == titles[0][1].strip()


def _last_message(result: tuple) -> str:
    """The text of the page's last chat message (its content parts joined)."""
    content = named(result)["chat"][-1]["content"]
    if isinstance(content, list):
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content)


def test_the_page_s_building_block_panel_picks_orders_and_completes_the_beeld(
    server: str,
) -> None:
    client = Client(server, verbose=False)
    panel = named(to_the_blocks(client))
    assert "Bouwstenen voor je beeld" in panel["bouwstenen_kop"]
    # The chosen virtues are offered with the user's own extremes, as in the chat.
    assert "De gekozen deugden, met de eigen uitersten: geduld, moed." in panel["bouwstenen_kop"]
    groups = {name: panel[f"bouwstenen_{name}"]["choices"] for name in GROUP_NAMES}
    assert groups["afronding"] and groups["kennis"] and groups["identiteit"]
    (knowing_label, knowing), *_ = groups["kennis"]
    (identity_label, identity), *_ = groups["identiteit"]
    assert panel["opening_doen"]["label"] == "Daarom doe ik …"
    ticks = [[knowing] if n == "kennis" else [identity] if n == "identiteit" else []
             for n in GROUP_NAMES]  # fmt: skip
    words = ["", "zelf de dijkwerkers bellen", "", "", "", ""]

    # A wrong order is refused in Dutch, and every field keeps what was typed.
    refused = named(
        client.predict(f"{identity}, 99", *ticks, *words, "Eigen zin.", api_name="/bouwstenen")
    )
    assert "99" in refused["bouwstenen_melding"]
    assert "staat niet in de lijst" in refused["bouwstenen_melding"]
    assert "value" not in refused["volgorde"] and "value" not in refused["opening_doen"]
    assert refused["beeld"] == panel["beeld"]

    # Identity before knowledge: the user's order, not the method's.
    built = named(
        client.predict(
            f"{identity}, {knowing}", *ticks, *words, "Een dijk verbindt.", api_name="/bouwstenen"
        )
    )
    beeld = built["beeld"]
    first, second = identity_label.split(". ", 1)[1], knowing_label.split(". ", 1)[1]
    assert beeld.index(first[:30]) < beeld.index(second[:30]), beeld
    assert "Daarom doe ik zelf de dijkwerkers bellen" in beeld and "Een dijk verbindt." in beeld
    assert "titel" in _last_message(tuple(built.values()))  # the title question follows


def test_neem_het_concept_from_the_panel_takes_the_draft_and_asks_the_title(server: str) -> None:
    client = Client(server, verbose=False)
    panel = named(to_the_blocks(client, "wij"))
    assert "Bouwstenen voor jullie beeld" in panel["bouwstenen_kop"]
    assert panel["opening_doen"]["label"] == "Daarom doen we …"
    empty = [[] for _ in GROUP_NAMES]
    taken = named(client.predict("", *empty, *[""] * 6, "", api_name="/neem_concept"))
    assert taken["beeld"] and "titel" in _last_message(tuple(taken.values()))
