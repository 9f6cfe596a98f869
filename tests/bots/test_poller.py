"""The poller against the Bot API stand-in over real HTTP (PTB's ``Bot`` and HTTP stack): an
update is confirmed to Telegram only after ``receive`` returned, waiting updates come as one
batch, and errors are retried the way PTB's ``Updater`` retries them."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram import Bot
from telegram.error import InvalidToken

from bots.telegram import poller as poller_module
from bots.telegram.poller import Poller, RetryLater
from bots.telegram.standin import BotApiStandIn
from tests.bots.support import run

ALLOWED = ["message", "callback_query"]


def synchronously(test: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    @functools.wraps(test)
    def scenario() -> None:
        run(test())

    return scenario


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``companion bot run`` does: PTB's timedelta durations (no warning on each 429)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


class Received:
    """What ``receive`` got, batch by batch; fails the first ``failures`` calls."""

    def __init__(self, failures: int = 0) -> None:
        self.batches: list[list[int]] = []
        self.failures = failures
        self.arrived = asyncio.Event()

    def __call__(self, updates: Sequence[dict[str, Any]]) -> None:
        self.batches.append([int(u["update_id"]) for u in updates])
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("the database went away")  # nothing committed
        self.arrived.set()

    @property
    def ids(self) -> list[int]:
        return [i for batch in self.batches for i in batch]


@asynccontextmanager
async def polling(
    standin: BotApiStandIn, receive: Received, **options: Any
) -> AsyncIterator[Poller]:
    bot = Bot(standin.token, base_url=standin.base_url, base_file_url=standin.base_file_url)
    async with bot:
        poller = Poller(bot, receive, allowed_updates=ALLOWED, timeout=1, **options)
        poller.start()
        try:
            yield poller
        finally:
            await poller.stop()


async def until(condition: Any, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.01)


def unconfirmed(standin: BotApiStandIn) -> int:
    with standin._state.lock:
        return len(standin._state.updates)


@synchronously
async def test_updates_waiting_at_telegram_arrive_in_one_batch() -> None:
    async with BotApiStandIn() as standin:
        sent = [await standin.send_text(100 + n, f"svar {n}") for n in range(5)]
        receive = Received()
        async with polling(standin, receive) as poller:
            await until(lambda: receive.ids == sent)
            assert receive.batches == [sent]
            assert poller.batches == 1
            assert poller.offset == sent[-1] + 1


@synchronously
async def test_a_batch_that_failed_is_fetched_again_and_only_then_confirmed() -> None:
    """Nothing was committed (``receive`` raised): Telegram must still hold the updates, and
    the next request asks for the same ones again; after success they are confirmed."""
    async with BotApiStandIn() as standin:
        sent = [await standin.send_text(200, "første"), await standin.send_text(201, "andre")]
        receive = Received(failures=1)
        async with polling(standin, receive) as poller:
            await until(lambda: len(receive.batches) >= 1)
            assert unconfirmed(standin) == 2  # the failed batch is not confirmed
            await until(lambda: receive.arrived.is_set(), timeout=5)
            assert receive.batches == [sent, sent]
            assert poller.offset == sent[-1] + 1
        assert unconfirmed(standin) == 0  # stop() confirmed what was handled


@synchronously
async def test_stop_confirms_what_was_handled() -> None:
    """Stopped while it waits for the sender (the batch handled, not yet confirmed by a next
    request): stopping confirms it, so a restart does not fetch it again."""
    never = asyncio.Event()

    async def settled(timeout: float) -> None:
        await never.wait()

    async with BotApiStandIn() as standin:
        first = await standin.send_text(300, "hei")
        receive = Received()
        async with polling(standin, receive, settled=settled):
            await until(lambda: receive.ids == [first])
            assert unconfirmed(standin) == 1
        assert unconfirmed(standin) == 0


@synchronously
async def test_the_sender_is_given_time_before_the_next_request() -> None:
    waits: list[float] = []

    async def settled(timeout: float) -> None:
        waits.append(timeout)

    async with BotApiStandIn() as standin:
        receive = Received()
        async with polling(standin, receive, settled=settled):
            await standin.send_text(400, "en")
            await until(lambda: len(receive.ids) == 1)
            await standin.send_text(400, "to")
            await until(lambda: len(receive.ids) == 2)
        assert len(waits) >= 2 and all(0 < w <= 1 for w in waits)


@synchronously
async def test_a_server_error_is_retried_and_nothing_is_lost() -> None:
    async with BotApiStandIn() as standin:
        standin.fail_next("getUpdates", status=502)
        sent = await standin.send_text(500, "hei")
        receive = Received()
        async with polling(standin, receive):
            await until(lambda: receive.ids == [sent], timeout=10)


@synchronously
async def test_too_many_requests_waits_as_told() -> None:
    async with BotApiStandIn() as standin:
        standin.fail_next("getUpdates", status=429, retry_after=1)
        sent = await standin.send_text(600, "hei")
        receive = Received()
        started = asyncio.get_running_loop().time()
        async with polling(standin, receive):
            await until(lambda: receive.ids == [sent], timeout=10)
        assert asyncio.get_running_loop().time() - started >= 0.9


@synchronously
async def test_a_refused_token_stops_polling() -> None:
    async with BotApiStandIn() as standin:
        bot = Bot("123:wrong", base_url=standin.base_url, base_file_url=standin.base_file_url)
        poller = Poller(bot, Received(), allowed_updates=ALLOWED, timeout=1)
        try:
            with pytest.raises(InvalidToken):
                await asyncio.wait_for(poller.run(), timeout=10)
        finally:  # never initialized (getMe would be refused too): close its connections
            await bot.request.shutdown()
            await bot._request[0].shutdown()


@synchronously
async def test_an_update_that_always_fails_is_passed_over_after_three_attempts() -> None:
    """The same batch fails again and again: after three attempts it goes one update at a
    time, so only the update that fails alone is skipped (and logged); the others count."""
    async with BotApiStandIn() as standin:
        sent = [await standin.send_text(700 + n, f"svar {n}") for n in range(3)]
        poison = sent[1]
        handled: list[int] = []
        tries: list[list[int]] = []

        def receive(updates: Sequence[dict[str, Any]]) -> None:
            ids = [int(u["update_id"]) for u in updates]
            tries.append(ids)
            if poison in ids:
                raise RuntimeError("cannot be handled")
            handled.extend(ids)

        bot = Bot(standin.token, base_url=standin.base_url, base_file_url=standin.base_file_url)
        async with bot:
            poller = Poller(bot, receive, allowed_updates=ALLOWED, timeout=1)
            poller.start()
            try:
                await until(lambda: handled == [sent[0], sent[2]], timeout=15)
            finally:
                await poller.stop()
        assert tries[:3] == [sent, sent, sent]  # fetched again, not confirmed, twice
        assert tries[3:] == [[sent[0]], [poison], [sent[2]]]
        assert unconfirmed(standin) == 0


def test_a_batch_is_never_skipped_while_the_database_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``RetryLater`` (locked, an I/O error): asked for again as often as it takes, always the
    whole batch, never handed over one by one, never confirmed before it went through."""
    monkeypatch.setattr(poller_module, "_next", lambda pause: 0.01)
    run(_never_skipped())


async def _never_skipped() -> None:
    async with BotApiStandIn() as standin:
        sent = [await standin.send_text(800 + n, f"svar {n}") for n in range(2)]
        tries: list[list[int]] = []

        def receive(updates: Sequence[dict[str, Any]]) -> None:
            tries.append([int(u["update_id"]) for u in updates])
            if len(tries) <= 5:
                assert unconfirmed(standin) == 2
                raise RetryLater("the database is unavailable (OperationalError)")

        bot = Bot(standin.token, base_url=standin.base_url, base_file_url=standin.base_file_url)
        async with bot:
            poller = Poller(bot, receive, allowed_updates=ALLOWED, timeout=1)
            poller.start()
            try:
                await until(lambda: len(tries) == 6, timeout=15)
            finally:
                await poller.stop()
        assert tries == [sent] * 6
        assert unconfirmed(standin) == 0
