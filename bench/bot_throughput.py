"""Bot throughput: N simulated people each answer a 6-question flow through the Bot API stand-in
over loopback HTTP, against our bot and, in the same run, a baseline bot written the common way
(PTB ``ConversationHandler`` + ``PicklePersistence``) asking the same six questions.

Ours commits every answer (encrypted SQLite, transactional outbox) before its reply is sent; the
baseline keeps answers in ``user_data`` and pickles them now and then. Ours' guarantee is WAL
with ``synchronous=NORMAL``: durable against a crash of the process (what the baseline loses),
not against a power loss in the last moments (``synchronous=FULL``: one fsync per update). Both send without
Telegram's per-chat pacing (the baseline has none; ours is set to 0 s here), so the figures
compare processing, not the 1 message/s per chat Telegram allows.

What is the same for both: the people, the flow, the stand-in (in this process, over loopback),
PTB's HTTP stack and the calls per answer (one ``sendMessage``; checked, ``calls_per_answer``).
What differs is how updates come in: the baseline polls with PTB's ``Updater`` and handles one
update at a time; ours (``bots.telegram.poller``) asks Telegram again once its replies are out,
takes what gathered meanwhile in one request and commits it in one transaction (group commit),
and confirms updates only after that commit. The figure «updates per getUpdates batch» shows
how much that batched. The process's CPU time per answer
is the steadier figure on a shared machine; it includes the stand-in's and the simulated
people's share, which is the same for both bots.

    .venv/bin/python -m bench.bot_throughput            # full run
    .venv/bin/python -m bench.bot_throughput --quick    # a few seconds
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bench.figures import Figure

QUESTIONS = 6
FLOW_ID = "bench6"
TARGET_RATIO = 0.8


def question(n: int) -> str:
    return f"Spørsmål {n} av {QUESTIONS}: hva tenker du om dette?"


THANKS = "Takk! Svarene dine er lagret."


def flow_yaml(
    flow_id: str = FLOW_ID,
    questions: int = QUESTIONS,
    title: str = "Seks spørsmål",
    prompt: Callable[[int], str] | None = None,
    thanks: str = THANKS,
) -> str:
    """A run of free-text questions as a content-pack flow (by default the baseline's six)."""
    ask = prompt or question
    nodes = [
        f'  - {{type: question, kind: text, id: q{n}, prompt: "{ask(n)}", '
        f"save: {{field: q{n}}}, next: {f'q{n + 1}' if n < questions else 'done'}}}"
        for n in range(1, questions + 1)
    ]
    fields = "\n".join(f"      q{n}: {{type: text}}" for n in range(1, questions + 1))
    return "\n".join(
        [
            "spec_version: 1",
            f"id: {flow_id}",
            f"title: {title}",
            "audience: [youth]",
            f"default_result: {flow_id}",
            "results:",
            f"  {flow_id}:",
            "    fields:",
            fields,
            "entry: q1",
            "nodes:",
            *nodes,
            f'  - {{type: end, id: done, text: "{thanks}"}}',
            "",
        ]
    )


@dataclass(frozen=True)
class Run:
    """One bot's measured phase: answers handled, wall seconds, per-answer latencies, the
    process's CPU seconds and the Bot API calls made meanwhile."""

    answers: int
    seconds: float
    latencies: list[float]
    cpu: float = 0.0
    calls: int = 0
    batches: int = 0
    """Polls that brought updates (ours only: PTB's ``Updater`` does not count them)."""

    @property
    def cpu_per_answer(self) -> float:
        """Milliseconds of process CPU (user + system) per answer."""
        return self.cpu / self.answers * 1000

    @property
    def calls_per_answer(self) -> float:
        return self.calls / self.answers

    @property
    def per_batch(self) -> float:
        return self.answers / self.batches if self.batches else float("nan")

    @property
    def rate(self) -> float:
        return self.answers / self.seconds

    def percentile(self, p: float) -> float:
        return percentile_ms(self.latencies, p)


def percentile_ms(values: Sequence[float], p: float) -> float:
    """The ``p``th percentile of latencies in seconds, in milliseconds (NaN when there are none)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


# --- the simulated people ------------------------------------------------------------------------


async def drain(standin: Any, user: int) -> None:
    """Take every reply sent to ``user`` so far, so the next ``wait_for`` sees only new ones."""
    for _ in standin.calls("sendMessage", user):
        await standin.wait_for(lambda c, u=user: c.method == "sendMessage" and c.chat_id == u)


async def answer_all(standin: Any, user: int, latencies: list[float]) -> None:
    """Answer the six questions, each after the previous reply came."""
    for n in range(1, QUESTIONS + 1):
        started = time.perf_counter()
        await standin.send_text(user, f"svar {n} fra {user}")
        await standin.wait_for(
            lambda c, u=user: c.method == "sendMessage" and c.chat_id == u, timeout=60
        )
        latencies.append(time.perf_counter() - started)


async def measure(standin: Any, users: Sequence[int]) -> Run:
    for user in users:
        await drain(standin, user)
    latencies: list[float] = []
    calls_before = len(standin.calls())
    cpu_started = time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(answer_all(standin, user, latencies) for user in users))
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    calls = len(standin.calls()) - calls_before
    return Run(len(latencies), seconds, latencies, cpu, calls)


async def until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not get ready in time")
        await asyncio.sleep(0.01)


# --- ours --------------------------------------------------------------------------------------


def consent(services: Any, pid: str) -> None:
    """Onboarding answered yes, Bokmål, no voice (directly through the engine: not measured)."""
    from companion.flows.inputs import ChoiceInput

    flows = services.channel_flows
    sprint = flows.start("onboarding", participant_id=pid, locale="nb")
    while sprint.session.is_resumable and sprint.question is not None:
        buttons = sprint.question.buttons
        chosen = next((b for b in buttons if b.label == "Nei"), buttons[0])
        sprint = flows.resume(sprint.session, ChoiceInput(values=(chosen.value,)))


@asynccontextmanager
async def our_bot(
    tmp: Path,
    users: Sequence[int],
    *,
    flow_id: str = FLOW_ID,
    flow: str | None = None,
    voice: Any = None,
) -> AsyncIterator[tuple[Any, Any, Any]]:
    """Our bot on an encrypted database, every person linked, consented and at the first question
    of ``flow`` (YAML; by default the six questions); ``voice``: hear voice notes. Yields the
    stand-in, the services and the bot's ``Runtime``."""
    from bots.telegram.app import build_application, running, runtime
    from bots.telegram.standin import BotApiStandIn
    from companion.config import Settings
    from companion.participants import send_flow
    from companion.services import build_services

    pack = tmp / "pack"
    (pack / "flows").mkdir(parents=True)
    (pack / "flows" / f"{flow_id}.flow.yaml").write_text(flow or flow_yaml(), encoding="utf-8")
    async with BotApiStandIn() as standin:
        settings = Settings(
            db_path=tmp / "ours.db",
            db_key=SecretStr(secrets.token_hex(32)),
            telegram_token=SecretStr(standin.token),
            telegram_bot_username=standin.bot_username,
            bot_chat_interval=0.0,
            bot_global_rate=100_000.0,
            content_dirs=(pack,),
        )
        services = build_services(settings, migrate_now=True)
        worker = services.directory.add_caseworker("bench", "Bench", "caseworker", "x")
        case = services.directory.add_case(worker.id, "Benk")
        pids = []
        for user in users:
            pid = services.directory.add_participant(case.id, "youth", f"P{user}").id
            services.directory.link_channel(pid, "telegram", str(user))
            consent(services, pid)
            pids.append(pid)
        app = build_application(
            settings,
            services,
            base_url=standin.base_url,
            base_file_url=standin.base_file_url,
            voice=voice,
        )
        try:
            async with running(app, poll_timeout=1):
                core = runtime(app).core
                for user in users:
                    await standin.send_text(user, "/start")  # the chat exists once they write
                await until(lambda: core.handled >= len(users))
                for pid in pids:
                    send_flow(
                        pid,
                        flow_id,
                        engine=services.engine,
                        directory=services.directory,
                        conversations=services.conversations,
                        audit=services.audit,
                        actor="bench",
                    )
                runtime(app).sender.wake()
                await runtime(app).sender.idle(60)
                await standin.wait_idle(30)
                yield standin, services, runtime(app)
        finally:
            services.db.close()


def stored_answers(services: Any) -> int:
    """Answers in the database for the bench flow (every one must be there)."""
    results = services.conversations
    found = 0
    for participant in services.directory.participants_in_case(
        services.directory.cases_for_caseworker(
            services.directory.get_caseworker_by_username("bench").id
        )[0].id
    ):
        for result in results.results_for(participant.id).get(FLOW_ID, []):
            found += sum(1 for n in range(1, QUESTIONS + 1) if result.data.get(f"q{n}"))
    return found


async def run_ours(tmp: Path, users: Sequence[int]) -> Run:
    async with our_bot(tmp, users) as (standin, services, rt):
        batches = rt.poller.batches
        run = await measure(standin, users)
        run = replace(run, batches=rt.poller.batches - batches)
        stored = stored_answers(services)
    if stored != run.answers:
        raise AssertionError(f"ours: {stored} answers stored of {run.answers}")
    return run


# --- the baseline: PTB ConversationHandler + PicklePersistence ----------------------------------


def baseline_application(token: str, base_url: str, base_file_url: str, path: Path) -> Any:
    """The common way: one state per question, answers in ``user_data``, a pickle file."""
    from telegram import Update
    from telegram.ext import (
        ApplicationBuilder,
        CommandHandler,
        ContextTypes,
        ConversationHandler,
        MessageHandler,
        PicklePersistence,
        filters,
    )

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.message is not None
        await update.message.reply_text(question(1))
        return 1

    def asker(n: int) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, int]]:
        async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
            assert update.message is not None and context.user_data is not None
            context.user_data[f"q{n}"] = update.message.text
            if n == QUESTIONS:
                await update.message.reply_text(THANKS)
                return ConversationHandler.END
            await update.message.reply_text(question(n + 1))
            return n + 1

        return ask

    text = filters.TEXT & ~filters.COMMAND
    conversation = ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states={n: [MessageHandler(text, asker(n))] for n in range(1, QUESTIONS + 1)},
        fallbacks=[],
        name="bench",
        persistent=True,
    )
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .persistence(PicklePersistence(filepath=path))
        .build()
    )
    app.add_handler(conversation)
    return app


