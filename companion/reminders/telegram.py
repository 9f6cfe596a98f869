"""The Telegram bot's side of reminders, attached by ``bots.telegram.app`` (imported only there,
so the core never loads ``telegram``):

- the dispatcher runs as a task in the bot's event loop (unless ``COMPANION_REMINDERS_IN_BOT=0``)
  and wakes the sender when it enqueued something;
- a handler in group -1 (before the bot's own) takes «senere», «stopp» and «start»
  (``ReminderChat``); anything else goes on to the bot untouched.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, MessageHandler, filters

from companion.reminders.chat import ReminderChat
from companion.reminders.dispatcher import Dispatcher, Policy
from companion.reminders.runner import INTERVAL, DispatchTask, enabled_in_bot
from companion.reminders.service import Reminders

log = logging.getLogger(__name__)

CHANNEL = "telegram"
LOCALES = ("nb", "nn", "en")
"""The languages the bot speaks (``bots.telegram.texts.LANGUAGES``, not imported: see above)."""
KEY = "reminders"
"""Where the attached ``BotReminders`` lives in ``app.bot_data``."""


class BotReminders:
    """The dispatcher task and the chat words of one bot."""

    def __init__(
        self,
        reminders: Reminders,
        task: DispatchTask | None,
    ) -> None:
        self.reminders = reminders
        self.task = task
        self.chat = ReminderChat(reminders)

    async def start(self) -> None:
        if self.task is not None:
            self.task.start()

    async def stop(self) -> None:
        if self.task is not None:
            await self.task.stop()


def attach(
    app: Application,  # type: ignore[type-arg]
    core: Any,
    sender: Any,
    *,
    interval: float = INTERVAL,
    policy: Policy | None = None,
) -> BotReminders:
    """Wire reminders into a built bot: ``core`` is its ``BotCore``, ``sender`` its ``Sender``.

    Call ``await start(app)`` in the bot's startup and ``await stop(app)`` in its shutdown.
    """
    service = Reminders(core.services)
    task = None
    if enabled_in_bot():
        task = DispatchTask(
            Dispatcher(service, policy=policy), interval=interval, on_sent=sender.wake
        )
    attached = BotReminders(service, task)

    async def words(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        from bots.telegram.translate import incoming

        item = incoming(update)
        if item is None or item.kind != "text":
            return
        if not attached.chat.maybe_word(item.text, LOCALES):
            return  # most of what people write: no need to look them up here
        directory = core.services.directory
        participant = directory.participant_by_channel(CHANNEL, str(item.user_id))
        if participant is None:
            return
        handled = attached.chat.handle(
            participant,
            item.text,
            channel=CHANNEL,
            chat_id=str(item.chat_id),
            input_key=f"{CHANNEL}:{item.update_id}",
        )
        if handled:
            core.handled += 1  # the bot's count of handled updates (tests wait on it)
            sender.wake()
            raise ApplicationHandlerStop

    private_text = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT
    app.add_handler(MessageHandler(private_text & ~filters.COMMAND, words), group=-1)
    app.bot_data[KEY] = attached
    return attached


def reminders(app: Application) -> BotReminders | None:  # type: ignore[type-arg]
    found = app.bot_data.get(KEY)
    return found if isinstance(found, BotReminders) else None


async def start(app: Application) -> None:  # type: ignore[type-arg]
    """The bot started: start the dispatcher task (if attached and enabled)."""
    attached = reminders(app)
    if attached is not None:
        await attached.start()


async def stop(app: Application) -> None:  # type: ignore[type-arg]
    """The bot stops: stop the dispatcher task and give up its lease."""
    attached = reminders(app)
    if attached is not None:
        await attached.stop()
