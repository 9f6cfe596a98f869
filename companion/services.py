"""The shared composition root: settings in, wired services out (G4).

Front ends (CLI, bot, TUI) call ``build_services(settings)`` and get real adapters; tests pass
their own clock, ids or stores. Nothing here runs at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.config import Settings
from companion.content import Content, load_content
from companion.conversations import Conversations
from companion.flows import Engine
from companion.flows.ports import Clock, IdFactory, Localizer
from companion.ports import AuditLog, ConversationStore, DirectoryStore
from companion.store.database import DatabaseOpenError, open_database
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


def make_localizer(content: Content) -> Localizer:
    from companion.i18n.localizer import BabelLocalizer

    shipped, *packs = content.locales_dirs or (content.dirs[0] / "locales",)
    return BabelLocalizer(shipped, extra_dirs=tuple(packs))


def open_db(settings: Settings, *, create: bool = True, migrate_now: bool = False) -> Any:
    """Open the configured database, refusing plaintext unless allowed; check migrations."""
    if settings.key is None and not (settings.allow_plaintext or settings.demo):
        raise DatabaseOpenError(PLAINTEXT_REFUSED)
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(settings.db_path, settings.key, create=create)
    if migrate_now:
        migrate(db)
    elif pending(db):
        raise UnmigratedDatabase(
            f"{settings.db_path} needs migrations ({', '.join(pending(db))}): "
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