async def run_baseline(tmp: Path, users: Sequence[int]) -> Run:
    from bots.telegram.standin import BotApiStandIn

    async with BotApiStandIn() as standin:
        app = baseline_application(
            standin.token, standin.base_url, standin.base_file_url, tmp / "baseline.pickle"
        )
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                for user in users:
                    await standin.send_text(user, "/start")
                await until(lambda: len(standin.calls("sendMessage")) >= len(users))
                await standin.wait_idle(30)
                run = await measure(standin, users)
            finally:
                await app.updater.stop()
                await app.stop()
    return run


# --- figures -----------------------------------------------------------------------------------


async def compare(people: int, rounds: int) -> tuple[Run, Run]:
    """Alternate baseline and ours; keep each side's best round (least disturbed by others):
    the fastest for updates/s and latency, the least CPU per answer for ``cpu``."""
    users = [10_000 + n for n in range(people)]
    best: dict[str, Run] = {}
    least_cpu: dict[str, float] = {}
    for _ in range(rounds):
        for name, runner in (("baseline", run_baseline), ("ours", run_ours)):
            with tempfile.TemporaryDirectory() as tmp:
                run = await runner(Path(tmp), users)
            if name not in best or run.rate > best[name].rate:
                best[name] = run
            least_cpu[name] = min(least_cpu.get(name, run.cpu), run.cpu)
    ours = replace(best["ours"], cpu=least_cpu["ours"])
    baseline = replace(best["baseline"], cpu=least_cpu["baseline"])
    if ours.calls_per_answer != baseline.calls_per_answer:
        raise AssertionError(
            f"not the same work: {ours.calls_per_answer:.2f} Bot API calls per answer (ours), "
            f"{baseline.calls_per_answer:.2f} (baseline)"
        )
    return ours, baseline


