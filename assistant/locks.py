"""One lock per key (a session or team id), for read-modify-write of one record at a time."""

from __future__ import annotations

import threading
import weakref


class KeyedLocks:
    """Hands out the same lock for the same key while anyone holds or waits for it.

    Weak values: a key's lock lives only while a call holds or waits for it, so the map stays
    as small as the number of keys in use, not of all keys ever seen.
    """

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, threading.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._guard = threading.Lock()

    def __call__(self, key: str) -> threading.Lock:
        """The lock of this key."""
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.Lock()
            return lock

    def __len__(self) -> int:
        return len(self._locks)
