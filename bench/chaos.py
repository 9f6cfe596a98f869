"""Kill -9 chaos: the real bot process is SIGKILLed at random moments while simulated people
go through whole conversations; afterwards, what each person saw acknowledged is compared with
what the database holds.

- The Bot API stand-in runs here, on 127.0.0.1; the bot is ``python -m companion bot run`` in a
  subprocess on an encrypted SQLite file, and the reminder dispatcher ``python -m companion
  reminders run`` in another (``--dispatcher bot``: the one inside the bot instead).
- Each person redeems an invite (``/start CODE``), goes through onboarding, then youth do HEVD
  and the network map, parents the FV check-in (sent as a caseworker would, from this process).
  They answer whatever the bot last asked: buttons, and their own words (a unique token per
  answer, so every one can be found again).
- The killer SIGKILLs the bot at random moments (``--kills`` at least) and starts it again.
  A person who gets no reply within a few seconds presses the button again, as people do; a
  retried press must never count twice. With ``--retry-text`` people also type their words
  again; a retyped answer written before the next question reached the chat is recognised and
  not stored (``companion.channels.retyped``).
- Every person gets a meeting reminder due during the run. A separate dispatcher is SIGKILLed
  now and then too; its lease (60 s) has to expire before the next one takes over.

At the end: answers lost (acknowledged but not stored), duplicated (stored twice), every
conversation finished (resumable after each kill), reminders lost or doubled. Exit 1 on any
loss or duplicate.

    .venv/bin/python -m bench.chaos                      # 100 people, >= 20 kills
    .venv/bin/python -m bench.chaos --quick              # 10 people, 3 kills
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.botproc import BotCrashed, BotProcess, quiet_disconnects
from bench.figures import Figure
from bots.telegram.app import COMMAND_LANGUAGES

BENCH = "chaos"
USER_BASE = 700_000
YOUTH_FLOWS = ("hevd", "nettverkskart")
PARENT_FLOWS = ("fv_checkin",)
ASSIGNMENT = "Lek sammen ti minutter hver dag"
PATIENCE = (2.0, 4.0)
"""Seconds a person waits for a reply before pressing again."""
UP = (0.2, 4.0)
"""Seconds the bot works (from when it polls) before the next kill."""
EARLY = 0.2
"""Share of kills at a random moment while the bot starts, instead."""
CRASHES = 3
"""Starts in a row that end by themselves before the run is given up."""
DOWN = (0.0, 0.6)
"""Seconds it stays dead."""
POLL = 0.1
PROGRESS = 15.0
"""Seconds between progress lines on stderr."""
REMINDER_IN = (3.0, 40.0)
"""When a person's meeting reminder comes due, after their onboarding."""
REMINDER_MARK = "Husk møtet"
DISPATCHER_UP = (5.0, 25.0)
"""Seconds a separate dispatcher runs before it is killed."""
DRAIN = 180.0
"""Seconds after the people are done for the last reminders (a killed dispatcher's lease
must expire first: 60 s)."""


@dataclass
class Person:
    user: int
    pid: str
    code: str
    role: str
    flows: tuple[str, ...]
    rng: random.Random
    tokens: int = 0
    confirmed: list[str] = field(default_factory=list)
    """The person's own words the bot acknowledged (moved on after)."""
    actions: int = 0
    retries: int = 0
    finished: list[str] = field(default_factory=list)
    stuck: str | None = None

    def token(self) -> str:
        self.tokens += 1
        return f"ord {self.user}-{self.tokens}"


