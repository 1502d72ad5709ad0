"""Owning wrappers of the library's opaque handles.

A handle is destroyed once, and never while a call on it is running: ``close()`` from one thread
while another thread grades would otherwise free the pipeline under it. Close marks the handle
closed at once; the destroy happens when the last running call ends. Handles still open when the
interpreter exits are closed by an atexit hook, while the callbacks they may call are still alive.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import weakref
from typing import Callable, Iterator

from .errors import ClosedError


class Handle:
    def __init__(self, pointer: int, destroy: Callable[[int], None], what: str) -> None:
        self._pointer = pointer
        self._destroy = destroy
        self._what = what
        self._lock = threading.Lock()
        self._users = 0
        self._closed = False
        _open_handles.add(self)

    @property
    def closed(self) -> bool:
        return self._closed

    @contextlib.contextmanager
    def use(self) -> Iterator[int]:
        """The raw pointer, guaranteed alive until the block ends."""
        with self._lock:
            if self._closed:
                raise ClosedError(f"this {self._what} is closed")
            self._users += 1
        try:
            yield self._pointer
        finally:
            with self._lock:
                self._users -= 1
                destroy_now = self._closed and self._users == 0 and self._pointer != 0
                pointer = self._pointer
                if destroy_now:
                    self._pointer = 0
            if destroy_now:
                self._destroy(pointer)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._users > 0:
                return  # the last user destroys it
            pointer, self._pointer = self._pointer, 0
        _open_handles.discard(self)
        if pointer:
            self._destroy(pointer)


_open_handles: "weakref.WeakSet[Handle]" = weakref.WeakSet()


@atexit.register
def _close_open_handles() -> None:
    for handle in list(_open_handles):
        handle.close()
