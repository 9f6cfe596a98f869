"""SQLite (optionally SQLCipher-encrypted) adapters for the storage ports in ``companion.ports``."""

from companion.store.audit import SqliteAuditLog
from companion.store.conversations import SqliteConversationStore
from companion.store.database import DatabaseOpenError, open_database
from companion.store.directory import SqliteDirectoryStore
from companion.store.keys import KeyFileError, generate_key_file, rekey, resolve_key
from companion.store.migrations import init_database, migrate, pending

__all__ = [
    "DatabaseOpenError",
    "KeyFileError",
    "SqliteAuditLog",
    "SqliteConversationStore",
    "SqliteDirectoryStore",
    "generate_key_file",
    "init_database",
    "migrate",
    "open_database",
    "pending",
    "rekey",
    "resolve_key",
]
