"""Sessions stay apart: many clients at once each see only their own words, and nothing of a
session lingers in module-level state or in the service once it is done."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections.abc import Iterator, MutableMapping, MutableSequence, MutableSet
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client

from assistant.app import build_service
from assistant.domain.session import A4_FIELDS
from assistant.export import writing as exports
from assistant.service import ChooseSituation, ReflectionService, ToDraft
from assistant.ui.layout import named

from .conftest import make_settings
from .downloads import download_export
from .server import running_server

MARKER = re.compile(r"MARKER-[0-9a-f]{12}")
CLIENTS = 20
CONTAINERS = (MutableMapping, MutableSequence, MutableSet)  # dict, list, set, deque, weak maps


def new_marker() -> str:
    return f"MARKER-{uuid.uuid4().hex[:12]}"


def description(marker: str) -> str:
    return f"Mijn eigen directie steunt het idee niet, de gemeenten buiten wel ({marker})."


def story(marker: str) -> str:
    return (
        f"Toen ik vorige week in het MT met Ahmed sprak over {marker}, zei ik dat de "
        "gemeenten al meedoen. Ik heb daarna zelf een notitie van twee pagina's geschreven."
    )


def answer_text(marker: str) -> str:
    return f"Ik deed dat met geduld en moed, en {marker} hield ik daarbij steeds voor ogen."


def pdf_text(pdf: str) -> str:
    out = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def play_through_the_page(url: str, marker: str, downloads: Path) -> dict[str, str]:
    """A short session from the situation to the draft and a PDF, as one client."""
    client = Client(url, verbose=False, download_files=False)
    client.predict("ik", "achteraf", api_name="/nieuwe_sessie")
    result = client.predict(description(marker), api_name="/antwoord")
    choice = named(result)["situation_choice"]["choices"][0][0]
    client.predict(choice, "", api_name="/kies_situatie")
    client.predict(story(marker), api_name="/antwoord")
    result = client.predict(answer_text(marker), api_name="/antwoord")
    chat_after_answers = "\n".join(str(m["content"]) for m in named(result)["chat"])
    result = client.predict("", api_name="/concept")
    listed = sorted(session_id for _, session_id in named(result)["sessions"]["choices"])
    anchor, status = client.predict(api_name="/export_pdf")
    assert "PDF" in status
    pdf = str(download_export(url, client, anchor, downloads))
    return {
        "gesprek": chat_after_answers,
        "spiegel": str(named(result)["mirror_md"]),
        "a4": "\n".join(named(result)[f] for f in A4_FIELDS),
        "pdf": pdf_text(pdf),
        "sessies": f"{listed} {named(result)['sessions']['value']}",
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("isolation") / "data") as url:
        yield url


def test_twenty_concurrent_sessions_each_see_only_their_own_marker(
    server: str, tmp_path: Path
) -> None:
    markers = [new_marker() for _ in range(CLIENTS)]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        futures = [
            pool.submit(play_through_the_page, server, marker, tmp_path / f"client-{i}")
            for i, marker in enumerate(markers)
        ]
        seen = [future.result(timeout=300) for future in futures]
    for marker, parts in zip(markers, seen, strict=True):
        for part in ("gesprek", "a4", "pdf"):
            assert set(MARKER.findall(parts[part])) == {marker}, part
        # Without login each client's list of sessions holds its own session only.
        listed, own = parts["sessies"].rsplit(" ", 1)
        assert listed == f"['{own}']"
        # The spiegel shows other people's beelden from the corpus, never another session.
        assert set(MARKER.findall(parts["spiegel"])) <= {marker}


def test_the_browser_keeps_no_run_history_of_the_answers(server: str) -> None:
    config = httpx.get(server + "/config").json()
    assert config["run_history"] is False


def container_sizes_in_modules() -> dict[str, int]:
    """len() of every mutable container at module or class level in the assistant package,
    and the size of every module-level lru_cache."""
    sizes: dict[str, int] = {}
    for name, module in list(sys.modules.items()):
        if name != "assistant" and not name.startswith("assistant."):
            continue
        for attr, value in list(vars(module).items()):
            if attr.startswith("__"):
                continue  # __builtins__, __path__ and the like are not the package's state
            where = f"{name}.{attr}"
            if isinstance(value, CONTAINERS):
                sizes[where] = len(value)
            elif callable(getattr(value, "cache_info", None)):
                sizes[f"{where}()"] = value.cache_info().currsize
            elif isinstance(value, type) and value.__module__ == name:
                for class_attr, class_value in vars(value).items():
                    if not class_attr.startswith("__") and isinstance(class_value, CONTAINERS):
                        sizes[f"{where}.{class_attr}"] = len(class_value)
    return sizes


def container_sizes_in(root: object, path: str = "service", depth: int = 0) -> dict[str, int]:
    """len() of every mutable container held by the service and the assistant objects it holds."""
    sizes: dict[str, int] = {}
    for attr, value in list(getattr(root, "__dict__", {}).items()):
        where = f"{path}.{attr}"
        if isinstance(value, CONTAINERS):
            sizes[where] = len(value)
        elif type(value).__module__.startswith("assistant.") and depth < 5:
            sizes.update(container_sizes_in(value, where, depth + 1))
    return sizes


def play_in_process(service: ReflectionService, data_dir: Path, marker: str) -> str:
    """A whole short session through the service's API, with a PDF export."""
    session_id, _ = service.start("ik", "achteraf")
    service.send(session_id, description(marker))
    service.act(session_id, ChooseSituation(index=1))
    service.send(session_id, story(marker))
    service.send(session_id, answer_text(marker))
    service.act(session_id, ToDraft())
    exports.export_a4(service.state(session_id), None, "pdf", data_dir)
    return session_id


def test_twenty_sessions_leave_no_module_level_state_and_no_locks_behind(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path / "data")
    service = build_service(settings)
    for _ in range(2):  # warm up whatever is loaded once, on first use
        play_in_process(service, settings.data_dir, new_marker())
    modules_before = container_sizes_in_modules()
    service_before = container_sizes_in(service)

    with ThreadPoolExecutor(max_workers=5) as pool:
        sessions = list(
            pool.map(
                lambda m: play_in_process(service, settings.data_dir, m),
                [new_marker() for _ in range(CLIENTS)],
            )
        )
    for session_id in sessions[: CLIENTS // 2]:  # half deleted, half kept
        service.delete(session_id)  # with its uploads and exports

    grown = {
        where: (modules_before.get(where, 0), size)
        for where, size in container_sizes_in_modules().items()
        if size > modules_before.get(where, 0)
    }
    assert grown == {}, grown
    service_after: dict[str, Any] = container_sizes_in(service)
    grown = {
        where: (service_before.get(where, 0), size)
        for where, size in service_after.items()
        if size > service_before.get(where, 0)
    }
    assert grown == {}, grown
    assert len(service._lock) == 0  # a lock lives only while a call holds it
