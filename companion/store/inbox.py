"""Messages between meetings, held inputs and assignments, in SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlite_utils import Database

from companion.flows.ports import Clock, IdFactory
from companion.ports import Assignment, Direction, InboxMessage, OutboxEntry, UnknownReference
from companion.store.converters import from_row, to_row
from companion.store.database import INTEGRITY_ERRORS
from companion.store.outbox import write_delivery
from companion.store.records import utc_text


class SqliteInboxStore:
    """``InboxStore`` on a migrated database."""

    def __init__(self, db: Database, *, clock: Clock, ids: IdFactory) -> None:
        self.db = db
        self.clock = clock
        self.ids = ids

    def add_message(
        self,
        case_id: str,
        participant_id: str | None,
        direction: Direction,
        text: str,
        *,
        author: str | None = None,
        input_key: str | None = None,
        outbox: Sequence[OutboxEntry] = (),
        message_id: str | None = None,
    ) -> InboxMessage:
        now = self.clock.now()
        message = InboxMessage(
            id=message_id or self.ids.new_id(),
            case_id=case_id,
            participant_id=participant_id,
            direction=direction,
            text=text,
            at=now,
            author=author,
        )
        with self.db.atomic():
            write_delivery(self.db, now, input_key, outbox)
            try:
                self.db.table("messages").insert(to_row(message))
            except INTEGRITY_ERRORS as error:
                raise UnknownReference(f"no such case or participant ({error})") from None
        return message

    def messages_for(self, participant_id: str) -> list[InboxMessage]:
        return self._messages("participant_id = ?", [participant_id])

    def messages_in_case(self, case_id: str) -> list[InboxMessage]:
        return self._messages("case_id = ?", [case_id])

    def mark_delivered(self, message_id: str) -> None:
        self.db.execute(
            "UPDATE messages SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL",
            [utc_text(self.clock.now()), message_id],
        )

    def mark_read(self, message_id: str) -> None:
        self.db.execute(
            "UPDATE messages SET read_at = ? WHERE id = ? AND read_at IS NULL",
            [utc_text(self.clock.now()), message_id],
        )

    def hold(
        self,
        hold_id: str,
        participant_id: str,
        session_id: str,
        text: str,
        *,
        input_key: str | None = None,
        outbox: Sequence[OutboxEntry] = (),
    ) -> None:
        now = self.clock.now()
        with self.db.atomic():
            write_delivery(self.db, now, input_key, outbox)
            self.db.execute(
                "INSERT INTO held_inputs (id, participant_id, session_id, text, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [hold_id, participant_id, session_id, text, utc_text(now)],
            )
            # A held text nobody resolved within a day is not kept.
            self.db.execute(
                "DELETE FROM held_inputs WHERE created_at < ?",
                [utc_text(now - timedelta(days=1))],
            )

    def take_held(self, hold_id: str, participant_id: str) -> tuple[str, str] | None:
        with self.db.atomic():
            row = self.db.execute(
                "SELECT session_id, text FROM held_inputs WHERE id = ? AND participant_id = ?",
                [hold_id, participant_id],
            ).fetchone()
            if row is None:
                return None
            self.db.execute("DELETE FROM held_inputs WHERE id = ?", [hold_id])
        return str(row[0]), str(row[1])

    def open_assignments(self, participant_id: str) -> list[Assignment]:
        rows = self.db.table("assignments").rows_where(
            "participant_id = ? AND status = 'open'", [participant_id], order_by="assigned_at, id"
        )
        return [from_row(Assignment, row) for row in rows]

    def _messages(self, where: str, params: list[Any]) -> list[InboxMessage]:
        rows = self.db.table("messages").rows_where(where, params, order_by="at, rowid")
        return [from_row(InboxMessage, row) for row in rows]
