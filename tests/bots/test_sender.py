"""The sender on its own, with a fake bot: order, limits, retries, refusals, progress."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bots.telegram.sender import Sender, _snake
from bots.telegram.translate import ApiCall, send_text
from companion.memory_store import MemoryOutboxStore
from companion.outbox import text_entry
from companion.ports import OutboxEntry, OutboxItem
from companion.system import SystemClock
from tests.bots.support import run


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``companion bot run`` does: PTB's timedelta durations (no warning on each 429)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


class FakeBot:
    """Records calls; ``fail`` holds exceptions to raise on the next calls, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], float]] = []
        self.fail: list[Exception | None] = []

    async def _post(self, endpoint: str, data: dict[str, Any]) -> Any:
        """How the sender makes JSON-only calls (``Bot._post``)."""
        return await getattr(self, _snake(endpoint))(**data)

    def __getattr__(self, name: str) -> Any:
        async def method(**params: Any) -> Any:
            if self.fail:
                error = self.fail.pop(0)
                if error is not None:
                    raise error
            self.calls.append((name, params, time.monotonic()))
            return {"message_id": len(self.calls)}

        return method

    def texts(self, chat: str | None = None) -> list[str]:
        return [
            p["text"] for _, p, _ in self.calls if "text" in p and chat in (None, str(p["chat_id"]))
        ]


def entry(chat: str, text: str) -> OutboxEntry:
    call = ApiCall("sendMessage", {"chat_id": chat, "text": text})
    return OutboxEntry(
        channel="telegram", chat_id=chat, kind="api", payload=call.payload(), participant_id="p"
    )


def expand(item: OutboxItem) -> list[ApiCall]:
    if item.kind == "text":
        return send_text(item.chat_id, str(item.payload["text"]))
    return [ApiCall.from_payload(item.payload)]


def sender(
    bot: FakeBot, outbox: MemoryOutboxStore, **options: Any
) -> tuple[Sender, list[OutboxItem]]:
    blocked: list[OutboxItem] = []
    options = {"chat_interval": 0.0, "global_rate": 1000.0, "backoff": 0.01, **options}
    made = Sender(bot, outbox, SystemClock(), expand=expand, on_blocked=blocked.append, **options)  # type: ignore[arg-type]
    return made, blocked


async def drain(made: Sender, timeout: float = 5.0) -> None:
    made.start()
    try:
        await made.idle(timeout)
    finally:
        await made.stop()


def test_rows_go_in_order_per_chat_and_are_marked_sent() -> None:
    """Everything is sent once, oldest first within each chat, and marked sent."""
    outbox = MemoryOutboxStore(clock=SystemClock())
    outbox.enqueue(
        [entry("1", "a"), entry("2", "x"), entry("1", "b"), entry("2", "y"), entry("1", "c")]
    )
    bot = FakeBot()
    made, _ = sender(bot, outbox)
    run(drain(made))
    assert bot.texts("1") == ["a", "b", "c"] and bot.texts("2") == ["x", "y"]
    assert {i.status for i in outbox.items()} == {"sent"}
    assert all(i.payload == {} for i in outbox.items())


def test_one_message_a_second_per_chat_but_chats_do_not_wait_for_each_other() -> None:
    """Per-chat spacing is kept; another chat's message goes in between."""
    outbox = MemoryOutboxStore(clock=SystemClock())
    outbox.enqueue([entry("1", "a"), entry("1", "b"), entry("2", "x")])
    bot = FakeBot()
    made, _ = sender(bot, outbox, chat_interval=0.3)
    run(drain(made))
    times = {p["text"]: at for _, p, at in bot.calls}
    assert times["b"] - times["a"] >= 0.29
    assert times["x"] < times["b"]


