"""PTB handlers: a few lines each, closures over the core and the sender (G21).

Every handler does the same three things: translate the update (``translate.incoming``), let
the core handle it (one transaction), then wake the sender. Nothing here decides anything.
"""

from __future__ import annotations

import logging

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
from bots.telegram.translate import incoming

log = logging.getLogger(__name__)

COMMAND_NAMES = (*texts.COMMANDS, "sos", "urgent")


def build_handlers(
    core: BotCore, sender: Sender
) -> list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]]:
    """The handlers, in the order PTB should try them (private chats only)."""

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        item = incoming(update)
        if item is None:
            return
        outcome = core.handle(item)
        if outcome.volatile:
            sender.send_volatile(item.chat_id, outcome.volatile)
        if outcome.enqueued:
            sender.wake()

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
