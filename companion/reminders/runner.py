"""Running the dispatcher: as a task inside the bot's event loop, or alone (``companion
reminders run``). Either way a tick every ``interval`` seconds, at once again while a tick
found a full batch; the lease decides which process does the work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable

from companion.reminders.dispatcher import Dispatcher, TickReport, describe

log = logging.getLogger(__name__)

INTERVAL = 5.0
"""Seconds between ticks (a «now» reminder goes out within this)."""
THROTTLED = 0.1
"""Seconds to the next tick while the outbox backlog is full."""
IN_BOT_ENV = "COMPANION_REMINDERS_IN_BOT"
"""``0``/``off``: the bot does not dispatch reminders (run ``companion reminders run`` instead)."""


def enabled_in_bot(env: dict[str, str] | None = None) -> bool:
    value = (os.environ if env is None else env).get(IN_BOT_ENV, "1")
    return value.strip().lower() not in ("0", "false", "no", "off")


async def tick_async(dispatcher: Dispatcher) -> TickReport | None:
    """One tick that yields to the event loop after each reminder, so a large batch never
    holds up the sender (or anything else on the loop) for long."""
    try:
        report, due = dispatcher.begin()
        for reminder in due:
            report.count(dispatcher.dispatch(reminder))
            await asyncio.sleep(0)
        return report
    except Exception as error:
        log.error("reminder tick failed: %s", describe(error))
        return None


def safe_tick(dispatcher: Dispatcher) -> TickReport | None:
    """One tick; a failure is logged (type and place only) and the loop goes on."""
    try:
        return dispatcher.tick()
    except Exception as error:
        log.error("reminder tick failed: %s", describe(error))
        return None


def _delay(report: TickReport | None, interval: float) -> float:
    if report is None:
        return interval
    if report.full:
        return 0.0
    return min(THROTTLED, interval) if report.throttled else interval


class DispatchTask:
    """The dispatcher as an asyncio task (ticks run on the loop: they are short and bounded,
    and share the bot's database connection without threads)."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        *,
        interval: float = INTERVAL,
        on_sent: Callable[[], None] | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.interval = interval
        self.on_sent = on_sent
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def start(self) -> asyncio.Task[None]:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="reminders")
        return self._task

    def wake(self) -> None:
        """Tick now (e.g. after a caseworker scheduled a reminder for «now»)."""
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            self.dispatcher.release()
        except Exception as error:
            log.warning("releasing the reminder lease failed: %s", type(error).__name__)

    async def _run(self) -> None:
        while True:
            report = await tick_async(self.dispatcher)
            self.ticks += 1
            if report is not None and report.sent and self.on_sent is not None:
                self.on_sent()
            delay = _delay(report, self.interval)
            self._wake.clear()
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=delay)
            else:
                await asyncio.sleep(0)


def run_blocking(
    dispatcher: Dispatcher,
    *,
    interval: float = INTERVAL,
    once: bool = False,
    stop: threading.Event | None = None,
    say: Callable[[str], None] = print,
) -> int:
    """``companion reminders run``: tick until stopped (Ctrl-C), waiting while another process
    holds the lease. Returns how many reminders were sent."""
    stop = stop or threading.Event()
    sent = 0
    waiting = False
    try:
        while not stop.is_set():
            report = safe_tick(dispatcher)
            if report is not None:
                if not report.leased and not waiting:
                    lease = dispatcher.store.get_lease("reminders.dispatcher")
                    holder = (
                        f" ({lease.holder} until {lease.expires_at:%H:%M:%S} UTC)" if lease else ""
                    )
                    say(f"waiting: another dispatcher holds the lease{holder}")
                waiting = not report.leased
                if report.examined:
                    say(report.summary())
                sent += report.sent
            if once:
                break
            delay = _delay(report, interval)
            if delay > 0:
                stop.wait(delay)
    finally:
        dispatcher.release()
    return sent