def test_429_pauses_everything_then_sends_once() -> None:
    """RetryAfter: nothing is sent for retry_after, then the same message goes once."""
    outbox = MemoryOutboxStore(clock=SystemClock())
    outbox.enqueue([entry("1", "a"), entry("2", "x")])
    bot = FakeBot()
    bot.fail = [RetryAfter(1)]
    made, _ = sender(bot, outbox)
    started = time.monotonic()
    run(drain(made))
    assert bot.texts() == ["a", "x"]
    assert bot.calls[0][2] - started >= 0.95


def test_network_errors_back_off_and_keep_progress() -> None:
    """A long text is three calls; a network error on the second retries only the second."""
    outbox = MemoryOutboxStore(clock=SystemClock())
    long = "\n\n".join(f"Del {i}. " + "ord " * 900 for i in range(3))
    outbox.enqueue(
        [OutboxEntry(channel="telegram", chat_id="1", kind="text", payload={"text": long})]
    )
    bot = FakeBot()
    bot.fail = [None, NetworkError("connection reset"), NetworkError("again")]
    made, _ = sender(bot, outbox)
    run(drain(made))
    assert [t.split(".")[0] for t in bot.texts()] == ["Del 0", "Del 1", "Del 2"]
    [item] = outbox.items()
    assert (item.status, item.attempts, item.progress) == ("sent", 2, 3)


def test_harmless_and_real_400s() -> None:
    """«message is not modified» counts as done; another 400 fails that row only."""
    outbox = MemoryOutboxStore(clock=SystemClock())
    outbox.enqueue([entry("1", "a"), entry("1", "b"), entry("1", "c")])
    bot = FakeBot()
    bot.fail = [BadRequest("Message is not modified"), BadRequest("Bad Request: chat not found")]
    made, _ = sender(bot, outbox)
    run(drain(made))
    assert [i.status for i in outbox.items()] == ["sent", "failed", "sent"]
    assert bot.texts() == ["c"]


def test_403_gives_up_on_the_chat_and_reports_it() -> None:
    """Forbidden: the hook hears about it, and that chat's queue is dropped (others go on)."""
    outbox = MemoryOutboxStore(clock=SystemClock())
    outbox.enqueue([entry("1", "a"), entry("1", "b"), entry("2", "x")])
    bot = FakeBot()
    bot.fail = [Forbidden("Forbidden: bot was blocked by the user")]
    made, blocked = sender(bot, outbox)
    run(drain(made))
    assert [b.chat_id for b in blocked] == ["1"]
    assert [i.status for i in outbox.items()] == ["failed", "failed", "sent"]
    assert bot.texts() == ["x"]


def test_volatile_replies_are_rate_limited_but_never_stored() -> None:
    """A reply to a stranger goes out through the same sender without an outbox row."""
    outbox = MemoryOutboxStore(clock=SystemClock())
    bot = FakeBot()
    made, _ = sender(bot, outbox)
    made.send_volatile(9, send_text(9, "Hei!"))
    run(drain(made))
    assert bot.texts() == ["Hei!"] and outbox.items() == []


def test_stop_leaves_unsent_rows_for_the_next_start() -> None:
    """Stopping mid-way loses nothing: the rest is still pending."""
    outbox = MemoryOutboxStore(clock=SystemClock())
    outbox.enqueue([entry("1", str(i)) for i in range(5)])
    bot = FakeBot()
    made, _ = sender(bot, outbox, chat_interval=0.2)

    async def scenario() -> None:
        made.start()
        await asyncio.sleep(0.3)
        await made.stop()

    run(scenario())
    sent = len(bot.calls)
    assert 1 <= sent < 5
    assert len(outbox.pending("telegram")) == 5 - sent


class CountingOutbox(MemoryOutboxStore):
    """Counts how the sender reads and marks the outbox."""

    def __init__(self) -> None:
        super().__init__(clock=SystemClock())
        self.reads: list[int] = []
        self.batches: list[int] = []

    def pending(self, channel: str, limit: int = 100, *, after: int = 0) -> list[OutboxItem]:
        self.reads.append(after)
        return super().pending(channel, limit, after=after)

    def mark_all_sent(self, sent: Any) -> None:
        self.batches.append(len(sent))
        super().mark_all_sent(sent)


