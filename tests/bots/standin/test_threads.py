"""Thread mode: the stand-in serves from its own loop; sync wrappers work from any thread."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from bots.telegram.standin import BotApiStandIn

USER = 4242


def test_thread_mode_with_sync_wrappers(polling, small_bot) -> None:
    """A bot on the main loop and a 'phone' thread talk through a stand-in in its own thread."""
    standin = BotApiStandIn()
    standin.run_in_thread()
    try:

        def phone() -> None:
            standin.send_text_sync(USER, "/start PHONE", first_name="Mia")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                shown = standin.chat(USER)
                if len(shown) == 2 and shown[1].buttons:
                    standin.press_sync(USER, shown[1].message_id, "yes")
                    return
                time.sleep(0.02)

        async def bot_side() -> None:
            async with polling(standin, small_bot.handlers()):
                person = threading.Thread(target=phone)
                person.start()
                edit = await standin.wait_for(lambda call: call.method == "editMessageText")
                await asyncio.to_thread(person.join, 10)
                assert edit.text == "Du valgte: <b>yes</b>"
                await standin.wait_idle()

        asyncio.run(asyncio.wait_for(bot_side(), 30))
        assert small_bot.start_args == [["PHONE"]]
        assert [m.text for m in standin.chat(USER)] == ["/start PHONE", "Du valgte: yes"]
    finally:
        began = time.monotonic()
        standin.stop_thread()
        assert time.monotonic() - began < 2
    with pytest.raises(RuntimeError):
        _ = standin.url


def test_run_in_thread_refuses_a_second_start() -> None:
    """One stand-in, one thread; stop_thread is safe to call twice."""
    standin = BotApiStandIn()
    standin.run_in_thread()
    try:
        assert standin.url.startswith("http://127.0.0.1:")
        with pytest.raises(RuntimeError):
            standin.run_in_thread()
    finally:
        standin.stop_thread()
        standin.stop_thread()


def test_refuses_to_listen_beyond_this_machine() -> None:
    """The stand-in binds only to loopback addresses."""
    with pytest.raises(ValueError, match="only listens on this machine"):
        BotApiStandIn(host="0.0.0.0")