@dataclass
class Report:
    participants: int
    kills: int
    dispatcher_kills: int
    starts: int
    seconds: float
    actions: int
    retries: int
    confirmed: int
    lost: int
    duplicated: int
    duplicate_keys: int
    finished: int
    stuck: list[str]
    reminders: int
    reminders_lost: int
    reminders_doubled: int
    outbox_failed: int
    log_problems: int

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.duplicated == 0
            and self.duplicate_keys == 0
            and not self.stuck
            and self.reminders_lost == 0
            and self.reminders_doubled == 0
            and self.outbox_failed == 0
        )

    def lines(self) -> Iterator[str]:
        yield (
            f"{self.participants} people, {self.kills} SIGKILLs of the bot ({self.starts} "
            f"starts), {self.dispatcher_kills} of a separate dispatcher, in {self.seconds:.0f} s"
        )
        yield (
            f"actions {self.actions} (retries {self.retries}); "
            f"own words acknowledged {self.confirmed}"
        )
        yield f"lost {self.lost}, duplicated {self.duplicated} (+{self.duplicate_keys} keys twice)"
        yield f"conversations finished {self.finished} of {self.participants}; stuck {self.stuck}"
        yield (
            f"reminders {self.reminders}: lost {self.reminders_lost}, "
            f"delivered twice {self.reminders_doubled}"
        )
        yield f"outbox rows failed {self.outbox_failed}; bot log errors {self.log_problems}"
        yield "OK: nothing lost, nothing doubled" if self.ok else "FAILED"


# --- what a person sees and does -------------------------------------------------------------


