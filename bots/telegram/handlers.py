"""From Telegram's updates to the core and the sender: a few lines, nothing decided here (G21).

``Pipeline.receive(updates)`` takes a batch of updates as the Bot API sends them (JSON objects,
from the ``Poller`` or, one at a time, from PTB's webhook server), translates each
(``translate.incoming_json``), lets the core handle the batch (one transaction,
``BotCore.handle_batch``), then wakes the sender. When it returns, the batch is committed.

A voice note is first heard (fetched and transcribed by the ``Listener``) in a background task,
so the bot keeps answering others meanwhile; later updates from the same chat wait for it
(``Lanes``), so each chat's updates are still handled in the order they came.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, ContextTypes, TypeHandler

from bots.telegram.core import BotCore, Outcome
from bots.telegram.poller import RetryLater
from bots.telegram.sender import Sender, describe_failure
from bots.telegram.translate import Incoming, incoming_json
from bots.telegram.voice import Listener
from companion.store.database import is_unavailable

log = logging.getLogger(__name__)


class Lanes:
    """One queue per chat while slow work (hearing a voice note) runs in the background."""

    def __init__(self) -> None:
        self._tails: dict[int, asyncio.Future[None]] = {}

    def busy(self, chat: int) -> bool:
        tail = self._tails.get(chat)
        return tail is not None and not tail.done()

    def queue(
        self,
        chat: int,
        work: Callable[[], Coroutine[Any, Any, None]],
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Future[None]],
    ) -> None:
        """Run ``work`` after everything queued for ``chat`` before it."""
        before = self._tails.get(chat)

        async def after() -> None:
            if before is not None:
                await asyncio.wait([before])  # its failure was reported already
            await work()

        task = spawn(after())
        self._tails[chat] = task
        task.add_done_callback(lambda done: self._forget(chat, done))

    def _forget(self, chat: int, done: asyncio.Future[None]) -> None:
        if self._tails.get(chat) is done:
            del self._tails[chat]


Spawn = Callable[[Coroutine[Any, Any, None]], "asyncio.Future[None]"]


class Pipeline:
    """Updates in, one commit per batch, the sender woken; see the module docstring."""

    def __init__(
        self,
        core: BotCore,
        sender: Sender,
        spawn: Spawn,
        listener: Listener | None = None,
    ) -> None:
        self.core = core
        self.sender = sender
        self.spawn = spawn
        """Runs background work (hearing a voice note) as a task whose failure is logged."""
        self.listener = listener
        self.lanes = Lanes()

    def receive(self, updates: Sequence[Mapping[str, Any]]) -> None:
        """Handle a batch; committed when this returns (voice notes: being heard).

        Raises ``RetryLater`` when the database is unavailable: nothing is committed and
        nothing is queued, so the batch comes again in the same order."""
        now: list[Incoming] = []
        later: list[Incoming] = []
        hearing: set[int] = set()
        for update in updates:
            item = incoming_json(update)
            if item is None:
                continue
            chat = item.chat_id
            if item.kind == "voice" or chat in hearing or self.lanes.busy(chat):
                later.append(item)  # after what the chat sent before it, in order
                hearing.add(chat)
            else:
                now.append(item)
        try:
            outcomes = self.core.handle_batch(now)
        except Exception as error:
            if is_unavailable(error):
                raise RetryLater(f"the database is unavailable ({type(error).__name__})") from None
            raise
        self._deliver(now, outcomes)
        for item in later:  # only once the batch is committed: a failed one comes again
            self.lanes.queue(item.chat_id, partial(self._hear_then_settle, item), self.spawn)

    def settle(self, item: Incoming) -> None:
        """Handle one update now (its own transaction)."""
        self._deliver([item], [self.core.handle(item)])

    def _deliver(self, items: Sequence[Incoming], outcomes: Sequence[Outcome]) -> None:
        enqueued = False
        for item, outcome in zip(items, outcomes, strict=True):
            if outcome.volatile:
                self.sender.send_volatile(item.chat_id, outcome.volatile)
            enqueued = enqueued or outcome.enqueued
        if enqueued:
            self.sender.wake()

    async def _hear_then_settle(self, item: Incoming) -> None:
        listener = self.listener
        language = self.core.listening(item) if listener is not None else None
        if listener is not None and language is not None:
            item = replace(item, heard=await listener.hear(item, language))
        self.settle(item)

    def webhook_handler(self) -> BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]:
        """For webhook mode, where PTB's server hands over ``Update`` objects one at a time."""

        async def take(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            self.receive([update.to_dict()])

        return TypeHandler(Update, take)


async def log_errors(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with the update's id only: never its content."""
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    log.error("update %s failed: %s", update_id, describe_failure(error) if error else "?")
