"""``companion db init|migrate|status|keygen|rekey|backup``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sqlite_utils import Database

from companion.config import Settings
from companion.services import open_db
from companion.store.keys import generate_key_file, read_key_file, rekey
from companion.store.migrations import migrate, pending


def _open(settings: Settings, *, create: bool) -> Database:
    db: Database = open_db(settings, create=create, check_migrations=False)
    return db


def _audit(db: Database, action: str, subject: str, details: dict[str, object]) -> None:
    """An entry in the database's own audit log, under the operating-system user."""
    from companion.admin_cli import operator
    from companion.store.audit import SqliteAuditLog
    from companion.system import SystemClock

    SqliteAuditLog(db, clock=SystemClock()).append(operator(), action, subject, details)


def run_db(args: argparse.Namespace, settings: Settings) -> int:
    state = "encrypted" if settings.key else "NOT encrypted"
    if args.action == "keygen":
        if args.path is None:
            print("companion: keygen needs a PATH for the new key file", file=sys.stderr)
            return 2
        generate_key_file(Path(args.path))
        print(f"wrote a new key to {args.path} (mode 0600); set COMPANION_DB_KEY_FILE={args.path}")
        return 0
    if args.action in ("init", "migrate"):
        applied = migrate(_open(settings, create=args.action == "init"))
        names = ", ".join(applied) if applied else "none (up to date)"
        print(f"{settings.db_path} ({state}): migrations applied: {names}")
        return 0
    if args.action == "backup":
        return _backup(args, settings)
    db = _open(settings, create=False)
    if args.action == "status":
        waiting = ", ".join(pending(db)) or "none"
        print(f"{settings.db_path} ({state}): pending migrations: {waiting}")
        return 0
    new_key = os.environ.get("COMPANION_NEW_DB_KEY")
    if not new_key:
        print("companion: set COMPANION_NEW_DB_KEY to the new key to rekey", file=sys.stderr)
        return 2
    rekey(db, new_key)
    _audit(db, "db.rekeyed", "database", {})
    print(f"{settings.db_path}: rekeyed; use the new key from now on")
    return 0


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    """An encrypted copy under the database's key, or the key in ``--key-file``; audited."""
    from companion.store.backup import backup_database

    if args.path is None:
        print("companion: backup needs a PATH for the copy", file=sys.stderr)
        return 2
    key = read_key_file(args.key_file) if args.key_file else settings.key
    if key is None:
        print(
            "companion: the database is not encrypted, and a backup never is plaintext: "
            "give --key-file KEYFILE (make one with `companion db keygen`)",
            file=sys.stderr,
        )
        return 2
    db = _open(settings, create=False)  # refuses plaintext outside demo/allowed, as always
    tables = backup_database(settings.db_path, settings.key, Path(args.path), key)
    _audit(db, "db.backup", Path(args.path).name, {"tables": tables, "own_key": not args.key_file})
    which = f"the key in {args.key_file}" if args.key_file else "the database key"
    print(f"wrote an encrypted backup to {args.path} (mode 0600, {tables} tables, {which})")
    return 0