class World:
    """The harness's view: the stand-in (what people see) and the database (to know when the
    bot is done with a person, which kind of question waits, and to check at the end)."""

    def __init__(self, standin: Any, services: Any, content: Any, *, retry_text: bool) -> None:
        self.standin = standin
        self.services = services
        self.content = content
        self.retry_text = retry_text
        self.outstanding: dict[int, set[int]] = {}
        self.pending: dict[str, int] = {}
        self.polls = 0

    # -- is the bot done with this person?

    def poll(self) -> None:
        """Which updates the bot has processed, then which replies are still unsent (in this
        order: an update and its replies commit together)."""
        db = self.services.db
        waiting = [(u, k) for u, ids in self.outstanding.items() for k in ids]
        for start in range(0, len(waiting), 500):
            chunk = waiting[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT key FROM processed_inputs WHERE key IN ({marks})",
                [f"telegram:{k}" for _, k in chunk],
            ).fetchall()
            done = {int(r[0].split(":", 1)[1]) for r in rows}
            for user, update in chunk:
                if update in done:
                    self.outstanding[user].discard(update)
        rows = db.execute(
            "SELECT chat_id, count(*) FROM outbox WHERE status = 'pending' GROUP BY chat_id"
        ).fetchall()
        self.pending = {str(r[0]): int(r[1]) for r in rows}
        self.polls += 1

    def settled(self, user: int) -> bool:
        return not self.outstanding.get(user) and not self.pending.get(str(user))

    async def settle(self, person: Person, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        seen = self.polls
        while True:
            if self.polls > seen + 1 and self.settled(person.user):
                return True
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(POLL / 2)

    # -- acting

    def sent(self, person: Person, update_id: int) -> None:
        self.outstanding.setdefault(person.user, set()).add(update_id)

    def buttons(self, person: Person) -> tuple[int, list[tuple[str, str]]] | None:
        """The newest bot message with buttons: its id and (label, data) pairs."""
        for message in reversed(self.standin.chat(person.user)):
            if message.from_bot and message.buttons:
                pairs = [(t, d) for row in message.buttons for t, d in row if d is not None]
                return message.message_id, pairs
        return None

    def waiting(self, person: Person) -> tuple[Any, Any] | None:
        """The open session's wait and the node it waits at, or None when nothing waits."""
        session = self.services.conversations.open_session(person.pid)
        if session is None or session.wait is None:
            return None
        flow = self.content.flows[session.wait.flow_id]
        node = next(n for n in flow.nodes if n.id == session.wait.node_id)
        return session.wait, node


def choose(person: Person, wait: Any, node: Any, buttons: list[tuple[str, str]]) -> str | None:
    """The label to press (None: write something instead)."""
    labels = [label for label, _ in buttons]
    kind = getattr(node, "kind", node.type)
    if node.type in ("consent", "confirm"):
        return str(node.yes_label) if node.yes_label in labels else None
    if node.type == "collect":
        wanted = max(node.min_items, min(node.max_items, person.rng.choice((0, 1, 1, 2))))
        if wait.collected >= wanted and node.done_label in labels:
            return str(node.done_label)
        return None
    if kind in ("text", "number", "date") or not labels:
        return None
    for preferred in ("Bokmål", "Nei"):  # onboarding: our language, no voice notes
        if wait.flow_id == "onboarding" and preferred in labels:
            return preferred
    if kind == "multi_choice":
        if any(label.startswith("✓") for label in labels) and "Ferdig" in labels:
            return "Ferdig"
        options = [label for label in labels if label != "Ferdig"]
        return person.rng.choice(options)
    return person.rng.choice(labels)


def words(person: Person, node: Any) -> str:
    kind = getattr(node, "kind", "text")
    if kind == "number":
        return str(person.rng.randint(1, 5))
    if kind == "date":
        return "1.3.2027"
    return person.token()


async def act(world: World, person: Person, patience: float) -> None:
    """Answer what waits; press again (or, with ``retry_text``, write again) until the bot is
    done with the person."""
    found = world.waiting(person)
    if found is None:
        return
    wait, node = found
    shown = world.buttons(person)
    label = choose(person, wait, node, shown[1] if shown else [])
    person.actions += 1
    text = None
    if label is None:
        text = words(person, node)
        world.sent(person, world.standin.send_text_sync(person.user, text))
    else:
        assert shown is not None
        data = dict(shown[1])[label]
        world.sent(person, world.standin.press_sync(person.user, shown[0], data))
    while not await world.settle(person, patience):
        if text is not None and world.retry_text:
            person.retries += 1
            world.sent(person, world.standin.send_text_sync(person.user, text))
        elif text is None and shown is not None:
            try:
                world.sent(person, world.standin.press_sync(person.user, shown[0], data))
                person.retries += 1
            except LookupError:
                pass  # the button went away: the first press got through
    if text is not None and text.startswith("ord "):
        person.confirmed.append(text)


async def live(world: World, person: Person, deadline: float, scheduled: Any) -> None:
    """One person's whole run: invite, onboarding, a reminder, then their flows."""
    from companion.participants import SendError, send_flow

    s = world.services
    queue = list(person.flows)
    current: str | None = "onboarding"
    try:
        world.sent(person, world.standin.send_text_sync(person.user, f"/start {person.code}"))
        while time.monotonic() < deadline:
            patience = person.rng.uniform(*PATIENCE)
            if not await world.settle(person, patience):
                continue
            if world.waiting(person) is not None:
                await asyncio.sleep(person.rng.uniform(0, 0.3))  # reading
                await act(world, person, patience)
                continue
            if current is not None:
                person.finished.append(current)
                if current == "onboarding":
                    scheduled(person)
                current = None
            if not queue:
                return
            try:  # as the caseworker does, from another process
                send_flow(
                    person.pid,
                    queue[0],
                    engine=s.engine,
                    directory=s.directory,
                    conversations=s.conversations,
                    audit=s.audit,
                    actor="chaos",
                    params={"assignment": ASSIGNMENT} if queue[0] == "fv_checkin" else None,
                )
                current = queue.pop(0)
            except SendError:
                await asyncio.sleep(0.5)
        person.stuck = current or (queue[0] if queue else "timeout")
    except Exception as error:  # a harness bug must show, not hang the run
        person.stuck = f"harness error: {type(error).__name__}: {error}"


# --- the run ---------------------------------------------------------------------------------


def populate(services: Any, count: int, seed: int) -> list[Person]:
    worker = services.directory.add_caseworker("chaos", "Kaos", "caseworker", "x")
    people = []
    for n in range(count):
        role = "parent" if n % 3 == 2 else "youth"
        case = services.directory.add_case(worker.id, f"Familie {n}")
        pid = services.directory.add_participant(case.id, role, f"Person {n}").id
        code = services.invites.create(pid).code
        flows = PARENT_FLOWS if role == "parent" else YOUTH_FLOWS
        people.append(Person(USER_BASE + n, pid, code, role, flows, random.Random(seed * 7919 + n)))
    return people


def reminder_scheduler(services: Any, rng: random.Random) -> Any:
    """After onboarding: no quiet hours, and a meeting two hours after a reminder due soon."""
    from companion.reminders import Reminders
    from companion.reminders.plans import Before

    reminders = Reminders(services)

    def schedule(person: Person) -> None:
        reminders.set_preferences(person.pid, quiet_hours=("12:00", "12:00"))
        due = datetime.now(UTC) + timedelta(seconds=rng.uniform(*REMINDER_IN))
        reminders.schedule_meeting(
            person.pid, due + timedelta(hours=2), before=(Before.parse("2h"),), actor="chaos"
        )

    return schedule


async def killer(
    bot: BotProcess, standin: Any, rng: random.Random, kills: int, done: asyncio.Event
) -> int:
    """Kill at random moments until the people are done and at least ``kills`` happened
    (late kills still hit the reminder dispatcher and the outbox). Mostly while the bot works
    (a random time after it is up), sometimes while it starts (resending what was unsent)."""
    count = crashes = 0
    menus_before = 0
    while not done.is_set() or count < kills:
        if rng.random() < EARLY:
            await asyncio.sleep(rng.uniform(0.0, 1.5))
        else:
            await ready(standin, menus_before, bot, done)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), rng.uniform(*UP))
        crashes = crashes + 1 if bot.crashed() else 0
        if crashes >= CRASHES:
            raise BotCrashed(f"the bot ended by itself {crashes} times: {bot.last_words()}")
        if done.is_set() and count >= kills:
            break
        bot.kill()
        count += 1
        await asyncio.sleep(rng.uniform(*DOWN))
        menus_before = len(standin.calls("setMyCommands"))
        bot.start()
    return count


