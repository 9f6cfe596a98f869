"""Faults on demand and flood control: 429 with retry_after, 403 for a blocked chat."""

from __future__ import annotations

import datetime as dtm

import pytest
from telegram.error import Forbidden, NetworkError, RetryAfter

from bots.telegram.standin import BotApiStandIn

USER = 4242


def test_fail_next_429_raises_retry_after(run, bot_for, monkeypatch) -> None:
    """fail_next answers 429 with parameters.retry_after, which PTB raises as RetryAfter."""
    # PTB 22 warns on reading retry_after as seconds; opt in to its timedelta form.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            standin.fail_next("sendMessage", retry_after=3, count=2)
            for _ in range(2):
                with pytest.raises(RetryAfter) as caught:
                    await bot.send_message(USER, "svar")
                assert caught.value.retry_after == dtm.timedelta(seconds=3)
            await bot.send_message(USER, "svar")
            assert [call.ok for call in standin.calls("sendMessage")] == [False, False, True]
            assert [m.text for m in standin.chat(USER)] == ["hei", "svar"]

    run(scenario())


def test_fail_next_other_statuses(run, bot_for) -> None:
    """Other statuses map to PTB's exceptions too (502 is a network error to retry)."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            standin.fail_next("sendmessage", status=502)
            with pytest.raises(NetworkError):
                await bot.send_message(USER, "svar")
            await bot.send_message(USER, "svar")

    run(scenario())


def test_blocked_chat_answers_403_until_the_person_writes_again(run, bot_for) -> None:
    """block() makes every call to the chat Forbidden and announces it as my_chat_member."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            blocked_update = standin.block(USER)
            with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
                await bot.send_message(USER, "er du der?")
            with pytest.raises(Forbidden):
                await bot.send_chat_action(USER, "typing")
            updates = await bot.get_updates()
            change = updates[-1].my_chat_member
            assert updates[-1].update_id == blocked_update
            assert (change.old_chat_member.status, change.new_chat_member.status) == (
                "member",
                "kicked",
            )

            await standin.send_text(USER, "/start")
            await bot.send_message(USER, "velkommen tilbake")
            kinds = [
                u.my_chat_member.new_chat_member.status
                for u in await bot.get_updates(offset=blocked_update + 1)
                if u.my_chat_member
            ]
            assert kinds == ["member"]

    run(scenario())


def test_rate_limits_when_enforced(run, bot_for, monkeypatch) -> None:
    """With enforce_rate_limits, a second message to a chat within a second gets 429."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")

    async def scenario() -> None:
        async with BotApiStandIn(enforce_rate_limits=True) as standin, bot_for(standin) as bot:
            for user in (1, 2):
                await standin.send_text(user, "hei")
            await bot.send_message(1, "første")
            await bot.send_message(2, "annen chat er fri")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(1, "for fort")
            assert caught.value.retry_after == dtm.timedelta(seconds=1)
            assert await bot.send_chat_action(1, "typing")  # not a message: not counted

    run(scenario())


def test_overall_rate_limit_is_30_per_second() -> None:
    """The 31st message in one second across chats is refused."""
    from bots.telegram.standin.errors import ApiError
    from bots.telegram.standin.limits import RateLimiter

    now = [100.0]
    limiter = RateLimiter(clock=lambda: now[0])
    for chat in range(30):
        limiter.admit(chat)
    with pytest.raises(ApiError) as caught:
        limiter.admit(99)
    assert (caught.value.status, caught.value.retry_after) == (429, 1)
    now[0] += 1.0
    limiter.admit(99)


def test_error_bodies_have_telegrams_shape(run) -> None:
    """A refusal is {"ok": false, "error_code", "description"}; 429 adds parameters.retry_after."""
    import httpx

    async def scenario() -> None:
        async with BotApiStandIn() as standin, httpx.AsyncClient() as client:
            standin.fail_next("getMe", retry_after=7)
            response = await client.post(f"{standin.base_url}{standin.token}/getMe")
            assert response.status_code == 429
            assert response.json() == {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            }
            ok = await client.get(f"{standin.base_url}{standin.token}/GETME")
            assert ok.json()["ok"] is True  # method names are case-insensitive

    run(scenario())
