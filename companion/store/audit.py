"""The hash-chained audit log in SQLite: rows are only ever inserted."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from companion.flows.ports import Clock
from companion.ports import AuditEntry
from companion.store.converters import from_row
from companion.store.database import write_transaction
from companion.store.records import GENESIS_HASH, canonical_json, chain_hash, utc_text, verify_chain


class SqliteAuditLog:
    """``AuditLog`` on a migrated database."""

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def append(self, actor: str, action: str, subject: str, details: Mapping[str, Any]) -> None:
        """Add one entry linked to the last; the write lock keeps two writers from forking it."""
        text = canonical_json(dict(details))
        at = utc_text(self.clock.now())
        with write_transaction(self.db):
            last = self.db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
            prev_hash = last[0] if last else GENESIS_HASH
            # AUTOINCREMENT's counter never goes back, so a deleted last entry leaves a gap
            # that ``verify`` reports once anything is appended after it.
            counter = self.db.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'"
            ).fetchone()
            entry_id = (counter[0] if counter else 0) + 1
            digest = chain_hash(
                prev_hash,
                entry_id=entry_id,
                at=at,
                actor=actor,
                action=action,
                subject=subject,
                details=json.loads(text),
            )
            self.db.execute(
                "INSERT INTO audit_log (id, at, actor, action, subject, details, prev_hash, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [entry_id, at, actor, action, subject, text, prev_hash, digest],
            )

    def entries(self) -> list[AuditEntry]:
        return [
            from_row(AuditEntry, row, {"details"})
            for row in self.db.query("SELECT * FROM audit_log ORDER BY id")
        ]

    def verify(self) -> list[str]:
        """Problems in the chain: edited, deleted or unreadable entries (empty when intact)."""
        entries: list[AuditEntry] = []
        problems: list[str] = []
        for row in self.db.query("SELECT * FROM audit_log ORDER BY id"):
            try:
                entries.append(from_row(AuditEntry, row, {"details"}))
            except (ValueError, ValidationError) as error:
                first = str(error).splitlines()[0]
                problems.append(f"entry {row['id']}: unreadable ({first})")
        problems += verify_chain(entries)
        # The chain cannot show that its newest entries were cut off; AUTOINCREMENT's counter
        # remembers the highest id ever given, so a removed tail shows as a gap here.
        counter = self.db.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'"
        ).fetchone()
        last_id = max((e.id for e in entries), default=0)
        if counter and counter[0] > last_id:
            gap = f"{last_id + 1}" if counter[0] == last_id + 1 else f"{last_id + 1}-{counter[0]}"
            problems.append(f"entry {gap} is missing (deleted?)")
        return problems
