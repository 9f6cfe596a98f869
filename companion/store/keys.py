"""Where the database key comes from (environment or a 0600 key file), and changing it."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from sqlite_utils import Database

from companion.store.database import DatabaseOpenError, is_encrypted, key_statement

KEY_ENV = "COMPANION_DB_KEY"
KEY_FILE_ENV = "COMPANION_DB_KEY_FILE"


class KeyFileError(DatabaseOpenError):
    """The key file is missing, empty, too open or already exists."""


def resolve_key(env: Mapping[str, str], key_file: Path | None = None) -> str | None:
    """The key from ``COMPANION_DB_KEY``, else from ``COMPANION_DB_KEY_FILE`` or ``key_file``.

    The environment wins over the ``key_file`` argument (a configured default), as usual for
    settings. None means "no encryption".
    """
    if env.get(KEY_ENV):
        return env[KEY_ENV]
    named = env.get(KEY_FILE_ENV)
    path = Path(named) if named else key_file
    return None if path is None else read_key_file(path)


def read_key_file(path: Path) -> str:
    """The key in ``path``, which only its owner may read (0600 or stricter)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise KeyFileError(f"key file {path} does not exist") from None
    # Anyone else able to read the key can read every conversation in the database.
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"key file {path} can be read by others (mode {stat.S_IMODE(mode):04o}); "
            f"run: chmod 600 {path}"
        )
    try:
        key = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise KeyFileError(f"cannot read key file {path}: {error}") from None
    if not key:
        raise KeyFileError(f"key file {path} is empty")
    return key


def generate_key_file(path: Path) -> str:
    """Write a new random raw key (64 hex characters) to ``path``, mode 0600; never overwrite."""
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"key file {path} already exists; not overwriting it") from None
    except OSError as error:
        raise KeyFileError(f"cannot create key file {path}: {error.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(key + "\n")
    return key


def rekey(db: Database, new_key: str) -> None:
    """Re-encrypt an open SQLCipher database with ``new_key``; the old key stops working."""
    if not is_encrypted(db):
        raise DatabaseOpenError("cannot rekey: this database is not encrypted")
    # Fold the WAL into the main file first, so every page is rewritten under the new key.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.execute(key_statement("rekey", new_key))
