"""A change counter that wakes coroutines waiting on any event loop, from any thread."""

from __future__ import annotations

import asyncio
import contextlib
import threading


class Notifier:
    """Wakes waiters when something changed; safe to notify from any thread.

    Waiters read `version` before checking their condition and pass it to `wait`, so a change
    that lands between the check and the wait is never missed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = 0
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    @property
    def version(self) -> int:
        """How many changes there have been so far."""
        with self._lock:
            return self._version

    def notify(self) -> None:
        """Record a change and wake every waiter on its own loop."""
        with self._lock:
            self._version += 1
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            # The waiter's loop may already be closed (a test that ended); nothing to wake then.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_wake, future)

    async def wait(self, seen: int, timeout: float) -> None:
        """Return after the next change after `seen`, or after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self._version != seen:
                return
            self._waiters.append((loop, future))
        try:
            await asyncio.wait_for(future, timeout=max(timeout, 0.0))
        except TimeoutError:
            with self._lock, contextlib.suppress(ValueError):
                self._waiters.remove((loop, future))


def _wake(future: asyncio.Future[None]) -> None:
    """Resolve a waiter's future unless it already gave up."""
    if not future.done():
        future.set_result(None)