async def ready(standin: Any, before: int, bot: BotProcess, done: asyncio.Event) -> None:
    """Until this start of the bot set its command menus (it polls right after)."""
    menus = 1 + len(COMMAND_LANGUAGES)
    while len(standin.calls("setMyCommands")) < before + menus:
        if not bot.alive() or done.is_set():
            return
        await asyncio.sleep(0.05)


async def side_killer(process: BotProcess | None, rng: random.Random, done: asyncio.Event) -> int:
    """SIGKILL the separate dispatcher now and then (its lease then has to expire before the
    next one takes over, so not too often)."""
    count = 0
    if process is None:
        return count
    while not done.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), rng.uniform(*DISPATCHER_UP))
        if done.is_set():
            break
        process.kill()
        count += 1
        await asyncio.sleep(rng.uniform(*DOWN))
        process.start()
    return count


async def drain(world: World, processes: list[BotProcess], deadline: float) -> None:
    """Let the bot send what is left and the dispatcher every due reminder."""
    db = world.services.db
    while time.monotonic() < deadline:
        pending = db.execute(
            "SELECT (SELECT count(*) FROM reminders WHERE status = 'pending'), "
            "(SELECT count(*) FROM outbox WHERE status = 'pending')"
        ).fetchone()
        if pending == (0, 0):
            return
        for process in processes:
            if not process.alive():
                process.start()
        await asyncio.sleep(0.5)


@dataclass(frozen=True)
class Tally:
    lost: int = 0
    duplicated: int = 0
    duplicate_keys: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.lost + other.lost,
            self.duplicated + other.duplicated,
            self.duplicate_keys + other.duplicate_keys,
        )


