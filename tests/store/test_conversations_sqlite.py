"""What only the SQLite adapter can show: transactions, indexes and other connections."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from companion.flows import Engine
from companion.flows.fakes import FixedClock, SequentialIds
from companion.flows.inputs import text
from companion.ports import StaleSession
from companion.store import SqliteConversationStore
from tests.store.support import Stores


def test_a_failed_write_leaves_nothing_behind(sql_stores: Stores, engine: Engine) -> None:
    """If any part of a sprint fails to store, the session row is not changed either."""
    db, conversations = sql_stores.db, sql_stores.conversations
    assert db is not None
    start = engine.start("tour", participant_id="p1")
    conversations.record_sprint(None, start.session, start.events)
    db.execute(
        "CREATE TRIGGER fail_answers BEFORE INSERT ON answers "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    named = engine.resume(start.session, text("Mia"))
    with pytest.raises(Exception, match="disk on fire"):
        conversations.record_sprint(start.session, named.session, named.events)
    assert conversations.get_session(start.session.id) == start.session
    assert conversations.results_for("p1") == {}


def test_due_sessions_uses_the_indexes(sql_stores: Stores) -> None:
    """The due-sessions query searches indexes instead of scanning every session."""
    assert sql_stores.db is not None
    plan = sql_stores.db.execute(
        "EXPLAIN QUERY PLAN SELECT data FROM sessions WHERE id IN ("
        "SELECT id FROM sessions WHERE status IN ('waiting', 'paused') AND timeout_at <= :now "
        "UNION SELECT id FROM sessions WHERE status IN ('waiting', 'paused') "
        "AND expires_at <= :now)",
        {"now": "2026-01-01"},
    ).fetchall()
    details = " | ".join(row[-1] for row in plan)
    assert "sessions_timeout" in details
    assert "sessions_expiry" in details
    assert "SCAN sessions" not in details


CRASH_MID_SPRINT = """
import os, sys
from companion.flows import Engine, load_flows
from companion.flows.fakes import FixedClock, SequentialIds, SourceLocalizer
from companion.flows.inputs import text
from companion.store import SqliteConversationStore, open_database
from tests.flows.sample_flows import ALL

engine = Engine(
    load_flows(ALL), clock=FixedClock(), ids=SequentialIds(), localizer=SourceLocalizer()
)
store = SqliteConversationStore(
    open_database(sys.argv[1], sys.argv[2] or None), clock=FixedClock(), ids=SequentialIds()
)
start = engine.start("tour", participant_id="p1", session_id="s1")
store.record_sprint(None, start.session, start.events)
original = SqliteConversationStore._write_records

def crash(self, *args):
    original(self, *args)
    os._exit(9)  # the process dies after every write of the sprint, before COMMIT

SqliteConversationStore._write_records = crash
named = engine.resume(start.session, text("Mia"))
store.record_sprint(start.session, named.session, named.events)
"""


@pytest.mark.slow
def test_a_crash_mid_sprint_leaves_the_previous_session(sql_stores: Stores) -> None:
    """A process killed before COMMIT leaves the session and its answers as they were."""
    assert sql_stores.path is not None
    repo = Path(__file__).resolve().parents[2]
    args = [str(sql_stores.path), sql_stores.key or ""]
    done = subprocess.run(
        [sys.executable, "-c", CRASH_MID_SPRINT, *args], cwd=repo, capture_output=True, timeout=60
    )
    assert done.returncode == 9, done.stderr.decode()
    stored = sql_stores.conversations.get_session("s1")
    assert stored is not None
    assert stored.seq == 0
    assert sql_stores.conversations.answers_for("s1") == []
    assert sql_stores.conversations.results_for("p1") == {}


def test_a_second_connection_sees_the_write_as_stale(sql_stores: Stores, engine: Engine) -> None:
    """Optimistic concurrency holds across connections, as between the bot and the TUI."""
    other_db = sql_stores.reopen()
    other = SqliteConversationStore(other_db, clock=FixedClock(), ids=SequentialIds("o"))
    start = engine.start("tour", participant_id="p1")
    sql_stores.conversations.record_sprint(None, start.session, start.events)
    mine = engine.resume(start.session, text("Mia"))
    theirs = engine.resume(start.session, text("Ola"))
    other.record_sprint(start.session, theirs.session, theirs.events)
    with pytest.raises(StaleSession):
        sql_stores.conversations.record_sprint(start.session, mine.session, mine.events)
    assert sql_stores.conversations.get_session(start.session.id) == theirs.session
    other_db.close()


def test_racing_writers_one_wins_the_rest_are_stale(sql_stores: Stores, engine: Engine) -> None:
    """Eight threads, own connections, same previous session: exactly one write succeeds."""
    start = engine.start("tour", participant_id="p1")
    sql_stores.conversations.record_sprint(None, start.session, start.events)
    names = [f"Navn{i}" for i in range(8)]
    sprints = [engine.resume(start.session, text(name)) for name in names]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(sprints))

    def write(index: int) -> None:
        db = sql_stores.reopen()
        store = SqliteConversationStore(db, clock=FixedClock(), ids=SequentialIds(f"t{index}"))
        barrier.wait()
        try:
            sprint = sprints[index]
            store.record_sprint(start.session, sprint.session, sprint.events)
            outcomes.append("ok")
        except StaleSession:
            outcomes.append("stale")
        except Exception as error:
            outcomes.append(f"error: {error}")
        finally:
            db.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(sprints))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timedelta(seconds=30).total_seconds())
    assert sorted(outcomes) == ["ok"] + ["stale"] * (len(sprints) - 1)
    [answer] = sql_stores.conversations.answers_for(start.session.id)
    assert answer.value in names


def test_the_schema_keeps_one_copy_of_each_answer(sql_stores: Stores, engine: Engine) -> None:
    """The unique (session, seq, key) index backs the store's insert-or-ignore."""
    assert sql_stores.db is not None
    start = engine.start("tour", participant_id="p1")
    sql_stores.conversations.record_sprint(None, start.session, start.events)
    named = engine.resume(start.session, text("Mia"))
    sql_stores.conversations.record_sprint(start.session, named.session, named.events)
    row = sql_stores.db.execute("SELECT * FROM answers").fetchone()
    with pytest.raises(Exception, match="UNIQUE"):
        sql_stores.db.execute(f"INSERT INTO answers VALUES ({', '.join('?' * len(row))})", row)
