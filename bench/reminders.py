"""Reminders: the dispatcher's cost per tick against what is due and what is scheduled, and
dispatch through the real bot and sender to the Bot API stand-in at Telegram's 30 msg/s.

- 10,000 families with 100,000 scheduled reminders (half day-after reminders, half check-ins,
  each evening between 18:00 and 21:00 Oslo time) in SQLite. Ticks with 0, 10, 100 and 1,000
  due are timed; then the same 100-due tick in a database with ten times fewer scheduled,
  to show that the cost follows what is due, not what is scheduled.
- N families with one reminder due now, dispatched by the dispatcher inside the real bot
  (PTB over loopback HTTP, the real rate-limited sender) to the stand-in enforcing Telegram's
  limits (30 msg/s overall, 1/s per chat): messages per second from the first to the last,
  as a share of the 30/s ceiling, with lost and duplicated messages counted. Then the same
  with the ceiling lifted, to show the headroom.

    .venv/bin/python -m bench.reminders            # full run, prints figures
    .venv/bin/python -m bench.reminders --quick    # under half a minute

The set-up writes rows with SQL directly (a benchmark fixture, not how the app creates them);
consent rows are written as the onboarding flow would leave them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.figures import Figure
from companion.config import Settings
from companion.content import Content, load_content
from companion.reminders import Reminders
from companion.reminders.dispatcher import Dispatcher, Policy
from companion.services import Services, build_services
from companion.store.records import utc_text

BENCH = "reminders"
OSLO = ZoneInfo("Europe/Oslo")
START = datetime(2026, 3, 2, 12, 0, tzinfo=OSLO)
CEILING = 30.0
CHAT_BASE = 10_000_000
LONG_GRACE = {"assignment": timedelta(days=7), "checkin": timedelta(days=7)}
"""The 1,000 earliest pending span more than one evening: time sending them, not missing them."""


class Clock:
    def __init__(self, now: datetime) -> None:
        self.value = now.astimezone(UTC)

    def now(self) -> datetime:
        return self.value


class Ids:
    def __init__(self, prefix: str) -> None:
        self.prefix, self.n = prefix, 0

    def new_id(self) -> str:
        self.n += 1
        return f"{self.prefix}{self.n:08d}"


_CONTENT: list[Content] = []


def content() -> Content:
    if not _CONTENT:
        _CONTENT.append(load_content())
    return _CONTENT[0]


def open_services(path: Path, clock: Any, **settings: Any) -> Services:
    values: dict[str, Any] = {"db_path": path, "allow_plaintext": True, **settings}
    return build_services(
        Settings(**values), clock=clock, ids=Ids("b"), content=content(), migrate_now=True
    )


def populate(
    services: Services,
    families: int,
    per_family: int,
    *,
    days: int = 90,
    due_now: datetime | None = None,
    quiet: bool = True,
) -> None:
    """Families (case, parent, chat, consent) and their assignments and reminders, in bulk.

    ``due_now``: one text reminder per family due at that instant instead of a course."""
    db = services.db
    at = utc_text(START)
    with db.atomic():
        db.execute(
            "INSERT INTO caseworkers (id, username, display_name, role, password_hash, "
            "created_at) VALUES ('kari', 'kari', 'Kari', 'caseworker', 'x', ?)",
            [at],
        )
        rows: dict[str, list[tuple[Any, ...]]] = {
            k: [] for k in ("cases", "people", "links", "consents", "settings", "tasks", "due")
        }
        for f in range(families):
            case, pid = f"c{f}", f"p{f}"
            rows["cases"].append((case, at))
            rows["people"].append((pid, case, f"Forelder {f}", at))
            rows["links"].append((pid, str(CHAT_BASE + f), at))
            rows["consents"].append((f"k{f}", pid, at))
            if not quiet:
                rows["settings"].append((pid, at))
            for n in range(max(1, per_family // 2)):
                task = f"a{f}_{n}"
                rows["tasks"].append((task, case, pid, n + 1, at))
                if due_now is not None:
                    rows["due"].append(_reminder(f"r{f}", pid, "assignment", due_now, task))
                    break
                day = START.date() + timedelta(days=(f * 7 + n * 9) % days + 1)
                minute = (f * 37 + n * 11) % 180
                for kind, offset in (("assignment", 0), ("checkin", 2)):
                    local = datetime(day.year, day.month, day.day, 18, tzinfo=OSLO)
                    due = local + timedelta(days=offset, minutes=minute)
                    rows["due"].append(_reminder(f"r{f}_{n}_{kind}", pid, kind, due, task))
        script = {
            "cases": "INSERT INTO cases (id, caseworker_id, title, created_at) "
            "VALUES (?, 'kari', 'Familie', ?)",
            "people": "INSERT INTO participants (id, case_id, role, display_name, locale, "
            "created_at) VALUES (?, ?, 'parent', ?, 'nb', ?)",
            "links": "INSERT INTO channel_links (participant_id, channel, external_id, linked_at) "
            "VALUES (?, 'telegram', ?, ?)",
            "consents": "INSERT INTO consents (id, participant_id, consent, version, granted, "
            "text, at) VALUES (?, ?, 'companion_use', '2026-11-draft-1', 1, 'Ja', ?)",
            "settings": "INSERT INTO reminder_settings (participant_id, preferred_time, "
            "quiet_start, quiet_end, timezone, updated_at) "
            "VALUES (?, '18:00', '00:00', '00:00', 'Europe/Oslo', ?)",
            "tasks": "INSERT INTO assignments (id, case_id, participant_id, meeting_no, component, "
            "text, assigned_at) VALUES (?, ?, ?, ?, 'se_det_positive', "
            "'Legg merke til når barnet gjør noe bra, og si det.', ?)",
            "due": "INSERT INTO reminders (id, participant_id, kind, due_at, payload, "
            "idempotency_key, created_at, not_after, assignment_id) "
            "VALUES (?, ?, ?, ?, '{}', ?, ?, ?, ?)",
        }
        for name, sql in script.items():
            db.conn.executemany(sql, rows[name])


def _reminder(rid: str, pid: str, kind: str, due: datetime, task: str) -> tuple[Any, ...]:
    return (rid, pid, kind, utc_text(due), rid, utc_text(START), None, task)


# --- tick cost ----------------------------------------------------------------------------------


@dataclass
class TickCost:
    idle_ms: float
    per_due_ms: dict[int, float]
    """Milliseconds per tick by how many were due."""
    query_ms: dict[int, float]
    """Milliseconds for the «what is due» query alone."""


def _nth_due(services: Services, k: int) -> datetime:
    row = services.db.execute(
        "SELECT due_at FROM reminders WHERE status = 'pending' ORDER BY due_at, id "
        "LIMIT 1 OFFSET ?",
        [k - 1],
    ).fetchone()
    return datetime.fromisoformat(row[0])


def tick_costs(
    path: Path, families: int, per_family: int, ks: tuple[int, ...], rounds: int
) -> TickCost:
    clock = Clock(START)
    services = open_services(path, clock)
    populate(services, families, per_family)
    reminders = Reminders(services)
    dispatcher = Dispatcher(reminders, holder="bench")
    idle: list[float] = []
    ticks: dict[int, list[float]] = {k: [] for k in ks}
    queries: dict[int, list[float]] = {k: [] for k in ks}
    for _ in range(rounds):
        clock.value = _nth_due(services, 1) - timedelta(seconds=1)
        started = time.perf_counter()
        report = dispatcher.tick()
        idle.append(time.perf_counter() - started)
        assert report.examined == 0
        for k in ks:
            clock.value = _nth_due(services, k)
            started = time.perf_counter()
            found = reminders.store.due_reminders(clock.value, k)
            queries[k].append(time.perf_counter() - started)
            assert len(found) == k
            dispatcher.policy = Policy(batch=k, grace=LONG_GRACE, backlog=None)
            started = time.perf_counter()
            report = dispatcher.tick()
            ticks[k].append(time.perf_counter() - started)
            assert report.examined == k and report.sent == k, report.summary()
    services.db.close()
    return TickCost(
        idle_ms=statistics.median(idle) * 1000,
        per_due_ms={k: statistics.median(v) * 1000 for k, v in ticks.items()},
        query_ms={k: statistics.median(v) * 1000 for k, v in queries.items()},
    )


# --- through the bot to the stand-in --------------------------------------------------------


@dataclass
class Delivery:
    rate: float
    """Messages per second from the first to the last."""
    delivered: int
    lost: int
    duplicated: int
    refused: int
    """429s the stand-in answered."""
    seconds: float


def through_the_bot(path: Path, families: int, *, ceiling: bool) -> Delivery:
    return asyncio.run(_through_the_bot(path, families, ceiling=ceiling))


async def _through_the_bot(path: Path, families: int, *, ceiling: bool) -> Delivery:
    from bots.telegram.app import build_application, running
    from bots.telegram.standin import BotApiStandIn
    from bots.telegram.standin import people as standin_people
    from companion.system import SystemClock

    os.environ.setdefault("PTB_TIMEDELTA", "1")
    standin = BotApiStandIn(enforce_rate_limits=ceiling)
    standin.run_in_thread()
    try:
        limits = (
            {"bot_chat_interval": 1.0, "bot_global_rate": CEILING}
            if ceiling
            else {
                "bot_chat_interval": 0.0,
                "bot_global_rate": 10_000.0,
            }
        )
        from pydantic import SecretStr

        settings = dict(telegram_token=SecretStr(standin.token), **limits)
        services = open_services(path, SystemClock(), **settings)
        for f in range(families):  # each person has written to the bot once
            user = standin_people.person(CHAT_BASE + f, "Forelder", "nb")
            standin._state.chats.add_chat(standin_people.private_chat(user))
        populate(services, families, 1, due_now=datetime.now(UTC), quiet=False)
        app = build_application(
            Settings(db_path=path, allow_plaintext=True, **settings),
            services,
            base_url=standin.base_url,
            base_file_url=standin.base_file_url,
        )
        seen: list[float] = []
        log = standin._state.calls
        record = log.record

        def timed(call: Any) -> None:  # when the stand-in accepted each reminder
            record(call)
            if call is not None and call.ok and call.method == "sendMessage":
                seen.append(time.monotonic())

        log.record = timed  # type: ignore[method-assign]
        deadline = time.monotonic() + families / (CEILING if ceiling else 50) + 60
        async with running(app, polling=False):
            while len(seen) < families and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # anything doubled would show up now
        calls = standin.calls("sendMessage")
        services.db.close()
    finally:
        standin.stop_thread()
    per_chat = Counter(c.chat_id for c in calls if c.ok and c.text and "Hei" in c.text)
    spread = (seen[-1] - seen[0]) if len(seen) > 1 else float("nan")
    return Delivery(
        rate=(len(seen) - 1) / spread if len(seen) > 1 else 0.0,
        delivered=len(per_chat),
        lost=families - len(per_chat),
        duplicated=sum(n - 1 for n in per_chat.values()),
        refused=sum(1 for c in calls if not c.ok),
        seconds=spread,
    )


# --- figures ------------------------------------------------------------------------------------


def run(quick: bool = False) -> list[Figure]:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    families, per_family = 10_000, 10
    ks = (10, 100, 1000)
    rounds = 2 if quick else 5
    bot_families = 240 if quick else 900
    with tempfile.TemporaryDirectory() as tmp:
        big = tick_costs(Path(tmp) / "big.db", families, per_family, ks, rounds)
        small = tick_costs(Path(tmp) / "small.db", families // 10, per_family, (100,), rounds)
        paced = through_the_bot(Path(tmp) / "paced.db", bot_families, ceiling=True)
        lifted = through_the_bot(Path(tmp) / "lifted.db", bot_families, ceiling=False)
    scheduled = families * per_family
    independence = small.per_due_ms[100] / big.per_due_ms[100] * 100
    return [
        Figure(
            BENCH, f"idle tick, {scheduled:,} scheduled", big.idle_ms, "ms", None, "lease + query"
        ),
        *[
            Figure(
                BENCH,
                f"tick with {k:,} due of {scheduled:,}",
                big.per_due_ms[k],
                "ms",
                None,
                f"query {big.query_ms[k]:.2f} ms; {big.per_due_ms[k] / k:.2f} ms per reminder",
            )
            for k in ks
        ],
        Figure(
            BENCH,
            "dispatcher throughput (1,000 due)",
            1_000_000 / big.per_due_ms[1000],
            "reminders/s",
            200,
            "outbox rows or check-ins started, one transaction each",
        ),
        Figure(
            BENCH,
            f"100-due tick: {scheduled // 10:,} scheduled vs {scheduled:,}",
            independence,
            "% of the time",
            67,
            f"{small.per_due_ms[100]:.1f} ms vs {big.per_due_ms[100]:.1f} ms: ≥ 67 % means "
            "10× more scheduled costs at most 1.5× (100 % = no difference)",
        ),
        Figure(
            BENCH,
            f"through the bot at the 30/s ceiling ({bot_families} families)",
            paced.rate / CEILING * 100,
            "% of ceiling",
            95,
            f"{paced.rate:.1f} msg/s; lost {paced.lost}, duplicated {paced.duplicated}, "
            f"429s {paced.refused}",
        ),
        Figure(
            BENCH,
            "lost or duplicated at the ceiling",
            float(paced.lost + paced.duplicated),
            "messages",
            0.0,
            "must be 0",
            higher_is_better=False,
        ),
        Figure(
            BENCH,
            "through the bot, ceiling lifted",
            lifted.rate,
            "msg/s",
            None,
            f"{lifted.rate / CEILING:.1f}× the ceiling; lost {lifted.lost}, "
            f"duplicated {lifted.duplicated}",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    figures = run(args.quick)
    for figure in figures:
        print(figure.line())
    print(f"({time.perf_counter() - started:.0f} s)")
    clean = all(f.value == 0 for f in figures if f.name.startswith("lost or duplicated"))
    return 0 if clean and all(f.met is not False for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
