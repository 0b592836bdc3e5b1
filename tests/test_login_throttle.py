"""Guessing passwords: slowed down, then refused in Dutch, per login name and per address;
the right password works again once the lock period has passed."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from assistant.ui.login_guard import LoginThrottle

from .conftest import make_settings
from .inprocess import served_page

ACCOUNTS = {"anna": "juist-wachtwoord-1", "bert": "ander-wachtwoord-2"}


def login(client: httpx.Client, name: str, password: str) -> httpx.Response:
    return client.post("/login", data={"username": name, "password": password})


def test_200_wrong_passwords_lock_the_name_and_the_right_one_works_after_the_lock(
    tmp_path: Path,
) -> None:
    settings = make_settings(
        tmp_path / "data",
        server={"login_attempts": 3, "login_attempts_per_address": 1000, "login_lock_s": 4},
    )
    with (
        served_page(settings, logins=ACCOUNTS) as served,
        httpx.Client(base_url=served.url, timeout=30) as client,
    ):
        statuses = [login(client, "anna", f"fout-{i}").status_code for i in range(200)]
        assert statuses[:3] == [400, 400, 400]
        assert set(statuses[3:]) == {429}
        refused = login(client, "Anna ", ACCOUNTS["anna"])  # the right one, while locked
        assert refused.status_code == 429
        assert "Te vaak een onjuist wachtwoord" in refused.json()["detail"]
        assert login(client, "bert", ACCOUNTS["bert"]).status_code == 200  # another name

        time.sleep(4.5)
        assert login(client, "anna", ACCOUNTS["anna"]).status_code == 200


def test_wrong_passwords_for_many_names_lock_the_address(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path / "data",
        server={"login_attempts": 5, "login_attempts_per_address": 4, "login_lock_s": 60},
    )
    with (
        served_page(settings, logins=ACCOUNTS) as served,
        httpx.Client(base_url=served.url, timeout=30) as client,
    ):
        for name in ("a", "b", "c", "d"):
            assert login(client, name, "fout").status_code == 400
        assert login(client, "bert", ACCOUNTS["bert"]).status_code == 429


def test_each_wrong_password_counts_within_the_window_and_a_right_one_resets() -> None:
    now = [0.0]
    throttle = LoginThrottle(per_name=2, per_address=10, window_s=100, clock=lambda: now[0])
    keys = ["naam:anna", "adres:127.0.0.1"]
    throttle.failed(keys)
    now[0] = 10
    throttle.failed(keys)
    assert throttle.retry_after(keys) == 90
    now[0] = 101
    assert throttle.retry_after(keys) == 0
    throttle.succeeded(keys)
    assert throttle.failures(keys) == 0
