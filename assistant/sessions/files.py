"""A session's files on disk: uploaded images and exports, each under a key in the data dir.

A key is a session id, `team-<id>` for a team session, or `eigen-<hash>` for one owner's files
that belong to no session (session guides). Removing a key's files removes both folders.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

PREVIEW_STEM = "voorbeeld"  # the small copy of a session's picture that the page shows


def team_key(team_id: str) -> str:
    """The file key (export dir name) of a team session."""
    return f"team-{team_id}"


def personal_key(owner: str) -> str:
    """The file key of one owner's own files that belong to no session (session guides)."""
    return "eigen-" + hashlib.sha256(owner.encode()).hexdigest()[:32]


def upload_dir(data_dir: Path, key: str) -> Path:
    """Where a session's uploaded image lives."""
    return data_dir / "uploads" / key


def export_dir(data_dir: Path, key: str) -> Path:
    """Where a session's exports are written."""
    return data_dir / "exports" / key


def remove_session_files(data_dir: Path, key: str) -> None:
    """Delete a key's uploads and exports."""
    for directory in (upload_dir(data_dir, key), export_dir(data_dir, key)):
        if directory.exists():
            shutil.rmtree(directory)


def remove_unfinished(data_dir: Path) -> int:
    """Remove what an export or upload killed midway left: its temporary file (`.*.tmp`) and
    the empty file that reserved its name. Links are left alone (and never served). Returns
    how many files were removed."""
    removed = 0
    for top in (data_dir / "exports", data_dir / "uploads"):
        if not top.is_dir() or top.is_symlink():
            continue
        for folder in top.iterdir():
            if folder.is_symlink() or not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                if not entry.is_file(follow_symlinks=False):
                    continue
                temporary = entry.name.startswith(".") and entry.name.endswith(".tmp")
                if temporary or entry.stat(follow_symlinks=False).st_size == 0:
                    Path(entry.path).unlink(missing_ok=True)
                    removed += 1
    return removed


@dataclass(frozen=True)
class SessionFiles:
    """The uploads and exports under one data dir, and how large an upload may be."""

    data_dir: Path
    max_image_mb: float = 5.0

    def uploads(self, key: str) -> Path:
        """The upload folder of a key."""
        return upload_dir(self.data_dir, key)

    def exports(self, key: str) -> Path:
        """The export folder of a key."""
        return export_dir(self.data_dir, key)

    def image(self, key: str, filename: str) -> Path | None:
        """The path of an uploaded image, None without one."""
        return self.uploads(key) / filename if filename else None

    def preview(self, key: str, filename: str) -> Path | None:
        """The small copy of an uploaded image for the page; the image itself when an older
        version kept none; None without an image."""
        image = self.image(key, filename)
        if image is None:
            return None
        for extension in ("jpg", "png"):
            small = self.uploads(key) / f"{PREVIEW_STEM}.{extension}"
            if small.is_file():
                return small
        return image

    def remove(self, key: str) -> None:
        """Delete a key's uploads and exports."""
        remove_session_files(self.data_dir, key)
