"""Webhook mode: updates are POSTed with the secret token header instead of queued for polling."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp import web
from telegram import Update
from telegram.error import BadRequest, Conflict

from bots.telegram.standin import BotApiStandIn

USER = 4242
SECRET = "s3cret_Token-1"


@asynccontextmanager
async def receiver(app: Any, fail_first: int = 0) -> AsyncIterator[tuple[str, list[str]]]:
    """A webhook endpoint that checks the secret and hands updates to the PTB Application."""
    headers: list[str] = []
    failures = [fail_first]

    async def receive(request: web.Request) -> web.Response:
        headers.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""))
        if headers[-1] != SECRET:
            return web.Response(status=403)
        if failures[0]:
            failures[0] -= 1
            return web.Response(status=500)
        await app.update_queue.put(Update.de_json(await request.json(), app.bot))
        return web.Response()

    web_app = web.Application()
    web_app.router.add_post("/hook", receive)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", headers
    finally:
        await runner.cleanup()


@asynccontextmanager
async def started(app: Any) -> AsyncIterator[Any]:
    """An Application that processes its update_queue but does not poll."""
    async with app:
        await app.start()
        try:
            yield app
        finally:
            await app.stop()


def test_webhook_delivers_with_secret_token(run, small_bot) -> None:
    """With a webhook set, /start reaches the bot by POST with the secret header; polling conflicts."""
    from telegram.ext import ApplicationBuilder

    async def scenario() -> None:
        async with BotApiStandIn() as standin:
            builder = ApplicationBuilder().token(standin.token).base_url(standin.base_url)
            app = builder.updater(None).build()
            app.add_handlers(small_bot.handlers())
            async with started(app), receiver(app) as (url, headers):
                assert await app.bot.set_webhook(url, secret_token=SECRET)
                await standin.send_text(USER, "/start HOOK")
                reply = await standin.wait_for(lambda call: call.method == "sendMessage")
                assert reply.text == "Hei! Kode: HOOK"
                assert headers == [SECRET]
                with pytest.raises(Conflict, match=r"(?i)webhook is active"):
                    await app.bot.get_updates()
                info = await app.bot.get_webhook_info()
                assert (info.url, info.pending_update_count) == (url, 0)

                assert await app.bot.delete_webhook()
                await standin.send_text(USER, "etter")
                (update,) = await app.bot.get_updates()
                assert update.message.text == "etter"

    run(scenario())


def test_webhook_retries_until_the_bot_accepts(run, small_bot) -> None:
    """A 500 from the bot keeps the update queued; it is delivered again and the error is reported."""
    from telegram.ext import ApplicationBuilder

    async def scenario() -> None:
        async with BotApiStandIn() as standin:
            app = (
                ApplicationBuilder()
                .token(standin.token)
                .base_url(standin.base_url)
                .updater(None)
                .build()
            )
            app.add_handlers(small_bot.handlers())
            async with started(app), receiver(app, fail_first=2) as (url, headers):
                await app.bot.set_webhook(url, secret_token=SECRET)
                await standin.send_text(USER, "/start")
                await standin.wait_for(lambda call: call.method == "sendMessage")
                await standin.wait_idle()
                assert len(headers) == 3
                info = await app.bot.get_webhook_info()
                assert "500" in (info.last_error_message or "")
                assert small_bot.start_args == [[]]

    run(scenario())


def test_webhook_only_to_this_machine(run, bot_for) -> None:
    """The stand-in never connects off the machine, and checks the secret token's alphabet."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            with pytest.raises(BadRequest, match=r"(?i)bad webhook"):
                await bot.set_webhook("https://example.org/hook")
            with pytest.raises(BadRequest, match=r"(?i)secret token"):
                await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="not allowed!")

    run(scenario())
