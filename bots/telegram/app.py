"""The bot's composition root (G4): settings (and optionally services) in, a PTB Application out.

``build_application(settings)`` wires the real services; tests pass their own and point PTB at
the local Bot API stand-in with ``base_url``/``base_file_url``. ``running(app)`` is the manual
lifecycle for tests and the demo; ``run_bot(settings)`` is ``companion bot run`` (polling by
default, or a webhook whose ``secret_token`` PTB checks on every request).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import secrets
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder

from bots.telegram.core import BotCore
from bots.telegram.handlers import Pipeline, log_errors
from bots.telegram.poller import Poller
from bots.telegram.sender import Sender, describe_failure
from bots.telegram.translate import ApiCall, bot_commands
from bots.telegram.voice import Listener, VoiceSender
from companion.config import Settings
from companion.data_rights import audio_directory
from companion.flows.ports import Localizer
from companion.inbox import OfficeHours
from companion.log_policy import quiet_libraries
from companion.reminders import telegram as reminders
from companion.retention import daily as retention_daily
from companion.services import Services, build_services

if TYPE_CHECKING:
    from companion.voice import Voice

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
COMMAND_LANGUAGES = ("nn", "en")
"""Bokmål is the default command menu; these get their own (``language_code`` scopes)."""


class BotConfigError(Exception):
    """The bot cannot start as configured (no token, no webhook URL); one line for a person."""


POLL_TIMEOUT = 10
"""Seconds one getUpdates long poll waits for something to arrive (PTB's default too)."""
DUE_INTERVAL = 60.0
"""Seconds between looks for sessions whose timeout or expiry has passed."""


@dataclass
class Runtime:
    """What one running bot holds, kept in ``app.bot_data["companion"]``."""

    services: Services
    core: BotCore
    sender: Sender
    pipeline: Pipeline
    poller: Poller
    deadlines: asyncio.Task[None] | None = None
    retention: asyncio.Task[None] | None = None
    """``companion.retention.daily``: deletes what is past its retention time, once a day."""

    async def watch_deadlines(self) -> None:
        """Deadlines live in the sessions (restart-safe), not in timers: look now and then."""
        while True:
            try:
                if self.core.deliver_due():
                    self.sender.wake()
            except Exception as error:
                log.error("delivering due sessions failed: %s", describe_failure(error))
            await asyncio.sleep(DUE_INTERVAL)


def runtime(app: Application) -> Runtime:  # type: ignore[type-arg]
    found = app.bot_data["companion"]
    assert isinstance(found, Runtime)
    return found


def build_application(
    settings: Settings,
    services: Services | None = None,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    voice: Voice | None = None,
) -> Application:  # type: ignore[type-arg]
    """A PTB Application with the handlers, the core and the outbox sender wired in
    (``voice``: hear voice notes and speak prompts; None: text only)."""
    if settings.telegram_token is None:
        raise BotConfigError("no bot token: set COMPANION_TELEGRAM_TOKEN")
    OfficeHours.parse(settings.office_hours, settings.timezone)  # a wrong setting fails now
    quiet_libraries()  # no token, text or name from httpx/PTB, whatever the root level
    services = services or build_services(settings)
    builder = ApplicationBuilder().token(settings.telegram_token.get_secret_value())
    if base_url is not None:
        builder = builder.base_url(base_url)
    if base_file_url is not None:
        builder = builder.base_file_url(base_file_url)
    app = builder.post_init(startup).post_stop(shutdown).build()
    core = BotCore(services, voice=voice)
    sender = VoiceSender(
        app.bot,
        services.outbox,
        services.clock,
        expand=core.expand,
        on_blocked=core.blocked,
        on_sent=core.delivered,
        on_call=core.shown,
        undeliverable=core.undeliverable,
        chat_interval=settings.bot_chat_interval,
        global_rate=settings.bot_global_rate,
        voice=voice,
    )
    listener = None
    if voice is not None:
        listener = Listener(voice, app.bot, _actions(sender), audio_directory(settings))
    pipeline = Pipeline(core, sender, lambda work: app.create_task(work), listener)
    poller = Poller(
        app.bot, pipeline.receive, allowed_updates=ALLOWED_UPDATES, settled=sender.settled
    )
    app.bot_data["companion"] = Runtime(services, core, sender, pipeline, poller)
    app.add_handler(pipeline.webhook_handler())  # webhook mode; polling goes through ``poller``
    reminders.attach(app, core, sender)  # the dispatcher task; «senere»/«stopp» before the rest
    app.add_error_handler(log_errors)
    return app


async def startup(app: Application) -> None:  # type: ignore[type-arg]
    """Command menus in each language, then the sender (which first sends what is unsent)."""
    rt = runtime(app)
    await app.bot.set_my_commands(_commands(rt.services.localizer, "nb"))
    for language in COMMAND_LANGUAGES:
        commands = _commands(rt.services.localizer, language)
        await app.bot.set_my_commands(commands, language_code=language)
    rt.sender.start()
    # Content packs, translations and PTB's objects live as long as the bot: without this,
    # every full collection walks them all again (a third of a millisecond per update).
    gc.collect()
    gc.freeze()
    rt.deadlines = asyncio.get_running_loop().create_task(rt.watch_deadlines())
    rt.retention = asyncio.get_running_loop().create_task(retention_daily(rt.services))
    await reminders.start(app)


async def shutdown(app: Application) -> None:  # type: ignore[type-arg]
    rt = runtime(app)
    if rt.deadlines is not None:
        rt.deadlines.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await rt.deadlines
        rt.deadlines = None
    if rt.retention is not None:
        rt.retention.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await rt.retention
        rt.retention = None
    await reminders.stop(app)
    await rt.sender.stop()
    gc.unfreeze()  # a process that builds another bot (tests, the benchmark) collects it all


def _actions(sender: Sender) -> Callable[[int | str, str], None]:
    def act(chat: int | str, action: str) -> None:
        sender.send_volatile(chat, [ApiCall("sendChatAction", {"chat_id": chat, "action": action})])

    return act


def _commands(localizer: Localizer, language: str) -> list[BotCommand]:
    commands = bot_commands(lambda message: localizer.text(language, *message))
    return [BotCommand(c["command"], c["description"]) for c in commands]


@asynccontextmanager
async def running(
    app: Application,  # type: ignore[type-arg]
    *,
    polling: bool = True,
    poll_timeout: int = 1,
    webhook_url: str | None = None,
    listen: str = "127.0.0.1",
    port: int = 8443,
    secret_token: str | None = None,
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the bot inside ``async with`` (``post_init`` only runs under ``run_polling``).

    For the demo: set ``PTB_TIMEDELTA=1`` in the environment first, as ``run_bot`` does
    (PTB 22 otherwise warns on every 429).

    With ``webhook_url`` it listens on ``listen:port`` instead of polling, and PTB refuses
    (403) every request without the ``secret_token`` header.
    """
    async with app:
        await startup(app)
        await app.start()
        try:
            if app.updater is not None and webhook_url is not None:
                await app.updater.start_webhook(
                    listen=listen,
                    port=port,
                    url_path=urlparse(webhook_url).path.lstrip("/"),
                    webhook_url=webhook_url,
                    secret_token=secret_token or secrets.token_urlsafe(32),
                    allowed_updates=ALLOWED_UPDATES,
                )
            elif polling:
                poller = runtime(app).poller
                poller.timeout = poll_timeout
                poller.start()
            yield app
        finally:
            await runtime(app).poller.stop()
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
            await shutdown(app)


def run_bot(settings: Settings) -> int:
    """``companion bot run``: polling, or a webhook when ``bot_mode`` is ``webhook``."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL, and Telegram URLs contain the token; PTB's debug log
    # contains what is sent. Neither may reach the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(logging.INFO)
    # PTB 22: durations as timedelta (its next default); without this every 429 warns.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    from companion.voice import build_voice

    api = settings.telegram_api_url.rstrip("/") if settings.telegram_api_url else None
    app = build_application(
        settings,
        voice=build_voice(),
        base_url=f"{api}/bot" if api else None,
        base_file_url=f"{api}/file/bot" if api else None,
    )
    if settings.bot_mode == "webhook":
        if not settings.webhook_url:
            raise BotConfigError("webhook mode needs COMPANION_WEBHOOK_URL")
        secret = (
            settings.webhook_secret.get_secret_value()
            if settings.webhook_secret
            else secrets.token_urlsafe(32)
        )
        path = urlparse(settings.webhook_url).path.lstrip("/")
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=path,
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        asyncio.run(_poll_until_stopped(app))
    return 0


async def _poll_until_stopped(app: Application) -> None:  # type: ignore[type-arg]
    """``companion bot run`` in polling mode: until SIGINT/SIGTERM, or until Telegram refuses
    the token (then the error ends the process)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on every platform
            loop.add_signal_handler(signum, stop.set)
    async with running(app, poll_timeout=POLL_TIMEOUT):
        polling = runtime(app).poller.start()
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if polling.done() and not polling.cancelled():
            error = polling.exception()
            if error is not None:
                raise error


__all__ = ["BotConfigError", "Runtime", "build_application", "run_bot", "running", "runtime"]
