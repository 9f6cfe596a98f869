"""The real bot (PTB over loopback HTTP) in a daemon thread with its own event loop."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import Application

from bots.telegram.app import running

TIMEOUT = 15.0
BotApp = Application[Any, Any, Any, Any, Any, Any]
Build = Callable[[], BotApp]
"""Makes the Application inside the bot's thread (its database connection, its loop)."""
Chore = Callable[[BotApp], Coroutine[Any, Any, None]]
"""Runs beside the bot in its loop until the bot stops (the demo's caseworker)."""


class BotThread:
    """``start()`` runs ``running(build())`` in a thread; ``stop()`` ends it cleanly."""

    def __init__(self, build: Build, chores: tuple[Chore, ...] = ()) -> None:
        self.build = build
        self.chores = chores
        self.app: BotApp | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._serve, name="companion-bot", daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._started.wait(TIMEOUT):
            raise TimeoutError("the bot did not start in time")
        if self._failure is not None:
            self._thread.join(TIMEOUT)
            raise self._failure

    def stop(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and self._thread.is_alive():
            loop.call_soon_threadsafe(stop.set)
        self._thread.join(TIMEOUT)

    def _serve(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # reported to start(), or lost at exit
            self._failure = error
        finally:
            self._started.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        app = self.build()
        async with running(app, poll_timeout=1):
            self.app = app
            tasks = [asyncio.create_task(chore(app)) for chore in self.chores]
            self._started.set()
            await self._stop.wait()
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