def test_a_wake_reads_only_new_rows_and_sent_rows_are_marked_in_batches() -> None:
    """After the first full read, each wake asks only for rows newer than the newest known;
    rows sent since the last look are marked sent in one batch; nothing is sent twice."""
    outbox = CountingOutbox()
    outbox.enqueue([entry(str(chat), "a") for chat in range(5)])
    bot = FakeBot()
    made, _ = sender(bot, outbox, poll_interval=60.0)

    async def scenario() -> None:
        made.start()
        await made.idle()
        outbox.enqueue([entry("1", "b"), entry("2", "b")])
        made.wake()
        await made.idle()
        await made.stop()

    run(scenario())
    assert sorted(bot.texts()) == ["a"] * 5 + ["b"] * 2
    assert outbox.reads[0] == 0  # the first read is a full one
    assert all(after == 5 for after in outbox.reads[1:] if after) and 5 in outbox.reads
    assert max(outbox.batches) >= 2 and sum(outbox.batches) == 7
    assert all(i.status == "sent" for i in outbox.items())


def test_rows_from_another_process_come_with_the_next_full_read() -> None:
    """Nobody wakes the sender for a row another process wrote: the periodic full read finds
    it (here after 50 ms)."""
    outbox = CountingOutbox()
    bot = FakeBot()
    made, _ = sender(bot, outbox, poll_interval=0.05)

    async def scenario() -> None:
        made.start()
        await asyncio.sleep(0.1)
        outbox.enqueue([entry("9", "from the TUI")])  # no wake()
        for _ in range(200):
            if bot.texts():
                break
            await asyncio.sleep(0.01)
        await made.stop()

    run(scenario())
    assert bot.texts() == ["from the TUI"]
    assert [i.status for i in outbox.items()] == ["sent"]


def test_a_reminder_or_a_caseworkers_reply_is_marked_sent_at_once() -> None:
    """Replies the person just asked for are marked in batches; a reminder or a caseworker's
    message is marked sent the moment Telegram accepted it, so a crash right after cannot send
    it again on restart (module docstring: delivery guarantee)."""
    outbox = MemoryOutboxStore(clock=SystemClock())
    reminder = text_entry("telegram", "7", "Husk møtet i morgen", participant_id="p")
    reminder = reminder.model_copy(update={"payload": {**reminder.payload, "reminder_id": "r1"}})
    reply = text_entry("telegram", "8", "Svar fra Eva", participant_id="p", inbox_message_id="m1")
    outbox.enqueue([entry("1", "a"), reminder, reply])
    bot = FakeBot()
    made, _ = sender(bot, outbox, poll_interval=60.0)

    def status(chat: str) -> str:
        return next(i.status for i in outbox.items() if i.chat_id == chat)

    async def scenario() -> None:
        for _ in range(3):
            await made.step()
        assert sorted(bot.texts()) == sorted(["a", "Husk møtet i morgen", "Svar fra Eva"])
        # no flush has run: the batched reply waits, the unprompted rows are already sent
        assert status("7") == "sent" and status("8") == "sent"
        made.flush()
        assert status("1") == "sent"

    run(scenario())


def test_a_batched_reply_stays_pending_until_the_flush() -> None:
    outbox = MemoryOutboxStore(clock=SystemClock())
    outbox.enqueue([entry("1", "a")])
    bot = FakeBot()
    made, _ = sender(bot, outbox, poll_interval=60.0)

    async def scenario() -> None:
        await made.step()
        assert bot.texts() == ["a"]
        assert [i.status for i in outbox.items()] == ["pending"]  # sent, marked at the flush
        made.flush()
        assert [i.status for i in outbox.items()] == ["sent"]

    run(scenario())
