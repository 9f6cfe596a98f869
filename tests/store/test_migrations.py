"""Schema migrations: applied once, in order, and safe to run again."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.store import init_database, migrate, open_database, pending

TABLES = {
    "caseworkers",
    "cases",
    "participants",
    "channel_links",
    "sessions",
    "answers",
    "results",
    "consents",
    "invites",
    "assignments",
    "reminders",
    "deliveries",
    "flags",
    "messages",
    "audit_log",
    "processed_inputs",
    "outbox",
    "rate_limits",
    "held_inputs",
}


@pytest.fixture(params=[None, "ab" * 32], ids=["sqlite", "sqlcipher"])
def key(request: pytest.FixtureRequest) -> str | None:
    value: str | None = request.param
    return value


def test_a_new_database_gets_every_table(tmp_path: Path, key: str | None) -> None:
    """Migrating a new database applies 0001 and creates the whole schema."""
    db = open_database(tmp_path / "c.db", key)
    names = pending(db)
    assert names[:2] == ["0001_initial", "0002_bot_delivery"]
    assert names == sorted(names), "migrations are registered in the order of their names"
    assert migrate(db) == names
    assert pending(db) == []
    assert set(db.table_names()) >= TABLES
    db.close()


def test_migrating_again_does_nothing(tmp_path: Path, key: str | None) -> None:
    """A second migrate (or init) applies nothing and records nothing twice."""
    path = tmp_path / "c.db"
    init_database(path, key).close()
    db = init_database(path, key)
    assert migrate(db) == []
    assert pending(db) == []
    applied = db.execute("SELECT name FROM _sqlite_migrations").fetchall()
    assert [name for (name,) in applied] == sorted({name for (name,) in applied})
    db.close()


def test_filtered_columns_are_indexed(tmp_path: Path) -> None:
    """The columns the stores filter by have indexes."""
    db = init_database(tmp_path / "c.db", None)
    indexed = {
        (table, tuple(index.columns)) for table in TABLES for index in db.table(table).indexes
    }
    db.close()
    for wanted in [
        ("sessions", ("participant_id", "status", "updated_at")),
        ("sessions", ("status", "timeout_at")),
        ("sessions", ("status", "expires_at")),
        ("answers", ("session_id", "seq", "key")),
        ("cases", ("caseworker_id", "created_at")),
        ("participants", ("case_id", "created_at")),
        ("channel_links", ("participant_id",)),
        ("reminders", ("idempotency_key",)),
        ("reminders", ("status", "due_at")),
        ("messages", ("case_id", "at")),
    ]:
        assert wanted in indexed


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    """A row pointing at a missing participant is refused by the schema."""
    db = init_database(tmp_path / "c.db", None)
    with pytest.raises(Exception, match="FOREIGN KEY"):
        db.execute(
            "INSERT INTO invites (id, participant_id, code_hash, created_by, created_at, "
            "expires_at) VALUES ('i1', 'nobody', 'h', 'kari', 't', 't')"
        )
    db.close()


def test_tables_are_strict(tmp_path: Path) -> None:
    """A wrong type fails loudly instead of being stored as something else."""
    db = init_database(tmp_path / "c.db", None)
    with pytest.raises(Exception, match="cannot store TEXT value in INTEGER column"):
        db.execute(
            "INSERT INTO answers (session_id, seq, key, flow_id, value, source, at) "
            "VALUES ('s', 'not a number', 'k', 'f', '1', 'typed', 't')"
        )
    db.close()
