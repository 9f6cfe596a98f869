"""Opening the database: plain SQLite, or SQLCipher when a key is given, with one-line errors."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlcipher3 import dbapi2 as sqlcipher
from sqlite_utils import Database

SQLITE_HEADER = b"SQLite format 3\x00"
HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")
ENV_HINT = "set COMPANION_DB_KEY or COMPANION_DB_KEY_FILE"

DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)
"""The two drivers raise unrelated exception classes; catch both."""
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError, sqlcipher.IntegrityError)
SQLITE_FULL = 13


def is_disk_full(error: BaseException) -> bool:
    """SQLite could not write because the disk (or ``max_page_count``) is full: SQLITE_FULL.
    The transaction was rolled back; writing again once there is room works."""
    if not isinstance(error, DB_ERRORS):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    return code == SQLITE_FULL or "database or disk is full" in str(error).lower()


def is_unavailable(error: BaseException) -> bool:
    """The database cannot be used right now (locked past the busy timeout, an I/O error, a
    file that went away or is not readable), as opposed to a statement that is wrong
    (integrity, programming errors): trying the same work again later may well succeed."""
    if isinstance(error, INTEGRITY_ERRORS) or is_disk_full(error):
        return False
    operational = (sqlite3.OperationalError, sqlcipher.OperationalError)
    plain = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
    return isinstance(error, operational) or type(error) in plain


class DatabaseOpenError(Exception):
    """The database cannot be opened; the message is one line meant for a person."""


class DatabaseMissing(DatabaseOpenError):
    pass


class NotADatabase(DatabaseOpenError):
    pass


class WrongKey(DatabaseOpenError):
    pass


class KeyRequired(DatabaseOpenError):
    """The file is encrypted but no key was given."""


class NotEncrypted(DatabaseOpenError):
    """A key was given but the file is plain SQLite."""


def key_statement(pragma: str, key: str) -> str:
    """``PRAGMA key``/``rekey`` text: a 64-hex key is used raw (no slow KDF), else a passphrase."""
    if not key or "\x00" in key:
        raise DatabaseOpenError("the database key is empty or contains a NUL character")
    if HEX_KEY.fullmatch(key):
        return f"PRAGMA {pragma} = \"x'{key}'\""
    escaped = key.replace("'", "''")
    return f"PRAGMA {pragma} = '{escaped}'"


def open_database(path: str | Path, key: str | None, *, create: bool = True) -> Database:
    """Open (or create) the database at ``path``, encrypted with SQLCipher when ``key`` is set."""
    path = Path(path)
    header = _sniff(path, create)
    if key is not None and header == SQLITE_HEADER:
        raise NotEncrypted(
            f"cannot open {path}: the file is not encrypted, but a database key is set"
        )
    if key is None and header and header != SQLITE_HEADER:
        if _looks_encrypted(path):
            raise KeyRequired(f"cannot open {path}: the database is encrypted: {ENV_HINT}")
        raise NotADatabase(f"cannot open {path}: the file is not a database")
    if not header and not path.exists():
        _create_private(path)
    conn = _connect(path, key)
    try:
        db = Database(cast(sqlite3.Connection, conn))
        db.enable_wal()
        # busy_timeout: concurrent writers wait instead of failing with "database is locked";
        # secure_delete: deleted text (sent outbox payloads, erased people) is overwritten with
        # zeros, not left in free space.
        pragmas = ("busy_timeout=5000", "synchronous=NORMAL", "foreign_keys=ON", "secure_delete=ON")
        for pragma in pragmas:
            db.execute(f"PRAGMA {pragma}")
    except DB_ERRORS as error:
        conn.close()
        raise DatabaseOpenError(f"cannot open {path}: {error}") from None
    return db


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """Like ``db.atomic()``, but takes the write lock up front (``BEGIN IMMEDIATE``).

    For read-then-write work: a plain ``BEGIN`` reads a snapshot that a concurrent writer can
    make stale, and the later write then fails instead of waiting for its turn.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.rollback()
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def is_encrypted(db: Database) -> bool:
    """Whether ``db`` was opened through SQLCipher (with a key)."""
    return isinstance(db.conn, sqlcipher.Connection)


def _sniff(path: Path, create: bool) -> bytes:
    """The first 16 bytes of the file (empty for a new file), or a clear error."""
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        if not create:
            raise DatabaseMissing(f"cannot open {path}: the file does not exist") from None
        if not path.parent.is_dir():
            raise DatabaseMissing(
                f"cannot open {path}: the folder {path.parent} does not exist"
            ) from None
        return b""
    except IsADirectoryError:
        raise NotADatabase(f"cannot open {path}: it is a folder, not a database") from None
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise DatabaseOpenError(f"cannot open {path}: {reason}") from None


def _create_private(path: Path) -> None:
    """Create the new database file with mode 0600 (SQLite gives its -wal and -shm files the
    same mode), so other accounts on the host cannot even copy the encrypted pages."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise DatabaseOpenError(f"cannot create {path}: {reason}") from None


def _looks_encrypted(path: Path) -> bool:
    """SQLCipher files are whole pages of random-looking bytes; other files rarely are."""
    size = path.stat().st_size
    return size >= 512 and size % 512 == 0


def _connect(path: Path, key: str | None) -> Any:
    """A DB-API connection that has proved it can read the schema."""
    try:
        if key is None:
            conn: Any = sqlite3.connect(str(path), check_same_thread=False)
        else:
            conn = sqlcipher.connect(str(path), check_same_thread=False)
            # Silences SQLCipher's HMAC warnings on stderr when a key is wrong.
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(key_statement("key", key))
    except DB_ERRORS as error:
        raise DatabaseOpenError(f"cannot open {path}: {error}") from None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DB_ERRORS:
        conn.close()
        if key is not None and _looks_encrypted(path):
            raise WrongKey(
                f"cannot open {path}: the encryption key does not match this database"
            ) from None
        raise NotADatabase(f"cannot open {path}: the file is not a database") from None
    return conn
