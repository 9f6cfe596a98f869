"""Long polling that confirms an update to Telegram only after its effects are committed.

PTB's ``Updater`` confirms a batch of updates (by asking for the next ones) while it is still
handling them, so a crash in between loses them: Telegram never sends them again. This loop
asks for the next batch only after ``receive`` returned, and ``receive`` returns once the
batch is handled and committed (``BotCore.handle_batch``). A crash before that makes Telegram
send the batch again, and the updates already committed find their keys and change nothing:
an answer is stored exactly once, whenever the process dies. (Voice notes are the exception:
they are heard in the background, so a crash while one is being transcribed loses it, as
before, and so is what the same person sends while it is being heard; they see no reply and
can send it again.)

Batches: before asking for more, the loop waits until the sender has nothing ready to send
(``Sender.settled``, at most ``SETTLE_WAIT`` seconds): a quiet bot waits at most for its last
reply to go out. A busy one lets answers gather at Telegram while the replies go out, then takes them in one request and
one commit: fewer round trips and one encrypted WAL write for many updates.

The raw JSON goes straight to ``receive`` (no PTB ``Update`` objects: the core reads a handful
of fields, ``translate.incoming_json``), through PTB's own HTTP stack (``Bot._post``, the
``getUpdates`` connection pool, its timeouts and errors). Errors are retried as PTB's
``Updater`` retries them: at once after a timeout, after ``retry_after`` on a 429, with
backoff up to ``MAX_BACKOFF`` seconds otherwise; a refused token stops the bot. A batch whose
handling fails is not confirmed and is fetched again: while the database is unavailable
(``RetryLater``) for as long as that takes; after any other failure, ``MAX_ATTEMPTS`` times,
then one update at a time, and only an update that still fails alone is logged and passed over.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Bot
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut

from bots.telegram.sender import retry_after_seconds

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
Receive = Callable[[Sequence[JSONDict]], None]
Settled = Callable[[float], Awaitable[None]]

SETTLE_WAIT = 0.25
"""Seconds the loop waits at most for the sender before it polls again."""
MAX_BACKOFF = 30.0
MAX_ATTEMPTS = 3
"""Times a batch is fetched again after handling it failed, before it goes one by one."""
READ_MARGIN = 5.0
"""Seconds a long poll may take beyond its ``timeout`` before the request is given up."""
LIMIT = 100
"""Updates per request (Telegram's maximum)."""


class RetryLater(Exception):
    """Raised by ``receive``: nothing was committed because the database is unavailable
    (locked, an I/O error). The batch is asked for again, with growing pauses; it is never
    skipped, however long it takes."""


class Poller:
    """``getUpdates`` in a loop; see the module docstring."""

    def __init__(
        self,
        bot: Bot,
        receive: Receive,
        *,
        allowed_updates: Sequence[str],
        timeout: int = 10,
        settled: Settled | None = None,
    ) -> None:
        self.bot = bot
        self.receive = receive
        """Handles a batch and commits it; called synchronously, never during an ``await``."""
        self.allowed_updates = list(allowed_updates)
        self.timeout = timeout
        self.settled = settled
        self.offset: int | None = None
        """The next update id to ask for: everything below it is committed."""
        self.batches = 0
        """Requests that returned updates (tests and the benchmark read it)."""
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._held = 0.0
        """Seconds of the last pause while the database was unavailable (``RetryLater``)."""
        self._attempts = 0
        self._failed_at: int | None = None
        """The first update id of the batch whose handling failed ``_attempts`` times."""

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> asyncio.Task[None]:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(self.run(), name="poller")
        return self._task

    async def stop(self) -> None:
        """Stop polling, then confirm what was handled, so a restart does not fetch it again
        (it would change nothing, but costs a look-up per update)."""
        task, self._task = self._task, None
        if task is None:
            return
        # The flag too: the HTTP stack may turn the cancellation of a long poll into a network
        # error, which the loop would otherwise retry.
        self._stopping = True
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        except Exception as error:  # already logged by the loop; stopping must not fail
            log.debug("poller ended with %s", type(error).__name__)
        if self.offset is not None:
            try:
                await self._fetch(timeout=0, limit=1)
            except TelegramError as error:
                log.info("could not confirm the last updates (%s)", type(error).__name__)

    # --- the loop -----------------------------------------------------------------------------

    async def run(self) -> None:
        await self._bootstrap()
        backoff = 0.0
        while not self._stopping:
            try:
                updates = await self._fetch(timeout=self.timeout, limit=LIMIT)
            except TimedOut:
                continue  # a long poll the network cut short: ask again (or stop)
            except RetryAfter as error:
                await asyncio.sleep(retry_after_seconds(error))
                continue
            except InvalidToken:
                log.error("the bot token was refused; polling stops")
                raise
            except Conflict:
                backoff = _next(backoff)
                log.error(
                    "Telegram refused polling: another process polls with this token, or a "
                    "webhook is set; trying again in %.0f s",
                    backoff,
                )
                await asyncio.sleep(backoff)
                continue
            except Exception as error:  # network, server, a bug: polling must go on
                if self._stopping:
                    return
                backoff = _next(backoff)
                log.warning("polling failed (%s); again in %.1f s", type(error).__name__, backoff)
                await asyncio.sleep(backoff)
                continue
            backoff = 0.0
            if not updates:
                continue
            pause = self._hand_over(updates)
            if pause is not None:  # not committed: Telegram keeps them, ask again
                await asyncio.sleep(pause)
                continue
            self.batches += 1
            self.offset = _last_id(updates) + 1
            if self.settled is not None:
                await self.settled(SETTLE_WAIT)

    def _hand_over(self, updates: Sequence[JSONDict]) -> float | None:
        """Give the batch to ``receive``: None once it is handled and committed, else the
        seconds to wait before asking Telegram for it again."""
        first = _first_id(updates)
        try:
            self.receive(updates)
        except RetryLater as error:  # the database, not the updates: wait, never skip
            self._held = _next(self._held)
            log.error("updates %s…: %s; again in %.1f s", first, error, self._held)
            return self._held
        except Exception as error:
            self._attempts = self._attempts + 1 if first == self._failed_at else 1
            self._failed_at = first
            if self._attempts < MAX_ATTEMPTS:
                log.error(
                    "handling updates %s…%s failed (%s); again in %d s",
                    first,
                    _last_id(updates),
                    type(error).__name__,
                    self._attempts,
                )
                return float(self._attempts)
            if not self._one_by_one(updates):
                self._held = _next(self._held)
                return self._held
        self._attempts, self._failed_at, self._held = 0, None, 0.0
        return None

    def _one_by_one(self, updates: Sequence[JSONDict]) -> bool:
        """The same batch failed ``MAX_ATTEMPTS`` times: hand its updates over one at a time,
        so one that cannot be handled (it is logged and then confirmed, as PTB would) does not
        stop everyone else's. False (nothing more handed over, nothing confirmed) when the
        database becomes unavailable meanwhile."""
        for update in updates:
            try:
                self.receive([update])
            except RetryLater:
                self.offset = _update_id(update)  # the rest is asked for again
                return False
            except Exception as error:
                log.error(
                    "update %s could not be handled after %d attempts (%s); skipped",
                    _update_id(update),
                    MAX_ATTEMPTS,
                    type(error).__name__,
                )
        return True

    async def _bootstrap(self) -> None:
        """Polling and a webhook exclude each other: remove a webhook left from webhook mode
        (Telegram keeps the updates it holds)."""
        backoff = 0.0
        while not self._stopping:
            try:
                await self.bot.delete_webhook(drop_pending_updates=False)
                return
            except InvalidToken:
                log.error("the bot token was refused; polling stops")
                raise
            except Exception as error:
                if self._stopping:
                    return
                backoff = _next(backoff)
                log.warning(
                    "could not prepare polling (%s); again in %.1f s",
                    type(error).__name__,
                    backoff,
                )
                await asyncio.sleep(backoff)

    async def _fetch(self, *, timeout: int, limit: int) -> list[JSONDict]:
        data: JSONDict = {
            "offset": self.offset,
            "limit": limit,
            "timeout": timeout,
            "allowed_updates": self.allowed_updates,
        }
        read_timeout = timeout + READ_MARGIN
        result = await self.bot._post("getUpdates", data, read_timeout=read_timeout)
        if not isinstance(result, list):
            log.warning("getUpdates returned %s instead of a list; ignored", type(result).__name__)
            return []
        return [u for u in result if isinstance(u, dict) and _update_id(u) is not None]


def _update_id(update: JSONDict) -> int | None:
    value = update.get("update_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _first_id(updates: Sequence[JSONDict]) -> int:
    return min(_update_id(u) or 0 for u in updates)


def _last_id(updates: Sequence[JSONDict]) -> int:
    return max(_update_id(u) or 0 for u in updates)


def _next(backoff: float) -> float:
    return min(MAX_BACKOFF, max(1.0, backoff * 2))