def run(quick: bool = False) -> list[Figure]:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    people, rounds = (20, 1) if quick else (50, 3)
    ours, baseline = asyncio.run(compare(people, rounds))
    ratio = ours.rate / baseline.rate
    note = f"{people} people × {QUESTIONS} answers over loopback HTTP"
    return [
        Figure(
            "bot",
            "baseline (PTB ConversationHandler+Pickle): updates/s",
            baseline.rate,
            "updates/s",
            None,
            note,
        ),
        Figure(
            "bot",
            "ours (durable, outbox): updates/s",
            ours.rate,
            "updates/s",
            None,
            "every answer committed (SQLCipher) before its reply",
        ),
        Figure(
            "bot",
            "baseline CPU per answer",
            baseline.cpu_per_answer,
            "ms",
            None,
            "process CPU (bot + stand-in + people)",
            higher_is_better=False,
        ),
        Figure(
            "bot",
            "ours CPU per answer",
            ours.cpu_per_answer,
            "ms",
            None,
            "process CPU (bot + stand-in + people)",
            higher_is_better=False,
        ),
        Figure(
            "bot",
            "baseline CPU / ours CPU per answer",
            baseline.cpu_per_answer / ours.cpu_per_answer,
            "×",
            None,
            "the steadier comparison on a shared machine",
        ),
        Figure("bot", "baseline latency p50", baseline.percentile(50), "ms"),
        Figure("bot", "baseline latency p99", baseline.percentile(99), "ms"),
        Figure("bot", "ours latency p50", ours.percentile(50), "ms"),
        Figure("bot", "ours latency p99", ours.percentile(99), "ms"),
        Figure(
            "bot",
            "ours: updates per getUpdates batch",
            ours.per_batch,
            "updates",
            None,
            "one request and one commit per batch",
        ),
        Figure(
            "bot",
            "ours / baseline throughput",
            ratio,
            "×",
            TARGET_RATIO,
            f"target ≥ {TARGET_RATIO}× the baseline, same run",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    figures = run(args.quick)
    for figure in figures:
        print(figure.line())
    ratio = figures[-1]
    print(f"ratio ours/baseline: {ratio.value:.2f}× (target ≥ {TARGET_RATIO}×)")
    return 0 if all(f.met is not False for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
