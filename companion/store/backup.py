"""Encrypted backups: a consistent SQLCipher copy of the live database, never a plaintext one.

``sqlcipher_export`` copies schema and rows into an attached database encrypted with the backup's
key, inside one read transaction, so the copy is consistent while the bot keeps writing. The file
is created first with mode 0600 and ``O_EXCL``: an existing file is never overwritten, and no one
else on the host can read the copy even for a moment.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from companion.store.database import DB_ERRORS, DatabaseOpenError, key_statement


class BackupError(DatabaseOpenError):
    """The backup could not be written; the message is one line for a person."""


def _attach_key(key: str) -> str:
    """The ATTACH ... KEY value: raw 64-hex keys as ``x'…'`` (as ``key_statement`` does)."""
    statement = key_statement("key", key)  # validates; reuse its raw/passphrase rule
    return statement.split(" = ", 1)[1]


def backup_database(source: Path, source_key: str | None, target: Path, target_key: str) -> int:
    """Copy ``source`` to a new file ``target`` encrypted with ``target_key``; the tables copied.

    Raise ``BackupError`` if ``target`` exists or cannot be written; a half-written copy is
    removed. The caller has opened ``source`` with ``source_key`` already (``open_db``), which
    gives the usual clear errors for a wrong key or a file that is not a database.
    """
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{target} already exists; not overwriting it") from None
    except OSError as error:
        raise BackupError(f"cannot create {target}: {(error.strerror or '').lower()}") from None
    os.close(fd)
    conn = sqlcipher.connect(str(source), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if source_key is not None:
            conn.execute(key_statement("key", source_key))
        # The path and key are literals because ATTACH ... KEY takes no bound key; both are
        # quoted the SQL way (the key by ``key_statement``'s rule).
        path_literal = "'" + str(target).replace("'", "''") + "'"
        conn.execute(f"ATTACH DATABASE {path_literal} AS backup KEY {_attach_key(target_key)}")
        conn.execute("BEGIN")
        conn.execute("SELECT sqlcipher_export('backup')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA backup.user_version = {int(version)}")
        conn.execute("COMMIT")
        tables = conn.execute(
            "SELECT count(*) FROM backup.sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
        conn.execute("DETACH DATABASE backup")
    except DB_ERRORS as error:
        conn.close()
        target.unlink(missing_ok=True)
        raise BackupError(f"cannot write the backup {target}: {error}") from None
    conn.close()
    return int(tables)
