"""The one way out: every message the bot sends goes through this rate-limited sender.

It drains the transactional outbox after each commit (and polls it, for rows the TUI or the
CLI enqueue from another process), oldest first and in order per chat:

- at most one message per ``chat_interval`` seconds to a chat and ``global_rate`` per second
  overall (Telegram: about 1 and 30); answering a button press does not count;
- a 429 (``RetryAfter``) pauses all sending for ``retry_after`` seconds, then the same call is
  tried again; network errors are retried with exponential backoff (kept in the row, so a
  restart keeps waiting); a 400 that only says the edit was not needed counts as done;
- a 403 (blocked by the user) marks the participant unreachable, raises a high flag for the
  caseworker and gives up on that chat's queued rows.

Delivery guarantee: **at least once** per API call. A row's progress is written after Telegram
accepts each call; finished replies are marked sent in batches (one transaction for all rows sent
since the last look, written before the sender waits and before it reads the whole outbox
again); reminders and caseworkers' messages are marked sent at once, one commit each. A crash
between Telegram accepting a message and that write sends the unmarked rows again after a
restart; nothing is ever lost, and for reminders the window is one commit wide.

Speed: the sender keeps the pending rows it has read in memory. A ``wake()`` (this process
committed something) reads only rows newer than the newest it knows; the whole pending outbox is
read again every ``poll_interval`` seconds, which also picks up what other processes (the TUI,
the CLI) changed.
Logs name outbox rows, methods and participant ids, never message text or the token.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import re
import time
import traceback
import warnings
from collections import deque
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bots.telegram.translate import ApiCall
from companion.flows.ports import Clock
from companion.ports import OutboxItem, OutboxStore

log = logging.getLogger(__name__)

COUNTED = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendVoice",
        "sendAudio",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)
PACE_MARGIN = 0.99
"""Aim just under the overall ceiling, so clock jitter never tips a second over it."""
PACE_TOLERANCE = 0.003
"""Methods that put something in a chat and so count against Telegram's limits."""
HARMLESS_400 = (
    "message is not modified",
    "query is too old",
    "query id is invalid",
    "message to edit not found",
    "message can't be edited",
)
RAW_METHODS = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "sendChatAction",
    }
)
"""Methods whose parameters are plain JSON (no files): sent as stored (see ``_call``)."""
MAX_ATTEMPTS = 12
LIMIT = 500
"""Pending rows read at once (the oldest; the rest once these are sent)."""
BATCH = 64
"""Sent rows marked in one transaction at most (a crash resends at most these)."""
MAX_BACKOFF = 300.0

Expand = Callable[[OutboxItem], list[ApiCall]]
Hook = Callable[[OutboxItem], None]
CallHook = Callable[[str, ApiCall, Any], None]
"""After each call of a stored row Telegram accepted: (chat, call, Telegram's result)."""
Check = Callable[[OutboxItem], str | None]


