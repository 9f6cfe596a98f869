"""PTB handlers: a few lines each, closures over the core and the sender (G21).

Every handler does the same three things: translate the update (``translate.incoming``), let
the core handle it (one transaction), then wake the sender. Nothing here decides anything.

A voice note is first heard (fetched and transcribed by the ``Listener``) in a background task,
so the bot keeps answering others meanwhile; later updates from the same chat wait for it
(``Lanes``), so each chat's updates are still handled in the order they came.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bots.telegram import texts
from bots.telegram.core import BotCore
from bots.telegram.sender import Sender, describe_failure
from bots.telegram.translate import Incoming, incoming
from bots.telegram.voice import Listener

log = logging.getLogger(__name__)

COMMAND_NAMES = (*texts.COMMANDS, "sos", "urgent")


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


def build_handlers(
    core: BotCore, sender: Sender, listener: Listener | None = None
) -> list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]]:
    """The handlers, in the order PTB should try them (private chats only)."""
    lanes = Lanes()

    def settle(item: Incoming) -> None:
        outcome = core.handle(item)
        if outcome.volatile:
            sender.send_volatile(item.chat_id, outcome.volatile)
        if outcome.enqueued:
            sender.wake()

    async def hear_then_settle(item: Incoming) -> None:
        language = core.listening(item) if listener is not None else None
        if listener is not None and language is not None:
            item = replace(item, heard=await listener.hear(item, language))
        settle(item)

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        item = incoming(update)
        if item is None:
            return
        if item.kind == "voice" or lanes.busy(item.chat_id):

            def spawn(work: Coroutine[Any, Any, None]) -> asyncio.Future[None]:
                return context.application.create_task(work, update=update)

            lanes.queue(item.chat_id, lambda: hear_then_settle(item), spawn)
            return
        settle(item)

    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        CommandHandler(COMMAND_NAMES, handle, filters=private),
        CallbackQueryHandler(handle),
        MessageHandler(private & filters.TEXT, handle),  # words, and other /commands
        MessageHandler(private, handle),  # voice notes, photos …: a kind «text only» reply
    ]


async def log_errors(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with the update's id only: never its content."""
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    log.error("update %s failed: %s", update_id, describe_failure(error) if error else "?")
