"""`make run` installs once: a second run does not call pip again (dry run of make)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_installs_only_when_the_stamp_is_missing_or_older(tmp_path: Path) -> None:
    makefile = PROJECT_ROOT / "Makefile"
    if not makefile.exists():
        pytest.skip("not a checkout")
    (tmp_path / "pyproject.toml").write_text("")
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")

    def planned() -> str:
        result = subprocess.run(
            ["make", "-n", "-f", str(makefile), "run"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    assert "pip install" in planned()  # the first run installs
    stamp = venv / ".goedwerk-installed"
    stamp.touch()
    assert "pip install" not in planned()  # later runs go straight to serve
    assert "goedwerk serve" in planned()
    os.utime(tmp_path / "pyproject.toml", (stamp.stat().st_mtime + 10,) * 2)
    assert "pip install" in planned()  # changed dependencies install again
