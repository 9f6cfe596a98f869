"""The Telegram bot's side of reminders, attached by ``bots.telegram.app`` (imported only there,
so the core never loads ``telegram``):

- the dispatcher runs as a task in the bot's event loop (unless ``COMPANION_REMINDERS_IN_BOT=0``)
  and wakes the sender when it enqueued something;
- the core asks it first about every new update (``BotCore.interceptors``): it takes «senere»,
  «stopp» and «start» (``ReminderChat``); anything else goes on to the bot untouched.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application

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

    def words(item: Any) -> bool:
        """«senere», «stopp», «start» about reminders (``translate.Incoming``), asked by the
        core before anything else; True: taken and stored with the update's key."""
        if item.kind != "text" or not attached.chat.maybe_word(item.text, LOCALES):
            return False  # most of what people write: no need to look them up here
        participant = core.services.directory.participant_by_channel(CHANNEL, str(item.user_id))
        if participant is None:
            return False
        return bool(
            attached.chat.handle(
                participant,
                item.text,
                channel=CHANNEL,
                chat_id=str(item.chat_id),
                input_key=f"{CHANNEL}:{item.update_id}",
            )
        )

    core.interceptors.append(words)
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
