"""A small PTB bot and helpers for driving it against the Bot API stand-in over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bots.telegram.standin import BotApiStandIn

USER = 4242


def build_application(standin: BotApiStandIn) -> Application[Any, Any, Any, Any, Any, Any]:
    """A PTB Application pointed at the stand-in through PTB's own HTTP stack."""
    return (
        ApplicationBuilder()
        .token(standin.token)
        .base_url(standin.base_url)
        .base_file_url(standin.base_file_url)
        .build()
    )


def bot_for(standin: BotApiStandIn, token: str | None = None) -> Bot:
    """A bare PTB Bot against the stand-in (use as `async with`)."""
    return Bot(
        token or standin.token, base_url=standin.base_url, base_file_url=standin.base_file_url
    )


class SmallBot:
    """/start replies with the payload and two buttons; a press answers and edits the message."""

    def __init__(self) -> None:
        self.update_ids: list[int] = []
        self.start_args: list[list[str]] = []

    def handlers(self) -> list[BaseHandler[Any, Any, Any]]:
        return [CommandHandler("start", self.start), CallbackQueryHandler(self.pressed)]

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Greets with the deep-link payload and offers Ja/Nei."""
        assert update.message is not None
        self.update_ids.append(update.update_id)
        self.start_args.append(list(context.args or []))
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("Ja", callback_data="yes")],
                [InlineKeyboardButton("Nei", callback_data="no")],
            ]
        )
        await update.message.reply_text(
            f"Hei! Kode: {' '.join(context.args or []) or '-'}", reply_markup=keyboard
        )

    async def pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answers the press and edits the question to show the choice, without buttons."""
        query = update.callback_query
        assert query is not None
        self.update_ids.append(update.update_id)
        await query.answer()
        await query.edit_message_text(f"Du valgte: <b>{query.data}</b>", parse_mode="HTML")


@asynccontextmanager
async def polling(
    standin: BotApiStandIn, handlers: list[BaseHandler[Any, Any, Any]], *, poll_timeout: int = 10
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run an Application in a manual lifecycle with long polling (post_init does not run)."""
    app = build_application(standin)
    app.add_handlers(handlers)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=poll_timeout, poll_interval=0)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


@pytest.fixture
def run() -> Callable[[Coroutine[Any, Any, Any]], Any]:
    """Run one async scenario in a fresh event loop, never longer than 30 seconds."""

    def runner(scenario: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run(asyncio.wait_for(scenario, 30))

    return runner


@pytest.fixture
def small_bot() -> SmallBot:
    """A fresh SmallBot."""
    return SmallBot()


@pytest.fixture(name="polling")
def polling_fixture() -> Callable[..., Any]:
    """`polling(standin, handlers)`: an async context manager running a polling Application."""
    return polling


@pytest.fixture(name="bot_for")
def bot_for_fixture() -> Callable[..., Bot]:
    """`bot_for(standin, token=None)`: a bare PTB Bot against the stand-in."""
    return bot_for
