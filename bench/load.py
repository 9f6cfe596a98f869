"""Load: many simulated people answer at the same time, through the Bot API stand-in over
loopback HTTP, against the real bot process (``python -m companion bot run``, encrypted
SQLite).

Every person is linked and consented before the start and has a long text-question flow
waiting. During the run each writes an answer, waits for the bot's next question, and writes
again, for ``--seconds``. Latency is from the update being queued at the stand-in to the reply
being recorded there. Per-chat pacing is off (as in ``bench.bot_throughput``), so this measures
the bot, not Telegram's 1 message/s per chat.

Two ways to be many: everyone answers the moment the reply comes (the worst case: the bot is
saturated and latency is about people / throughput), or people take ``--think`` seconds on
average to read and type, as people do (``make bench`` runs both).

    .venv/bin/python -m bench.load                       # 1,000 people, 60 s, at once
    .venv/bin/python -m bench.load --think 10            # ... taking ~10 s per answer
    .venv/bin/python -m bench.load --users 50 --seconds 5
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import bot_throughput
from bench.botproc import BotProcess, quiet_disconnects
from bench.figures import Figure

BENCH = "load"
FLOW_ID = "bench_load"
QUESTIONS = 120
USER_BASE = 900_000
REPLY_TIMEOUT = 30.0


def flow_yaml() -> str:
    """A long run of free-text questions: every answer gets the next question."""
    return bot_throughput.flow_yaml(
        FLOW_ID,
        QUESTIONS,
        title="Mange spørsmål",
        prompt=lambda n: f"Spørsmål {n}: hva tenker du?",
        thanks="Takk!",
    )


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0
    finished: int = 0


class Replies:
    """Futures resolved when the stand-in records the bot's next message to a chat (a hook on
    its call log: one dict lookup per call, so a thousand waiting people cost nothing)."""

    def __init__(self, standin: Any) -> None:
        self.waiting: dict[int, asyncio.Future[None]] = {}
        self.refused = 0
        log = standin._state.calls
        record = log.record

        def hook(call: Any) -> None:
            record(call)
            if call is None:
                return
            if not call.ok:
                self.refused += 1
                return
            if call.method == "sendMessage" and call.chat_id is not None:
                future = self.waiting.pop(int(call.chat_id), None)
                if future is not None and not future.done():
                    future.set_result(None)

        log.record = hook

    def expect(self, chat: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting[chat] = future
        return future


async def person(
    standin: Any, replies: Replies, user: int, until: float, tally: Tally, think: float
) -> None:
    n = 0
    rng = random.Random(user)
    while time.monotonic() < until and n < QUESTIONS:
        if think:  # reading and typing (the first answer too: people do not start together)
            await asyncio.sleep(rng.uniform(0, 2 * think))
            if time.monotonic() >= until:
                break
        n += 1
        reply = replies.expect(user)
        started = time.monotonic()
        standin.send_text_sync(user, f"svar {n} fra {user}")
        try:
            await asyncio.wait_for(reply, REPLY_TIMEOUT)
        except TimeoutError:
            tally.timeouts += 1
            return
        tally.latencies.append(time.monotonic() - started)
    tally.finished += 1


def prepare(services: Any, standin: Any, users: list[int]) -> None:
    """People linked, consented, their chats open, the flow waiting at question 1."""
    from bench.bot_throughput import consent
    from bots.telegram.standin import people
    from companion.participants import send_flow

    worker = services.directory.add_caseworker("load", "Last", "caseworker", "x")
    case = services.directory.add_case(worker.id, "Last")
    for user in users:
        pid = services.directory.add_participant(case.id, "youth", f"P{user}").id
        services.directory.link_channel(pid, "telegram", str(user))
        consent(services, pid)
        standin._state.chats.add_chat(people.private_chat(people.person(user, "Testa", "nb")))
        send_flow(
            pid,
            FLOW_ID,
            engine=services.engine,
            directory=services.directory,
            conversations=services.conversations,
            audit=services.audit,
            actor="load",
        )


@dataclass(frozen=True)
class LoadReport:
    users: int
    seconds: float
    replies: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    peak_rss_mb: float
    log_problems: int

    @property
    def rate(self) -> float:
        return self.replies / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        return [
            f"{self.users} people for {self.seconds:.0f} s: {self.replies} replies, "
            f"{self.rate:,.1f} replies/s",
            f"latency p50 {self.p50_ms:,.0f} ms, p95 {self.p95_ms:,.0f} ms, "
            f"p99 {self.p99_ms:,.0f} ms",
            f"errors {self.errors}; bot peak RSS {self.peak_rss_mb:,.0f} MB; "
            f"bot log errors {self.log_problems}",
        ]


async def load(
    users: int, seconds: float, workdir: Path | None = None, think: float = 0.0
) -> LoadReport:
    """``think``: mean seconds a person takes before the next answer (0: at once, the worst
    case: then latency is about people / throughput)."""
    from bots.telegram.standin import BotApiStandIn
    from companion.services import build_services

    logging.getLogger("aiohttp").setLevel(logging.WARNING)
    quiet_disconnects()
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        work = workdir or Path(tmp)
        pack = work / "pack"
        (pack / "flows").mkdir(parents=True, exist_ok=True)
        (pack / "flows" / f"{FLOW_ID}.flow.yaml").write_text(flow_yaml(), encoding="utf-8")
        async with BotApiStandIn(token="515151:LOAD") as standin:
            bot = BotProcess(
                work,
                standin.url,
                standin.token,
                global_rate=1_000_000.0,
                extra_env={"COMPANION_CONTENT_DIRS": str(pack)},
            )
            services = build_services(bot.settings(content_dirs=(pack,)), migrate_now=True)
            people = [USER_BASE + n for n in range(users)]
            try:
                prepare(services, standin, people)
                replies = Replies(standin)
                first = [replies.expect(user) for user in people]
                bot.start()
                await asyncio.wait_for(asyncio.gather(*first), 300)  # everyone has question 1
                refused_before = replies.refused
                tally = Tally()
                started = time.monotonic()
                await asyncio.gather(
                    *(person(standin, replies, u, started + seconds, tally, think) for u in people)
                )
                elapsed = time.monotonic() - started
                rss = bot.peak_rss_mb()
                bot.stop()
                problems = len(bot.log_problems())
                refused = replies.refused - refused_before
            finally:
                bot.stop()
                services.db.close()
    return LoadReport(
        users=users,
        seconds=elapsed,
        replies=len(tally.latencies),
        p50_ms=bot_throughput.percentile_ms(tally.latencies, 50),
        p95_ms=bot_throughput.percentile_ms(tally.latencies, 95),
        p99_ms=bot_throughput.percentile_ms(tally.latencies, 99),
        errors=tally.timeouts + tally.errors + refused,
        peak_rss_mb=rss,
        log_problems=problems,
    )


def run(quick: bool = False) -> list[Figure]:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    users, seconds, think = (100, 10.0, 1.0) if quick else (1000, 60.0, 10.0)
    figures: list[Figure] = []
    for pause in (0.0, think):
        report = asyncio.run(load(users, seconds, think=pause))
        for line in report.lines():
            print(f"  load: {line}", flush=True)
        figures += _figures(report, pause)
    return figures


def _figures(report: LoadReport, think: float) -> list[Figure]:
    how = (
        f"{think:g} s on average between answers"
        if think
        else "each answers at once when the reply comes: latency ≈ people / rate"
    )
    name = f"{report.users:,} people, " + (f"{think:g} s to answer" if think else "at once")
    note = f"{report.seconds:.0f} s over loopback HTTP; {how}"
    return [
        Figure(BENCH, f"{name}: replies per second", report.rate, "replies/s", None, note),
        Figure(BENCH, f"{name}: latency p50", report.p50_ms, "ms", None, "queued → reply"),
        Figure(BENCH, f"{name}: latency p95", report.p95_ms, "ms"),
        Figure(BENCH, f"{name}: latency p99", report.p99_ms, "ms"),
        Figure(
            BENCH,
            f"{name}: errors",
            report.errors,
            "errors",
            0.0,
            "no reply within 30 s, or a refused call; goal 0",
            higher_is_better=False,
        ),
        Figure(BENCH, f"{name}: bot peak memory (VmHWM)", report.peak_rss_mb, "MB"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--keep", type=Path, help="keep the database and bot log here")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds before each next answer"
    )
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    report = asyncio.run(load(args.users, args.seconds, args.keep, args.think))
    for line in report.lines():
        print(line)
    return 0 if report.errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
