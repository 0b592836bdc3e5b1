"""An overfull queue: the excess is refused with a busy message and the server stays up.

Timing belongs in bench/bench_load.py; this only checks what happens to the excess.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from gradio_client import Client
from gradio_client.utils import QueueError

from assistant.ui.serving import BUSY_MESSAGE

from .server import running_server

CLIENTS = 12
ROUNDS = 5  # a burst that happens to fit is tried again, at most this often
SITUATION = "Mijn eigen directie steunt het idee niet, de gemeenten buiten wel."
SMALL_QUEUE = {"GOEDWERK_SERVER__CONCURRENCY": "1", "GOEDWERK_SERVER__QUEUE_SIZE": "2"}


def all_at_once(work: Callable[[int], str]) -> list[str]:
    """Run work(i) for every client in its own thread, released together."""
    barrier = threading.Barrier(CLIENTS)

    def released(i: int) -> str:
        barrier.wait(timeout=60)
        return work(i)

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return list(pool.map(released, range(CLIENTS), timeout=300))


def test_an_overfull_queue_gets_a_busy_message_and_the_server_stays_up(tmp_path: Path) -> None:
    with running_server(tmp_path / "data", **SMALL_QUEUE) as url:
        clients = [Client(url, verbose=False) for _ in range(CLIENTS)]
        for client in clients:  # one by one: the queue holds only two
            client.predict("ik", "achteraf", api_name="/nieuwe_sessie")

        def answer(i: int) -> str:
            try:
                clients[i].predict(SITUATION, api_name="/antwoord")
            except QueueError:
                return "busy"
            return "ok"

        for _ in range(ROUNDS):
            outcomes = all_at_once(answer)
            if "busy" in outcomes:
                break
        assert "busy" in outcomes and "ok" in outcomes, outcomes

        def raw_call(_: int) -> str:
            response = httpx.post(f"{url}/gradio_api/call/antwoord", json={"data": [SITUATION]})
            if response.status_code == 503:
                return str(response.json()["detail"])
            response.raise_for_status()
            return "ok"

        for _ in range(ROUNDS):
            messages = all_at_once(raw_call)
            if any(m != "ok" for m in messages):
                break
        assert {m for m in messages if m != "ok"} == {BUSY_MESSAGE}, messages

        assert httpx.get(url).status_code == 200
        refused = [
            client for client, outcome in zip(clients, outcomes, strict=True) if outcome == "busy"
        ]
        for client in refused:  # trying again later works, and the session is intact
            chat = client.predict(SITUATION, api_name="/antwoord")[0]
            assert any(SITUATION in str(message["content"]) for message in chat)
