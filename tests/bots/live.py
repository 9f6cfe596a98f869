"""The real bot (PTB Application, real HTTP) against the Bot API stand-in, on a temporary
encrypted SQLite database: the harness for the integration tests."""

from __future__ import annotations

import asyncio
import inspect
import secrets
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram.ext import Application

from bots.telegram.app import build_application, running, runtime
from bots.telegram.standin import BotApiStandIn, ChatMessage
from companion.config import Settings
from companion.content import Content, load_content
from companion.participants import send_flow
from companion.services import Services, build_services
from companion.voice import Voice

USER = 4242
QUIET = 0.08
"""Seconds without calls that count as «the bot is done» (the stand-in's default is 0.25)."""


@cache
def content() -> Content:
    return load_content()


def live_settings(tmp_path: Path, standin: BotApiStandIn, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "db_path": tmp_path / "companion.db",
        "db_key": SecretStr(_key(tmp_path)),
        "telegram_token": SecretStr(standin.token),
        "telegram_bot_username": standin.bot_username,
        "bot_chat_interval": 0.0,
        "bot_global_rate": 1000.0,
    }
    return Settings(**{**values, **changes})


def _key(tmp_path: Path) -> str:
    path = tmp_path / "db.key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
    return path.read_text()


def open_services(settings: Settings) -> Services:
    return build_services(settings, migrate_now=True, content=content())


@dataclass
class Live:
    """A running bot, its stand-in and its services."""

    standin: BotApiStandIn
    app: Application  # type: ignore[type-arg]
    services: Services

    async def idle(self, timeout: float = 10.0, handled: int | None = None) -> None:
        """Until the bot handled ``handled`` updates, sent everything and went quiet."""
        rt = runtime(self.app)
        deadline = asyncio.get_running_loop().time() + timeout
        while handled is not None and rt.core.handled < handled:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"the bot handled {rt.core.handled} of {handled} updates")
            await asyncio.sleep(0.005)
        await rt.sender.idle(timeout)
        await self.standin.wait_idle(timeout)

    async def act(self, action: Awaitable[Any] | Any, *, drain: bool = True) -> None:
        """Do something that makes one update, then wait until the bot is done with it
        (``drain=False``: only until it is handled, not until its replies are sent)."""
        rt = runtime(self.app)
        before = rt.core.handled
        if inspect.isawaitable(action):
            await action
        if drain:
            await self.idle(handled=before + 1)
            return
        while rt.core.handled <= before:
            await asyncio.sleep(0.005)

    async def say(self, text: str, user: int = USER) -> None:
        await self.act(self.standin.send_text(user, text))

    def bot_messages(self, user: int = USER) -> list[ChatMessage]:
        return [m for m in self.standin.chat(user) if m.from_bot]

    def last(self, user: int = USER) -> ChatMessage:
        return self.bot_messages(user)[-1]

    def with_buttons(self, user: int = USER) -> ChatMessage:
        return next(m for m in reversed(self.bot_messages(user)) if m.buttons)

    async def press(self, label: str, user: int = USER, message: ChatMessage | None = None) -> None:
        message = message or self.with_buttons(user)
        for row in message.buttons:
            for text, data in row:
                if text == label and data is not None:
                    await self.act(self.standin.press(user, message.message_id, data))
                    return
        raise AssertionError(
            f"no button {label!r} on {[[t for t, _ in r] for r in message.buttons]}"
        )

    def participant(self, name: str = "Sara") -> str:
        kari = self.services.directory.get_caseworker_by_username("kari")
        if kari is None:
            kari = self.services.directory.add_caseworker("kari", "Kari", "caseworker", "x")
        case = self.services.directory.add_case(kari.id, "Familien Fjell")
        return self.services.directory.add_participant(case.id, "youth", name).id

    async def onboard(self, user: int = USER, name: str = "Sara") -> str:
        """Invite, /start CODE, consent, Bokmål, no voice."""
        pid = self.participant(name)
        code = self.services.invites.create(pid).code
        await self.say(f"/start {code}", user)
        await self.press("Ja, det er greit", user)
        await self.press("Bokmål", user)
        await self.press("Nei", user)
        return pid

    async def send_flow(self, pid: str, flow: str = "hevd") -> None:
        s = self.services
        send_flow(
            pid,
            flow,
            engine=s.engine,
            directory=s.directory,
            conversations=s.conversations,
            audit=s.audit,
            actor="test",
        )
        await self.flush()

    async def flush(self) -> None:
        """Send what was enqueued outside an update (caseworker replies, sent flows)."""
        runtime(self.app).sender.wake()
        await self.idle()


@asynccontextmanager
async def live_bot(
    tmp_path: Path,
    *,
    standin: BotApiStandIn | None = None,
    enforce_rate_limits: bool = False,
    webhook: dict[str, Any] | None = None,
    voice: Voice | None = None,
    **changes: Any,
) -> AsyncIterator[Live]:
    """Stand-in + services + a running Application (polling); everything stopped afterwards."""
    if standin is None:
        async with (
            BotApiStandIn(enforce_rate_limits=enforce_rate_limits) as fresh,
            live_bot(tmp_path, standin=fresh, webhook=webhook, voice=voice, **changes) as live,
        ):
            yield live
        return
    standin.idle_quiet_period = QUIET
    settings = live_settings(tmp_path, standin, **changes)
    services = open_services(settings)
    app = build_application(
        settings,
        services,
        base_url=standin.base_url,
        base_file_url=standin.base_file_url,
        voice=voice,
    )
    try:
        async with running(app, **(webhook or {})):
            yield Live(standin, app, services)
    finally:
        services.db.close()
