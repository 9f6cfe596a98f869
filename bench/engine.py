"""Engine throughput alone, and persisted resumes with SQLite and SQLCipher, against the
machine's raw SQLite commit rate measured in the same run.

    .venv/bin/python -m bench.engine            # full run, prints figures
    .venv/bin/python -m bench.engine --quick    # a few seconds
"""

from __future__ import annotations

import argparse
import secrets
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench.figures import Figure
from companion.autopilot import Autopilot
from companion.content import load_content
from companion.conversations import Conversations
from companion.flows import Engine
from companion.flows.fakes import FixedClock, SequentialIds, SourceLocalizer
from companion.store.conversations import SqliteConversationStore
from companion.store.database import open_database
from companion.store.migrations import migrate

FLOWS = ("hevd", "nettverkskart", "tre_hus", "fv_checkin", "ukesjekk", "onboarding")


def _engine() -> Engine:
    content = load_content()
    return Engine(
        content.flows,
        clock=FixedClock(),
        ids=SequentialIds(),
        localizer=SourceLocalizer(),
        safety=content.safety,
    )


def engine_alone(conversations: int) -> tuple[float, float]:
    """(steps/s, resumes/s) of the pure engine driving whole conversations.

    Timed in CPU seconds of this process around the engine calls only: the engine does no
    I/O, so CPU time is its cost, and other load on a shared machine does not count.
    """
    engine = _engine()
    flows = [f for f in FLOWS if f in engine.flows]
    steps = resumes = 0
    spent = 0.0
    for n in range(conversations):
        pilot = Autopilot(seed=n)
        started = time.process_time()
        sprint = engine.start(flows[n % len(flows)])
        spent += time.process_time() - started
        steps += sprint.steps
        while sprint.session.is_resumable and sprint.question is not None:
            value = pilot.answer(sprint.question)
            started = time.process_time()
            sprint = engine.resume(sprint.session, value)
            spent += time.process_time() - started
            steps += sprint.steps
            resumes += 1
    return steps / spent, resumes / spent


def persisted(conversations: int, key: str | None) -> float:
    """Resumes/s: each resume reads the session, runs the engine and commits one transaction.

    Only the resume calls are timed (starting a conversation is a different operation).
    """
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db", key)
        migrate(db)
        engine = _engine()
        store = SqliteConversationStore(db, clock=engine.clock, ids=engine.ids)
        service = Conversations(engine, store)
        flows = [f for f in FLOWS if f in engine.flows]
        resumes = 0
        spent = 0.0
        for n in range(conversations):
            pilot = Autopilot(seed=n)
            sprint = service.start(flows[n % len(flows)], participant_id=f"p{n}")
            while sprint.session.is_resumable and sprint.question is not None:
                value = pilot.answer(sprint.question)
                started = time.perf_counter()
                sprint = service.resume(sprint.session.id, value)
                spent += time.perf_counter() - started
                resumes += 1
        return resumes / spent


def raw_commits(seconds: float, key: str | None) -> float:
    """The machine's baseline: one small INSERT + COMMIT per loop, WAL, synchronous=NORMAL."""
    with tempfile.TemporaryDirectory() as tmp:
        if key:
            from sqlcipher3 import dbapi2 as sqlcipher

            conn = sqlcipher.connect(str(Path(tmp) / "raw.db"))
            conn.execute(f"PRAGMA key = \"x'{key}'\"")
        else:
            conn = sqlite3.connect(str(Path(tmp) / "raw.db"))
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        count = 0
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            conn.execute("INSERT INTO t (body) VALUES (?)", ("x" * 200,))
            conn.commit()
            count += 1
        rate = count / (time.perf_counter() - started)
        conn.close()
        return rate


def run(quick: bool = False) -> list[Figure]:
    conversations = 60 if quick else 600
    stored = 20 if quick else 200
    seconds = 0.5 if quick else 3.0
    key = secrets.token_hex(32)
    steps_s, resumes_s = engine_alone(conversations)
    raw_plain = raw_commits(seconds, None)
    raw_cipher = raw_commits(seconds, key)
    # The median of three rounds: one round on a shared 2-core machine swings by ±5 %.
    plain = statistics.median(persisted(stored, None) for _ in range(3))
    cipher = statistics.median(persisted(stored, key) for _ in range(3))
    return [
        Figure(
            "engine",
            "engine alone: steps/s",
            steps_s,
            "steps/s",
            50_000,
            "CPU time; a step is one node executed",
        ),
        Figure("engine", "engine alone: resumes/s", resumes_s, "resumes/s", None, "CPU time"),
        Figure("engine", "baseline: raw SQLite commits/s", raw_plain, "commits/s"),
        Figure("engine", "baseline: raw SQLCipher commits/s", raw_cipher, "commits/s"),
        Figure(
            "engine",
            "persisted resumes/s, SQLite",
            plain,
            "resumes/s",
            2_000,
            f"median of 3 rounds, one transaction each; {plain / raw_plain:.2f}× raw commits",
        ),
        Figure(
            "engine",
            "persisted resumes/s, SQLCipher",
            cipher,
            "resumes/s",
            2_000,
            f"median of 3 rounds, one transaction each; {cipher / raw_cipher:.2f}× raw SQLCipher commits",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    figures = run(args.quick)
    for figure in figures:
        print(figure.line())
    return 0 if all(f.met is not False for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
