"""What is on disk, byte for byte: for tests that check erasure."""

from __future__ import annotations

from pathlib import Path


def files_holding(directory: Path, marker: str) -> list[str]:
    """The files under `directory` whose raw bytes contain `marker`."""
    return sorted(
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.is_file() and marker.encode() in path.read_bytes()
    )
