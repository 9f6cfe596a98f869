"""``companion db init|migrate|status|keygen|rekey``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sqlite_utils import Database

from companion.config import Settings
from companion.services import open_db
from companion.store.keys import generate_key_file, rekey
from companion.store.migrations import migrate, pending


def _open(settings: Settings, *, create: bool) -> Database:
    db: Database = open_db(settings, create=create, check_migrations=False)
    return db


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
    print(f"{settings.db_path}: rekeyed; use the new key from now on")
    return 0
