"""The shared composition root: settings in, wired services out (G4).

Front ends (CLI, bot, TUI) call ``build_services(settings)`` and get real adapters; tests pass
their own clock, ids or stores. Nothing here runs at import time.
"""

from __future__ import annotations

import hashlib
import hmac
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from companion.channels import ChannelFlows
from companion.config import Settings
from companion.content import Content, load_content
from companion.conversations import Conversations
from companion.flows import Engine
from companion.flows.ports import Clock, IdFactory, Localizer
from companion.inbox import Inbox, OfficeHours
from companion.invites import Invites
from companion.ports import (
    AuditLog,
    ConversationStore,
    DirectoryStore,
    InboxStore,
    NoteStore,
    OutboxStore,
)
from companion.store.database import DatabaseOpenError, open_database, write_transaction
from companion.store.migrations import migrate, pending
from companion.system import RandomIds, SystemClock

PLAINTEXT_REFUSED = (
    "no encryption key configured: set COMPANION_DB_KEY or COMPANION_DB_KEY_FILE "
    "(COMPANION_ALLOW_PLAINTEXT=1 allows an unencrypted database for throwaway tests)"
)


class UnmigratedDatabase(DatabaseOpenError):
    pass


@dataclass
class Services:
    settings: Settings
    content: Content
    engine: Engine
    conversations: ConversationStore
    directory: DirectoryStore
    audit: AuditLog
    flows: Conversations
    clock: Clock
    ids: IdFactory
    db: Any
    outbox: OutboxStore
    inbox_store: InboxStore
    secret: bytes
    """Signs buttons and keys rate-limit counters (see ``bot_secret``)."""
    notes: NoteStore

    @property
    def localizer(self) -> Localizer:
        return self.engine.localizer

    @property
    def channel_flows(self) -> ChannelFlows:
        return ChannelFlows(self.flows)

    @property
    def invites(self) -> Invites:
        return Invites(self.directory, self.audit, self.outbox, self.clock, self.secret)

    @property
    def inbox(self) -> Inbox:
        hours = OfficeHours.parse(self.settings.office_hours, self.settings.timezone)
        return Inbox(
            self.inbox_store,
            self.directory,
            self.audit,
            self.localizer,
            self.clock,
            self.ids,
            hours,
        )

    def atomic(self) -> AbstractContextManager[Any]:
        """One transaction around several store calls (nested calls become savepoints).

        The in-memory fakes have no transactions: there it only groups the calls."""
        return self.db.atomic() if self.db is not None else nullcontext()

    def write_transaction(self) -> AbstractContextManager[Any]:
        """Like ``atomic``, but takes the write lock up front (``BEGIN IMMEDIATE``): for work
        that reads before it writes, which a deferred transaction could not always upgrade
        once another process has committed (SQLite's «database is locked» at once)."""
        return write_transaction(self.db) if self.db is not None else nullcontext()

    def in_transaction(self) -> bool:
        """Whether a transaction is open (always True for the in-memory fakes, which have
        none to lose)."""
        return self.db is None or self.db.conn.in_transaction


def bot_secret(settings: Settings) -> bytes:
    """``COMPANION_BOT_SECRET``, else derived from the database key (never the bot token).

    Without either (a throwaway plaintext database) it is derived from the database path,
    which is not secret: fine for tests and the demo only.
    """
    if settings.bot_secret is not None:
        return settings.bot_secret.get_secret_value().encode()
    basis = settings.key or f"plaintext:{settings.db_path.resolve()}"
    return hmac.new(basis.encode(), b"companion/bot-secret/v1", hashlib.sha256).digest()


def make_localizer(content: Content) -> Localizer:
    from companion.i18n.localizer import BabelLocalizer

    shipped, *packs = content.locales_dirs or (content.dirs[0] / "locales",)
    return BabelLocalizer(shipped, extra_dirs=tuple(packs))


def open_db(
    settings: Settings,
    *,
    create: bool = True,
    migrate_now: bool = False,
    check_migrations: bool = True,
) -> Any:
    """Open the configured database, refusing plaintext unless allowed; check migrations."""
    if settings.key is None and not (settings.allow_plaintext or settings.demo):
        raise DatabaseOpenError(PLAINTEXT_REFUSED)
    if create:
        settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(settings.db_path, settings.key, create=create)
    if migrate_now:
        migrate(db)
    elif check_migrations and (waiting := pending(db)):
        raise UnmigratedDatabase(
            f"{settings.db_path} needs migrations ({', '.join(waiting)}): "
            "run `companion db migrate`"
        )
    return db


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    ids: IdFactory | None = None,
    content: Content | None = None,
    migrate_now: bool = False,
) -> Services:
    from companion.store.audit import SqliteAuditLog
    from companion.store.conversations import SqliteConversationStore
    from companion.store.directory import SqliteDirectoryStore
    from companion.store.inbox import SqliteInboxStore
    from companion.store.notes import SqliteNoteStore
    from companion.store.outbox import SqliteOutboxStore

    clock = clock or SystemClock()
    ids = ids or RandomIds()
    content = content or load_content(settings.content_dirs)
    engine = Engine(
        content.flows,
        clock=clock,
        ids=ids,
        localizer=make_localizer(content),
        safety=content.safety,
    )
    db = open_db(settings, migrate_now=migrate_now)
    conversations = SqliteConversationStore(db, clock=clock, ids=ids)
    return Services(
        outbox=SqliteOutboxStore(db, clock=clock),
        inbox_store=SqliteInboxStore(db, clock=clock, ids=ids),
        notes=SqliteNoteStore(db, clock=clock, ids=ids),
        secret=bot_secret(settings),
        settings=settings,
        content=content,
        engine=engine,
        conversations=conversations,
        directory=SqliteDirectoryStore(db, clock=clock, ids=ids),
        audit=SqliteAuditLog(db, clock=clock),
        flows=Conversations(engine, conversations),
        clock=clock,
        ids=ids,
        db=db,
    )


def memory_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    ids: IdFactory | None = None,
    content: Content | None = None,
) -> Services:
    """Services on the in-memory fakes (tests and quick experiments; nothing persists)."""
    from companion.memory_store import (
        MemoryAuditLog,
        MemoryConversationStore,
        MemoryDirectoryStore,
        MemoryInboxStore,
        MemoryNoteStore,
        MemoryOutboxStore,
    )

    clock = clock or SystemClock()
    ids = ids or RandomIds()
    content = content or load_content(settings.content_dirs)
    engine = Engine(
        content.flows,
        clock=clock,
        ids=ids,
        localizer=make_localizer(content),
        safety=content.safety,
    )
    outbox = MemoryOutboxStore(clock=clock)
    directory = MemoryDirectoryStore(clock=clock, ids=ids)
    conversations = MemoryConversationStore(clock=clock, ids=ids, outbox=outbox)
    return Services(
        settings=settings,
        content=content,
        engine=engine,
        conversations=conversations,
        directory=directory,
        audit=MemoryAuditLog(clock=clock),
        flows=Conversations(engine, conversations),
        clock=clock,
        ids=ids,
        db=None,
        outbox=outbox,
        inbox_store=MemoryInboxStore(clock=clock, ids=ids, outbox=outbox, directory=directory),
        notes=MemoryNoteStore(clock=clock, ids=ids, directory=directory),
        secret=bot_secret(settings),
    )
