"""Fewer pages per answer (``0008_bot_speed``, the sessions UPDATE), with every guarantee kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from companion.flows import Engine
from companion.flows.fakes import FixedClock
from companion.flows.inputs import command, text
from companion.ports import DuplicateInput, OutboxEntry
from companion.store import migrate, open_database
from companion.store.migrations import migrations
from companion.store.outbox import SqliteOutboxStore
from tests.store.support import Stores


def _session_updates(stores: Stores, work: Callable[[], None]) -> list[str]:
    """The sessions UPDATE statements SQLite ran while ``work()`` ran."""
    assert stores.db is not None
    seen: list[str] = []
    stores.db.conn.set_trace_callback(seen.append)
    try:
        work()
    finally:
        stores.db.conn.set_trace_callback(None)
    return [sql for sql in seen if sql.startswith("UPDATE sessions")]


def test_an_answer_sets_only_what_changed(sql_stores: Stores, engine: Engine) -> None:
    """An answer rewrites the session's data and time, not its status, timeout or expiry
    (SQLite rewrites the index pages of every column named in SET); it is stored whole."""
    conversations = sql_stores.conversations
    start = engine.start("tour", participant_id="p1")
    conversations.record_sprint(None, start.session, start.events)
    named = engine.resume(start.session, text("Mia"))
    updates = _session_updates(
        sql_stores,
        lambda: conversations.record_sprint(start.session, named.session, named.events),
    )
    assert len(updates) == 1
    assigned = updates[0].split(" WHERE ")[0]
    assert "data =" in assigned and "updated_at =" in assigned
    for unchanged in ("status =", "timeout_at =", "expires_at =", "participant_id ="):
        assert unchanged not in assigned
    assert conversations.get_session(start.session.id) == named.session
    assert conversations.open_session("p1") == named.session


def test_a_changed_status_is_written(sql_stores: Stores, engine: Engine) -> None:
    """A pause changes the status column too: the paused session is what reopens."""
    conversations = sql_stores.conversations
    start = engine.start("tour", participant_id="p1")
    conversations.record_sprint(None, start.session, start.events)
    paused = engine.resume(start.session, command("pause"))
    assert paused.session.status != start.session.status
    updates = _session_updates(
        sql_stores,
        lambda: conversations.record_sprint(start.session, paused.session, paused.events),
    )
    assert "status =" in updates[0].split(" WHERE ")[0]
    assert sql_stores.db is not None
    (status,) = sql_stores.db.execute(
        "SELECT status FROM sessions WHERE id = ?", [start.session.id]
    ).fetchone()
    assert status == paused.session.status
    assert conversations.get_session(start.session.id) == paused.session


def test_0008_keeps_every_processed_key(tmp_path: Path) -> None:
    """Keys marked before the migration stay marked, and a duplicate is still refused."""
    db = open_database(tmp_path / "c.db", "ab" * 32)
    migrations.apply(db, stop_before="0008_bot_speed")
    db.execute("INSERT INTO processed_inputs (key, at) VALUES ('telegram:1', 't')")
    db.conn.commit()
    assert "0008_bot_speed" in migrate(db)
    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'processed_inputs'").fetchone()
    assert "WITHOUT ROWID" in sql
    outbox = SqliteOutboxStore(db, clock=FixedClock())
    assert outbox.processed("telegram:1")
    assert not outbox.processed("telegram:2")
    entry = OutboxEntry(channel="telegram", chat_id="1", kind="api", payload={"method": "x"})
    with pytest.raises(DuplicateInput):
        outbox.enqueue([entry], input_key="telegram:1")
    assert outbox.pending("telegram") == []
    outbox.enqueue([entry], input_key="telegram:2")
    assert outbox.processed("telegram:2")
    db.close()
