"""Building each store implementation for the contract tests (used by ``conftest.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from companion.flows.fakes import FixedClock, SequentialIds
from companion.memory_store import (
    MemoryAuditLog,
    MemoryConversationStore,
    MemoryDirectoryStore,
    MemoryInboxStore,
    MemoryOutboxStore,
)
from companion.ports import AuditLog, ConversationStore, DirectoryStore, InboxStore, OutboxStore
from companion.store import (
    SqliteAuditLog,
    SqliteConversationStore,
    SqliteDirectoryStore,
    generate_key_file,
    init_database,
    open_database,
)
from companion.store.inbox import SqliteInboxStore
from companion.store.outbox import SqliteOutboxStore

KINDS = ["memory", "sqlite", "sqlcipher"]


@dataclass
class Stores:
    """One implementation of every storage port, plus what tests need to reach behind it."""

    kind: str
    conversations: ConversationStore
    directory: DirectoryStore
    audit: AuditLog
    clock: FixedClock
    db: Database | None = None
    path: Path | None = None
    key: str | None = None
    outbox: OutboxStore = None  # type: ignore[assignment]  # always set by make_stores
    inbox: InboxStore = None  # type: ignore[assignment]

    def reopen(self) -> Database:
        """A second, independent connection to the same database file (SQLite kinds only)."""
        assert self.path is not None
        return open_database(self.path, self.key, create=False)


def make_stores(kind: str, tmp_path: Path) -> Stores:
    clock = FixedClock()
    ids = SequentialIds("r")
    if kind == "memory":
        outbox = MemoryOutboxStore(clock=clock)
        directory = MemoryDirectoryStore(clock=clock, ids=ids)
        return Stores(
            kind,
            MemoryConversationStore(clock=clock, ids=ids, outbox=outbox),
            directory,
            MemoryAuditLog(clock=clock),
            clock,
            outbox=outbox,
            inbox=MemoryInboxStore(clock=clock, ids=ids, outbox=outbox, directory=directory),
        )
    key = generate_key_file(tmp_path / "db.key") if kind == "sqlcipher" else None
    path = tmp_path / "companion.db"
    db = init_database(path, key)
    return Stores(
        kind,
        SqliteConversationStore(db, clock=clock, ids=ids),
        SqliteDirectoryStore(db, clock=clock, ids=ids),
        SqliteAuditLog(db, clock=clock),
        clock,
        db,
        path,
        key,
        outbox=SqliteOutboxStore(db, clock=clock),
        inbox=SqliteInboxStore(db, clock=clock, ids=ids),
    )
