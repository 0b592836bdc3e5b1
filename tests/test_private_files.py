"""The data dir is its user's alone: folder 0700, every file 0600, also what was there before."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path


def modes(directory: Path) -> dict[str, int]:
    """The permission bits of the directory and of everything under it."""
    found = {".": stat.S_IMODE(directory.stat().st_mode)}
    for path in directory.rglob("*"):
        if not path.is_symlink():
            found[str(path.relative_to(directory))] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_a_readable_data_dir_is_repaired_and_what_is_written_next_is_private_too(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "exports" / "oud").mkdir(parents=True)
    for folder in (data_dir, data_dir / "exports", data_dir / "exports" / "oud"):
        folder.chmod(0o755)
    old = data_dir / "exports" / "oud" / "a4.md"
    old.write_text("KWALLENDANS")
    old.chmod(0o644)
    outside = tmp_path / "elders.txt"
    outside.write_text("niet van goedwerk")
    outside.chmod(0o644)
    (data_dir / "link").symlink_to(outside)

    env = {
        **os.environ,
        "GOEDWERK_DATA_DIR": str(data_dir),
        "GOEDWERK_EMBEDDING__MODE": "fake",
        "HF_HUB_OFFLINE": "1",
    }
    subprocess.run(
        [sys.executable, "-m", "assistant", "index"], env=env, check=True, capture_output=True
    )

    found = modes(data_dir)
    assert "chroma/chroma.sqlite3" in found  # written by this run, after the repair
    assert {p: m for p, m in found.items() if m not in (0o600, 0o700)} == {}
    assert all(m == 0o700 for p, m in found.items() if (data_dir / p).is_dir())
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644  # a link is not followed
