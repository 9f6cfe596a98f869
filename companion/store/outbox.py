"""The transactional outbox, processed-input keys and rate-limit counters, in SQLite.

``write_delivery`` is the piece every adapter method that takes ``input_key``/``outbox`` calls
inside its own transaction, so the cause (an answer, a message) and its replies commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlite_utils import Database

from companion.flows.ports import Clock
from companion.ports import DuplicateInput, OutboxEntry, OutboxItem
from companion.store.converters import from_row, to_json
from companion.store.database import INTEGRITY_ERRORS, write_transaction
from companion.store.records import utc_text


def write_delivery(
    db: Database, at: datetime, input_key: str | None, entries: Sequence[OutboxEntry]
) -> None:
    """Mark ``input_key`` processed and insert ``entries``; call inside a transaction."""
    if input_key is not None:
        try:
            db.execute(
                "INSERT INTO processed_inputs (key, at) VALUES (?, ?)", [input_key, utc_text(at)]
            )
        except INTEGRITY_ERRORS:
            raise DuplicateInput(f"input {input_key} was processed before") from None
    for entry in entries:
        db.execute(
            "INSERT INTO outbox (channel, chat_id, kind, payload, participant_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                entry.channel,
                entry.chat_id,
                entry.kind,
                to_json(entry.payload),
                entry.participant_id,
                utc_text(at),
            ],
        )


class SqliteOutboxStore:
    """``OutboxStore`` on a migrated database."""

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def enqueue(self, entries: Sequence[OutboxEntry], *, input_key: str | None = None) -> None:
        with self.db.atomic():
            write_delivery(self.db, self.clock.now(), input_key, entries)

    def processed(self, input_key: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM processed_inputs WHERE key = ?", [input_key]
        ).fetchone()
        return row is not None

    def pending(self, channel: str, limit: int = 100, *, after: int = 0) -> list[OutboxItem]:
        return self._items("channel = ? AND status = 'pending' AND id > ?", [channel, after], limit)

    def items(self, channel: str | None = None) -> list[OutboxItem]:
        if channel is None:
            return self._items("1", [], None)
        return self._items("channel = ?", [channel], None)

    def mark_progress(self, item_id: int, progress: int, message_id: int | None = None) -> None:
        self.db.execute(
            "UPDATE outbox SET progress = ?, message_id = coalesce(?, message_id) WHERE id = ?",
            [progress, message_id, item_id],
        )

    def mark_sent(self, item_id: int) -> None:
        self.db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, payload = '{}', error = NULL "
            "WHERE id = ?",
            [utc_text(self.clock.now()), item_id],
        )

    def mark_all_sent(self, sent: Sequence[tuple[int, int, int | None]]) -> None:
        if not sent:
            return
        at = utc_text(self.clock.now())
        with self.db.atomic():
            self.db.conn.executemany(
                "UPDATE outbox SET status = 'sent', sent_at = ?, payload = '{}', error = NULL, "
                "progress = ?, message_id = coalesce(?, message_id) WHERE id = ?",
                [(at, progress, message_id, item_id) for item_id, progress, message_id in sent],
            )

    def mark_retry(self, item_id: int, error: str, not_before: datetime) -> None:
        self.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, error = ?, not_before = ? WHERE id = ?",
            [error, utc_text(not_before), item_id],
        )

    def mark_failed(self, item_id: int, error: str) -> None:
        self.db.execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, error = ?, "
            "payload = '{}' WHERE id = ?",
            [error, item_id],
        )

    def fail_pending(self, channel: str, chat_id: str, error: str) -> int:
        cursor = self.db.execute(
            "UPDATE outbox SET status = 'failed', error = ?, payload = '{}' "
            "WHERE channel = ? AND chat_id = ? AND status = 'pending'",
            [error, channel, chat_id],
        )
        return int(cursor.rowcount)

    def first_enqueued(self, channel: str, chat_id: str, since: datetime) -> list[OutboxItem]:
        # One write gives all its rows the same created_at (``write_delivery``).
        return self._items(
            "channel = ? AND chat_id = ? AND created_at = (SELECT min(created_at) FROM outbox "
            "WHERE channel = ? AND chat_id = ? AND created_at >= ?)",
            [channel, chat_id, channel, chat_id, utc_text(since)],
            None,
        )

    def hit(self, key: str, window: timedelta) -> int:
        now = self.clock.now()
        with write_transaction(self.db):
            row = self.db.execute(
                "SELECT window_start, count FROM rate_limits WHERE key = ?", [key]
            ).fetchone()
            if row is None or row[0] <= utc_text(now - window):
                count = 1
                self.db.execute(
                    "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1) "
                    "ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, "
                    "count = 1",
                    [key, utc_text(now)],
                )
            else:
                count = int(row[1]) + 1
                self.db.execute("UPDATE rate_limits SET count = ? WHERE key = ?", [count, key])
            # Old counters say nothing useful; keep the table small.
            self.db.execute(
                "DELETE FROM rate_limits WHERE window_start <= ?",
                [utc_text(now - max(window, timedelta(days=1)))],
            )
        return count

    def _items(self, where: str, params: list[object], limit: int | None) -> list[OutboxItem]:
        # Plain SQL: sqlite-utils' rows_where() inspects the schema on every call (hot path).
        sql = f"SELECT * FROM outbox WHERE {where} ORDER BY id"  # noqa: S608 - fixed clauses
        if limit is not None:
            sql, params = f"{sql} LIMIT ?", [*params, limit]
        cursor = self.db.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [
            from_row(OutboxItem, dict(zip(names, row, strict=True)), {"payload"})
            for row in cursor.fetchall()
        ]