class Sender:
    """Sends the outbox of one channel through one ``Bot``; see the module docstring."""

    def __init__(
        self,
        bot: Bot,
        outbox: OutboxStore,
        clock: Clock,
        *,
        expand: Expand,
        on_blocked: Hook,
        on_sent: Hook | None = None,
        on_call: CallHook | None = None,
        undeliverable: Check | None = None,
        channel: str = "telegram",
        chat_interval: float = 1.0,
        global_rate: float = 30.0,
        poll_interval: float = 1.0,
        backoff: float = 0.5,
    ) -> None:
        self.bot = bot
        self.outbox = outbox
        self.clock = clock
        self.expand = expand
        self.on_blocked = on_blocked
        self.on_sent = on_sent
        self.on_call = on_call
        self.undeliverable = undeliverable
        """Why a row must not go at all (consent withdrawn, person erased): checked in the core
        (``companion.data_rights.undeliverable``) before a row's first call."""
        self.channel = channel
        self.chat_interval = chat_interval
        self.global_interval = 1.0 / global_rate
        self._slot = 0.0
        """Start time of the next overall send slot (see ``_take_slot``)."""
        self.poll_interval = poll_interval
        self.backoff = backoff
        self._wake = asyncio.Event()
        self._caught_up = asyncio.Event()
        """Nothing is ready to send right now (see ``settled``)."""
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._chat_ready: dict[str, float] = {}
        self._global_ready = 0.0
        self._paused_until = 0.0
        self._volatile: deque[tuple[str, ApiCall, int]] = deque()
        self._expanded: dict[int, list[ApiCall]] = {}
        self._rows: dict[int, OutboxItem] = {}
        """Pending rows known to this sender, oldest first (see the module docstring)."""
        self._newest = 0
        self._fresh = False
        """Nothing was committed since the last read of new rows."""
        self._reloaded_at = -1e9
        self._done: list[tuple[int, int, int | None]] = []
        """Rows sent and not yet marked so: (id, calls, message id), written by ``flush``."""
        self.sent = 0
        """API calls made (for tests and the benchmark)."""

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> asyncio.Task[None]:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(self.run(), name="outbox-sender")
        return self._task

    async def stop(self) -> None:
        """Stop after the call in flight (unsent rows stay in the outbox for the next start)."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.flush()

    def flush(self) -> None:
        """Write the rows sent since the last flush as sent (one transaction)."""
        if self._done:
            self.outbox.mark_all_sent(self._done)  # may fail (disk full): kept for next time
            self._done = []

    def wake(self) -> None:
        """Something was committed to the outbox: look now instead of at the next poll."""
        self._fresh = False
        self._caught_up.clear()
        self._wake.set()

    async def settled(self, timeout: float) -> None:
        """Wait, at most ``timeout`` seconds, until nothing is ready to go now: everything is
        sent, or what is left waits for its chat's pacing, the overall rate or a retry.

        The poller waits here before it asks Telegram for more updates: while replies are going
        out, new answers gather at Telegram and come in one batch, handled in one transaction.
        A quiet bot does not wait at all."""
        if self._task is None or self._task.done():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._caught_up.wait(), timeout)

    def send_volatile(self, chat_id: int | str, calls: list[ApiCall]) -> None:
        """Send without storing (replies to people the bot does not know): rate-limited like
        everything else, but lost on a crash, and dropped after a refusal."""
        for call in calls:
            self._volatile.append((str(chat_id), call, 0))
        self._caught_up.clear()
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            try:
                delay = await self.step()
            except InvalidToken:
                log.error("the bot token was refused; the sender stops")
                raise
            except Exception as error:  # a bug must not stop delivery for everyone
                log.error("sender step failed: %s", describe_failure(error))
                delay = self.poll_interval
            if delay is None:
                delay = self.poll_interval
            if delay > 0:
                self._caught_up.set()
                try:
                    self.flush()
                except Exception as error:  # kept in memory: the next flush tries again
                    log.error("marking sent rows failed: %s", describe_failure(error))
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=delay)

    # --- one step -----------------------------------------------------------------------------

    async def step(self) -> float | None:
        """Make the next call if one is due; else how long until one is (None: nothing)."""
        now = time.monotonic()
        waits: list[float] = []
        if self._volatile:
            chat, call, tries = self._volatile[0]
            ready = self._ready_at(chat, call, now)
            if ready <= now:
                self._volatile.popleft()
                await self._send_volatile(chat, call, tries)
                return 0.0
            waits.append(ready - now)
        best: tuple[float, OutboxItem, ApiCall] | None = None
        seen: set[str] = set()
        for item in self._pending(now):
            if item.chat_id in seen:
                continue  # only the oldest row of each chat may go: order per chat
            seen.add(item.chat_id)
            calls = self._calls(item)
            if item.progress >= len(calls):
                self._finish(item)
                return 0.0
            call = calls[item.progress]
            ready = self._ready_at(item.chat_id, call, now)
            if item.not_before is not None:
                ready = max(ready, now + (item.not_before - self.clock.now()).total_seconds())
            if best is None or ready < best[0]:
                best = (ready, item, call)
        if best is None:
            return min(waits) if waits else None
        ready, item, call = best
        if ready > now:
            return min([ready - now, *waits])
        why = self.undeliverable(item) if self.undeliverable and item.progress == 0 else None
        if why is not None:
            log.info("outbox %s: not sent (%s)", item.id, why)
            self.outbox.mark_failed(item.id, why)
            self._forget(item.id)
            return 0.0
        await self._send_row(item, call)
        return 0.0

    def _pending(self, now: float) -> list[OutboxItem]:
        """The pending rows, read from the outbox only as far as needed (module docstring)."""
        if now - self._reloaded_at >= self.poll_interval or len(self._done) >= BATCH:
            self.flush()  # else rows sent but not yet marked would come back as pending
            rows = self.outbox.pending(self.channel, limit=LIMIT)
            self._rows = {item.id: item for item in rows}
            self._reloaded_at, self._fresh = now, True
            if rows:
                self._newest = max(self._newest, rows[-1].id)
            for gone in self._expanded.keys() - self._rows.keys():
                del self._expanded[gone]
        elif not self._fresh:
            self._fresh = True
            for item in self.outbox.pending(self.channel, limit=LIMIT, after=self._newest):
                self._rows[item.id] = item
                self._newest = item.id
        return list(self._rows.values())

    def _forget(self, item_id: int) -> None:
        self._rows.pop(item_id, None)
        self._expanded.pop(item_id, None)

    def _calls(self, item: OutboxItem) -> list[ApiCall]:
        calls = self._expanded.get(item.id)
        if calls is None:
            calls = self.expand(item)
            self._expanded[item.id] = calls
        return calls

    def _ready_at(self, chat: str, call: ApiCall, now: float) -> float:
        ready = self._paused_until
        if call.method in COUNTED:
            ready = max(ready, self._chat_ready.get(chat, 0.0), self._global_ready)
        return ready

    def _take_slot(self) -> None:
        """Give this call an overall start slot, 1/(rate × PACE_MARGIN) s after the previous one.

        Slots follow each other rather than the previous call's completion, so the round trip
        and the wake-up delay do not stretch every interval (that cost ~15 % of the ceiling);
        a call that starts late moves the next slot only by its lateness beyond PACE_TOLERANCE.
        Consecutive starts stay at least one interval apart, so the overall rate stays under it.
        """
        interval = self.global_interval / PACE_MARGIN
        start = time.monotonic()
        self._slot = max(self._slot + interval, start + interval - PACE_TOLERANCE)

    def _spent(self, chat: str, call: ApiCall) -> None:
        if call.method in COUNTED:
            now = time.monotonic()
            self._chat_ready[chat] = now + self.chat_interval
            self._global_ready = self._slot
        self.sent += 1

    def _finish(self, item: OutboxItem, message_id: int | None = None) -> None:
        if self.on_sent is not None:
            self.on_sent(item)
        self._done.append((item.id, len(self._calls(item)), message_id))
        self._forget(item.id)
        if _unprompted(item):
            # Nobody is waiting on a reminder or a caseworker's reply, and a repeat after a crash
            # would be noticed: mark it sent at once, keeping the window for a resend to the
            # instant between Telegram accepting it and this commit.
            self.flush()

    async def _send_row(self, item: OutboxItem, call: ApiCall) -> None:
        if call.method in COUNTED:
            self._take_slot()
        try:
            result = await self._call(call)
        except RetryAfter as error:
            self._pause(error)
            return
        except Forbidden:
            log.warning(
                "outbox %s: chat refused (blocked); participant %s", item.id, item.participant_id
            )
            self.on_blocked(item)
            self.flush()
            self.outbox.fail_pending(self.channel, item.chat_id, "blocked")
            for row in [r for r in self._rows.values() if r.chat_id == item.chat_id]:
                self._forget(row.id)
            return
        except BadRequest as error:
            if not _harmless(error):
                log.warning("outbox %s: %s refused: %s", item.id, call.method, error.message)
                self.outbox.mark_failed(item.id, f"400: {error.message}")
                self._forget(item.id)
                return
            result = None
        except (NetworkError, TimeoutError, OSError) as error:
            self._retry_later(item, error)
            return
        except InvalidToken:
            raise
        except TelegramError as error:
            log.warning("outbox %s: %s refused: %s", item.id, call.method, type(error).__name__)
            self.outbox.mark_failed(item.id, type(error).__name__)
            self._forget(item.id)
            return
        self._spent(item.chat_id, call)
        if self.on_call is not None:
            self.on_call(item.chat_id, call, result)
        done = item.progress + 1
        message_id = result.get("message_id") if isinstance(result, dict) else None
        log.debug("outbox %s: %s done (%d/%d)", item.id, call.method, done, len(self._calls(item)))
        if done >= len(self._calls(item)):
            self._finish(item, message_id)
        else:
            self.outbox.mark_progress(item.id, done, message_id)
            self._rows[item.id] = item.model_copy(
                update={"progress": done, "message_id": message_id or item.message_id}
            )

    def _pause(self, error: RetryAfter) -> None:
        seconds = retry_after_seconds(error)
        log.info("429: pausing all sending for %.1f s", seconds)
        self._paused_until = time.monotonic() + max(seconds, 0.0)

    def _retry_later(self, item: OutboxItem, error: BaseException) -> None:
        attempts = item.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            log.error(
                "outbox %s: giving up after %d attempts (%s)",
                item.id,
                attempts,
                type(error).__name__,
            )
            self.outbox.mark_failed(item.id, f"network: {type(error).__name__}")
            self._forget(item.id)
            return
        delay = min(MAX_BACKOFF, self.backoff * 2 ** (attempts - 1))
        log.info("outbox %s: %s, retry in %.1f s", item.id, type(error).__name__, delay)
        error_text = f"network: {type(error).__name__}"
        not_before = self.clock.now() + timedelta(seconds=delay)
        self.outbox.mark_retry(item.id, error_text, not_before)
        self._rows[item.id] = item.model_copy(
            update={"attempts": attempts, "error": error_text, "not_before": not_before}
        )

    async def _send_volatile(self, chat: str, call: ApiCall, tries: int) -> None:
        try:
            await self._call(call)
        except RetryAfter as error:
            self._pause(error)
            self._volatile.appendleft((chat, call, tries))
            return
        except InvalidToken:
            raise
        except (TelegramError, TimeoutError, OSError) as error:
            transient = isinstance(error, NetworkError | TimeoutError | OSError)
            if transient and not isinstance(error, BadRequest) and tries < 3:
                self._volatile.append((chat, call, tries + 1))
            return
        self._spent(chat, call)

    async def _call(self, call: ApiCall) -> Any:
        """Make the call through PTB's HTTP stack (its defaults, rate limiter and errors).

        Calls without files go straight to ``Bot._post`` with the stored JSON, so PTB does
        not build a ``Message`` from the answer only for us to turn it back into a dict (about
        a quarter of each call's cost); files go through PTB's typed methods.
        """
        params = dict(call.params)
        if call.method in RAW_METHODS:
            return await self.bot._post(call.method, params)
        for name in ("document", "photo", "voice", "audio"):
            value = params.get(name)
            if isinstance(value, dict) and "base64" in value:
                data = base64.b64decode(str(value["base64"]))
                params[name] = InputFile(data, filename=str(value.get("filename") or name))
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            params["reply_markup"] = _markup(markup)
        method = getattr(self.bot, _snake(call.method), None)
        if method is None:
            return await self.bot.do_api_request(call.method, api_kwargs=params)
        result = await method(**params)
        return result.to_dict() if hasattr(result, "to_dict") else result

    async def idle(self, timeout: float = 10.0) -> None:
        """Wait until nothing is left to send (tests, the demo)."""
        deadline = time.monotonic() + timeout
        while self._volatile or self._done or self.outbox.pending(self.channel, limit=1):
            if time.monotonic() > deadline:
                raise TimeoutError("the outbox did not drain in time")
            self.wake()
            await asyncio.sleep(0.01)


def _unprompted(item: OutboxItem) -> bool:
    """A row the person did not just ask for: a reminder or a caseworker's message."""
    return "reminder_id" in item.payload or "inbox_message_id" in item.payload


def retry_after_seconds(error: RetryAfter) -> float:
    """How long a 429 says to wait (PTB 22 gives an int or a timedelta, and warns on reading
    it unless PTB_TIMEDELTA=1; see run_bot)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        delay = error.retry_after
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)


def describe_failure(error: BaseException) -> str:
    """An exception for the log without its message (which could quote what a person wrote):
    the type and where it happened."""
    frames = traceback.format_tb(error.__traceback__)
    return f"{type(error).__name__}\n{''.join(frames)}".rstrip()


def _snake(method: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", method).lower()


def _markup(
    data: dict[str, Any],
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove:
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.de_json(data, None)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.de_json(data, None)
    return ReplyKeyboardRemove()


def _harmless(error: BadRequest) -> bool:
    message = error.message.lower()
    return any(text in message for text in HARMLESS_400)
