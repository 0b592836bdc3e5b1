"""One goedwerk process per data dir: a second one is refused at once, with a Dutch message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.datadir import DataDirBusy, acquire_lock

from .server import free_port, running_server


def test_a_second_lock_on_the_same_data_dir_is_refused_until_the_first_is_released(
    tmp_path: Path,
) -> None:
    first = acquire_lock(tmp_path / "data")
    with pytest.raises(DataDirBusy) as refused:
        acquire_lock(tmp_path / "data")
    assert str(tmp_path / "data") in str(refused.value)
    assert "al in gebruik" in str(refused.value)
    first.release()
    with acquire_lock(tmp_path / "data") as again:
        assert again.held
    assert not again.held


def test_other_data_dirs_are_not_affected(tmp_path: Path) -> None:
    with acquire_lock(tmp_path / "een"), acquire_lock(tmp_path / "twee") as other:
        assert other.held


@pytest.mark.server
@pytest.mark.parametrize("command", [["serve"], ["index"]])
def test_a_second_instance_on_the_same_data_dir_exits_with_code_3_and_names_the_dir(
    tmp_path: Path, command: list[str]
) -> None:
    data_dir = tmp_path / "data"
    with running_server(data_dir):
        environment = {
            **os.environ,
            "GOEDWERK_DATA_DIR": str(data_dir),
            "GOEDWERK_EMBEDDING__MODE": "fake",
            "GOEDWERK_SERVER__PORT": str(free_port()),
            "HF_HUB_OFFLINE": "1",
        }
        # A hang would show as a timeout here; the refusal itself needs no index or port.
        second = subprocess.run(
            [sys.executable, "-m", "assistant", *command],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert second.returncode == 3
    assert "al in gebruik" in second.stderr
    assert str(data_dir) in second.stderr
    assert "goedwerk draait" not in second.stdout