def compare(confirmed: list[str], sessions: list[list[Any]]) -> Tally:
    """One person's acknowledged words against the answers stored in each of their sessions:
    a word acknowledged but not stored is lost; a word stored more often than it was
    acknowledged (or never acknowledged) is duplicated; so is an answer key stored twice."""
    stored: Counter[str] = Counter()
    duplicate_keys = 0
    for answers in sessions:
        keys = Counter(a.key for a in answers)
        duplicate_keys += sum(n - 1 for n in keys.values())
        for answer in answers:
            if answer.source != "typed":
                continue  # a choice among collected items repeats their words
            stored.update(s for s in _strings(answer.value) if s.startswith("ord "))
    said = Counter(confirmed)
    lost = sum(n for token, n in said.items() if stored[token] < n)
    duplicated = sum(n - said[token] for token, n in stored.items() if n > said[token])
    return Tally(lost, duplicated, duplicate_keys)


def verify(world: World, people: list[Person]) -> dict[str, Any]:
    services = world.services
    total = Tally()
    for person in people:
        sessions = [
            services.conversations.answers_for(session.id)
            for session in services.conversations.sessions_for(person.pid)
        ]
        total = total + compare(person.confirmed, sessions)
    pids = {p.pid: p.user for p in people}
    reminder_rows = services.db.execute("SELECT participant_id, status FROM reminders").fetchall()
    ours = [(pid, status) for pid, status in reminder_rows if pid in pids]
    delivered = Counter(
        c.chat_id
        for c in world.standin.calls("sendMessage")
        if c.ok and c.text and REMINDER_MARK in c.text
    )
    sent = sum(1 for _, status in ours if status == "sent")
    return {
        "lost": total.lost,
        "duplicated": total.duplicated,
        "duplicate_keys": total.duplicate_keys,
        "reminders": len(ours),
        "reminders_lost": sum(1 for pid, _ in ours if delivered[pids[pid]] == 0)
        + (len(ours) - sent),
        "reminders_doubled": sum(n - 1 for n in delivered.values() if n > 1),
        "outbox_failed": services.db.execute(
            "SELECT count(*) FROM outbox WHERE status = 'failed'"
        ).fetchone()[0],
    }


def _progress(people: list[Person], bot: BotProcess, elapsed: float) -> None:
    done = sum(1 for p in people if p.stuck is None and len(p.finished) == 1 + len(p.flows))
    actions = sum(p.actions for p in people)
    print(
        f"  {elapsed:4.0f} s: {bot.starts - 1} kills, {actions} answers, "
        f"{done}/{len(people)} people done",
        file=sys.stderr,
        flush=True,
    )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


async def chaos(
    participants: int,
    kills: int,
    seed: int,
    *,
    retry_text: bool = False,
    timeout: float = 900.0,
    workdir: Path | None = None,
    progress: bool = False,
    separate_dispatcher: bool = False,
) -> Report:
    """``separate_dispatcher``: reminders from ``companion reminders run`` in a second process
    (killed now and then too) instead of the dispatcher inside the bot."""
    from bots.telegram.standin import BotApiStandIn
    from companion.content import load_content
    from companion.services import build_services

    logging.getLogger("aiohttp").setLevel(logging.WARNING)
    quiet_disconnects()
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="chaos-") as tmp:
        work = workdir or Path(tmp)
        async with BotApiStandIn(token="424242:CHAOS") as standin:
            bot = BotProcess(work, standin.url, standin.token)
            dispatcher = None
            if separate_dispatcher:
                bot.extra_env["COMPANION_REMINDERS_IN_BOT"] = "0"
                dispatcher = BotProcess(
                    work,
                    standin.url,
                    standin.token,
                    key=bot.key,
                    command=("reminders", "run", "--interval", "1"),
                    name="dispatcher",
                )
            processes = [bot] if dispatcher is None else [bot, dispatcher]
            services = build_services(bot.settings(), migrate_now=True)
            try:
                people = populate(services, participants, seed)
                world = World(standin, services, load_content(), retry_text=retry_text)
                started = time.monotonic()
                deadline = started + timeout
                for process in processes:
                    process.start()
                done = asyncio.Event()
                kill_task = asyncio.create_task(killer(bot, standin, rng, kills, done))
                side_task = asyncio.create_task(side_killer(dispatcher, rng, done))
                schedule = reminder_scheduler(services, rng)
                lives = asyncio.gather(*(live(world, p, deadline, schedule) for p in people))
                shown = started
                while not lives.done():
                    if kill_task.done() and kill_task.exception() is not None:
                        lives.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await lives
                        await kill_task  # raises: the bot could not run
                    world.poll()
                    await asyncio.sleep(POLL)
                    if progress and time.monotonic() - shown > PROGRESS:
                        shown = time.monotonic()
                        _progress(people, bot, shown - started)
                await lives
                done.set()
                killed = await kill_task
                side_kills = await side_task
                await drain(world, processes, time.monotonic() + DRAIN)
                seconds = time.monotonic() - started
                for process in processes:
                    process.stop()
                checks = verify(world, people)
            finally:
                for process in processes:
                    process.stop()
                services.db.close()
    return Report(
        participants=participants,
        kills=killed,
        dispatcher_kills=side_kills,
        starts=bot.starts,
        seconds=seconds,
        actions=sum(p.actions for p in people),
        retries=sum(p.retries for p in people),
        confirmed=sum(len(p.confirmed) for p in people),
        finished=sum(1 for p in people if p.stuck is None),
        stuck=[f"{p.user}: {p.stuck}" for p in people if p.stuck is not None],
        log_problems=sum(len(process.log_problems()) for process in processes),
        **checks,
    )


