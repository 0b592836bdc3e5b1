"""Uploads are bounded per client address and over everyone, in files and bytes, and refused
in Dutch past a limit: forty uploads of 4.9 MB without login no longer all land on disk."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from assistant.ui.upload_guard import UploadLimiter, UploadLimits

from .conftest import make_settings
from .inprocess import served_page

MB = 1_000_000


def cached_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def upload(client: httpx.Client, data: bytes, files: int = 1) -> httpx.Response:
    parts = [("files", (f"foto-{i}.png", data, "image/png")) for i in range(files)]
    return client.post("/gradio_api/upload", files=parts)


def test_forty_uploads_of_almost_five_megabytes_stop_at_the_client_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(cache))
    settings = make_settings(tmp_path / "data")  # 30 MB per client in the window by default
    with (
        served_page(settings) as served,
        httpx.Client(base_url=served.url, timeout=60) as client,
    ):
        data = os.urandom(int(4.9 * MB))
        replies = [upload(client, data) for _ in range(40)]
        assert [r.status_code for r in replies[:6]] == [200] * 6
        assert {r.status_code for r in replies[6:]} == {429}
        assert replies[-1].text.startswith("Te veel uploads van dit adres. Probeer het over 6 ")
        assert cached_bytes(cache) <= 30 * MB


def test_an_upload_must_say_its_size_and_hold_few_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    with (
        served_page(make_settings(tmp_path / "data")) as served,
        httpx.Client(base_url=served.url, timeout=60) as client,
    ):
        many = upload(client, b"x" * 10, files=50)
        assert many.status_code == 413 and "hoogstens 4 bestanden" in many.text

        def body():  # type: ignore[no-untyped-def]
            yield b"--grens\r\nContent-Disposition: form-data; name=files; filename=a.png\r\n\r\n"
            yield b"x" * 100 + b"\r\n--grens--\r\n"

        unsized = client.post(
            "/gradio_api/upload",
            content=body(),
            headers={"content-type": "multipart/form-data; boundary=grens"},
        )
        assert unsized.status_code == 411 and "grootte" in unsized.text
        huge = upload(client, b"x" * (21 * MB))  # more than four images together
        assert huge.status_code == 413 and "te groot" in huge.text


def test_with_login_an_upload_without_one_is_refused_before_it_counts_and_each_user_has_a_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    settings = make_settings(tmp_path / "data", server={"uploads_per_client": 3})
    accounts = {"anna": "wachtwoord-van-anna", "bert": "wachtwoord-van-bert"}
    with served_page(settings, logins=accounts) as served:
        with httpx.Client(base_url=served.url, timeout=60) as stranger:
            assert {upload(stranger, b"x" * 10).status_code for _ in range(5)} == {401}
        for name, password in accounts.items():  # both on the same address
            with httpx.Client(base_url=served.url, timeout=60) as client:
                login = client.post("/login", data={"username": name, "password": password})
                assert login.status_code == 200
                replies = [upload(client, b"x" * 10) for _ in range(4)]
                assert [r.status_code for r in replies] == [200, 200, 200, 429]
                assert replies[-1].text.startswith("Te veel uploads van deze gebruiker.")


def test_one_client_past_its_limit_leaves_others_theirs_until_the_total_is_reached() -> None:
    now = [0.0]
    limits = UploadLimits(
        files_per_client=3, bytes_per_client=10 * MB, files_total=5, bytes_total=100 * MB,
        window_s=360,
    )  # fmt: skip
    limiter = UploadLimiter(limits, clock=lambda: now[0])
    assert [limiter.admit("10.0.0.1", 1, MB) for _ in range(3)] == [None] * 3
    assert "van dit adres" in (limiter.admit("10.0.0.1", 1, MB) or "")
    assert limiter.admit("10.0.0.2", 1, 4 * MB) is None
    assert "van dit adres" in (limiter.admit("10.0.0.2", 1, 7 * MB) or "")  # bytes count too
    assert limiter.admit("10.0.0.3", 1, MB) is None
    assert "op dit moment" in (limiter.admit("10.0.0.4", 1, MB) or "")  # 5 files in all
    now[0] = 361  # the window has passed: the cache sweep has removed those uploads
    assert limiter.admit("10.0.0.1", 1, MB) is None
