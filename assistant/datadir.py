"""One goedwerk process per data dir: an exclusive lock on `<data_dir>/goedwerk.lock`.

`goedwerk serve` and `goedwerk index` hold it for the life of the process, so a second
instance on the same data dir is refused at once instead of sharing the Chroma store and the
sessions database with the first. The kernel drops the lock when the process ends, however it
ends (SIGKILL included), so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from types import TracebackType

from assistant.errors import Unavailable

LOCK_NAME = "goedwerk.lock"


class DataDirBusy(Unavailable, RuntimeError):
    """Another goedwerk process holds the data dir; the message is Dutch, for the user."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"De datamap {data_dir} is al in gebruik door een ander goedwerk-proces "
            "(serve of index). Stop dat proces eerst, of kies een andere datamap met "
            "GOEDWERK_DATA_DIR."
        )
        self.data_dir = data_dir


class DataDirUnusable(Unavailable, OSError):
    """The data dir cannot be created or its lock file cannot be opened (Dutch message)."""

    def __init__(self, data_dir: Path, cause: OSError) -> None:
        super().__init__(f"De datamap {data_dir} is niet bruikbaar: {cause.strerror or cause}")
        self.data_dir = data_dir


class DataDirLock:
    """A held lock on a data dir; `release()` (or leaving the `with` block) gives it up."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        """Is the lock still held by this object?"""
        return self._fd is not None

    def release(self) -> None:
        """Give the lock up (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DataDirLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


PRIVATE_UMASK = 0o077  # files 0600, folders 0700


def make_private(data_dir: Path) -> None:
    """Keep the data dir to its user: a umask for all this process writes from now on, and
    folders 0700 and files 0600 for what an earlier version left readable to others."""
    os.umask(PRIVATE_UMASK)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    for folder, folders, files in os.walk(data_dir):
        for names, mode in ((folders, 0o700), (files, 0o600)):
            for name in names:
                path = os.path.join(folder, name)
                if not os.path.islink(path):  # a link's target may lie outside: left alone
                    with contextlib.suppress(OSError):
                        os.chmod(path, mode)


def acquire_lock(data_dir: Path) -> DataDirLock:
    """Take the data dir's lock without waiting; raises DataDirBusy when another process has it.

    The data dir is made private first (`make_private`). Raises DataDirUnusable when the
    directory or its lock file cannot be made.
    """
    path = data_dir / LOCK_NAME
    try:
        make_private(data_dir)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise DataDirUnusable(data_dir, exc) from exc
    if not _try_lock(fd):
        os.close(fd)
        raise DataDirBusy(data_dir)
    # Who holds it, for a person looking at the file; the lock itself is what counts.
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    return DataDirLock(path, fd)