def run(quick: bool = False) -> list[Figure]:
    participants, kills = (10, 3) if quick else (100, 20)
    report = asyncio.run(
        chaos(participants, kills, seed=1, progress=True, separate_dispatcher=not quick)
    )
    for line in report.lines():
        print(f"  chaos: {line}", flush=True)
    note = (
        f"{report.participants} people, {report.kills} SIGKILLs of the bot"
        + (f" and {report.dispatcher_kills} of the dispatcher" if report.dispatcher_kills else "")
        + f", {report.seconds:.0f} s"
    )
    zero = "must be 0"
    return [
        Figure(BENCH, "SIGKILLs of the bot process", report.kills, "kills", kills, note),
        Figure(BENCH, "own words acknowledged", report.confirmed, "answers", None, note),
        _zero("answers lost", report.lost, "answers", zero),
        _zero("answers duplicated", report.duplicated + report.duplicate_keys, "answers", zero),
        Figure(
            BENCH,
            "conversations resumed to the end",
            100.0 * report.finished / report.participants,
            "%",
            100.0,
            f"{report.finished} of {report.participants}",
        ),
        _zero("reminders lost", report.reminders_lost, "reminders", f"of {report.reminders}"),
        _zero(
            "reminders delivered twice",
            report.reminders_doubled,
            "reminders",
            "must be 0; a kill between Telegram accepting and the commit could repeat one",
        ),
    ]


def _zero(name: str, value: float, unit: str, note: str) -> Figure:
    """A count that must be zero, as a figure with a «at most 0» target."""
    return Figure(BENCH, name, value, unit, 0.0, note, higher_is_better=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--kills", type=int, default=20, help="at least this many SIGKILLs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="10 people, 3 kills")
    parser.add_argument("--retry-text", action="store_true", help="also write words again")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--keep", type=Path, help="keep the database and bot log here")
    parser.add_argument(
        "--dispatcher",
        choices=("bot", "process"),
        default="process",
        help="reminders from the bot's own dispatcher, or `companion reminders run` beside it",
    )
    args = parser.parse_args()
    if args.quick:
        args.participants, args.kills = 10, 3
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    report = asyncio.run(
        chaos(
            args.participants,
            args.kills,
            args.seed,
            retry_text=args.retry_text,
            timeout=args.timeout,
            workdir=args.keep,
            progress=True,
            separate_dispatcher=args.dispatcher == "process",
        )
    )
    for line in report.lines():
        print(line)
    if report.kills < args.kills:
        print(f"only {report.kills} kills (asked for {args.kills}): the people finished first")
        return 1
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
