"""Courses, meetings, assignments, reminders and the dispatcher's lease, in SQLite.

Due times are indexed text (fixed-width UTC), so «what is due» is one range scan of the index
``reminders_due (status, due_at)``: its cost grows with what is due, not with what is scheduled.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlite_utils import Database

from companion.flows.ports import Clock, IdFactory
from companion.ports import (
    Assignment,
    Course,
    Lease,
    Meeting,
    NewReminder,
    Reminder,
    ReminderDelivery,
    ReminderSettings,
    ReminderStatus,
    UnknownReference,
)
from companion.store.converters import from_row, to_row
from companion.store.database import INTEGRITY_ERRORS, write_transaction
from companion.store.records import utc_text

M = TypeVar("M", bound=BaseModel)
_REMINDER_COLUMNS = (
    "id, participant_id, kind, due_at, payload, status, idempotency_key, created_at, "
    "not_after, assignment_id, meeting_id, session_id, note, handled_at"
)


class SqliteReminderStore:
    """``ReminderStore`` on a migrated database (shares ``db`` with the other stores, so one
    ``transaction()`` covers the outbox and the conversation store too)."""

    def __init__(self, db: Database, *, clock: Clock, ids: IdFactory) -> None:
        self.db = db
        self.clock = clock
        self.ids = ids

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with write_transaction(self.db):
            yield

    # --- settings -----------------------------------------------------------------------------

    def reminder_settings(self, participant_id: str) -> ReminderSettings:
        rows = list(
            self.db.table("reminder_settings").rows_where("participant_id = ?", [participant_id])
        )
        if not rows:
            return ReminderSettings(participant_id=participant_id)
        return from_row(ReminderSettings, rows[0])

    def set_reminder_settings(self, settings: ReminderSettings) -> ReminderSettings:
        stored = settings.model_copy(update={"updated_at": self.clock.now()})
        try:
            self.db.table("reminder_settings").insert(to_row(stored), replace=True)
        except INTEGRITY_ERRORS:
            raise UnknownReference(f"no such participant {settings.participant_id}") from None
        return stored

    # --- courses and meetings -----------------------------------------------------------------

    def add_course(
        self, case_id: str, participant_id: str, pathway: str, created_by: str
    ) -> Course:
        course = Course(
            id=self.ids.new_id(),
            case_id=case_id,
            participant_id=participant_id,
            pathway=pathway,
            created_by=created_by,
            created_at=self.clock.now(),
        )
        self._insert("courses", to_row(course), "case or participant")
        return course

    def get_course(self, course_id: str) -> Course | None:
        return self._one(Course, "courses", "id = ?", [course_id])

    def courses_for(self, participant_id: str) -> list[Course]:
        rows = self.db.table("courses").rows_where(
            "participant_id = ?", [participant_id], order_by="created_at, id"
        )
        return [from_row(Course, row) for row in rows]

    def add_meeting(
        self,
        case_id: str,
        participant_id: str | None,
        starts_at: datetime,
        *,
        course_id: str | None = None,
        meeting_no: int | None = None,
        place: str | None = None,
    ) -> Meeting:
        meeting = Meeting(
            id=self.ids.new_id(),
            case_id=case_id,
            participant_id=participant_id,
            course_id=course_id,
            meeting_no=meeting_no,
            starts_at=starts_at,
            place=place,
            created_at=self.clock.now(),
        )
        with self.db.atomic():
            self._insert("meetings", to_row(meeting), "case, participant or course")
            self._refresh_next_meeting(case_id)
        return meeting

    def get_meeting(self, meeting_id: str) -> Meeting | None:
        return self._one(Meeting, "meetings", "id = ?", [meeting_id])

    def meetings_for(self, participant_id: str) -> list[Meeting]:
        rows = self.db.table("meetings").rows_where(
            "participant_id = ?", [participant_id], order_by="starts_at, id"
        )
        return [from_row(Meeting, row) for row in rows]

    def cancel_meeting(self, meeting_id: str) -> bool:
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE meetings SET status = 'cancelled' WHERE id = ? AND status = 'planned'",
                [meeting_id],
            )
            if cursor.rowcount != 1:
                return False
            self._cancel_where("meeting_id = ?", [meeting_id], "meeting_cancelled")
            row = self.db.execute("SELECT case_id FROM meetings WHERE id = ?", [meeting_id])
            self._refresh_next_meeting(str(row.fetchone()[0]))
        return True

    def _refresh_next_meeting(self, case_id: str) -> None:
        self.db.execute(
            "UPDATE cases SET next_meeting_at = (SELECT min(starts_at) FROM meetings "
            "WHERE case_id = ? AND status = 'planned' AND starts_at >= ?) WHERE id = ?",
            [case_id, utc_text(self.clock.now()), case_id],
        )

    # --- assignments --------------------------------------------------------------------------

    def add_assignment(
        self,
        case_id: str,
        participant_id: str,
        meeting_no: int,
        component: str,
        text: str,
        *,
        simpler_text: str | None = None,
        due_at: datetime | None = None,
        course_id: str | None = None,
        variant: str | None = None,
    ) -> Assignment:
        assignment = Assignment(
            id=self.ids.new_id(),
            case_id=case_id,
            participant_id=participant_id,
            meeting_no=meeting_no,
            component=component,
            text=text,
            simpler_text=simpler_text,
            assigned_at=self.clock.now(),
            due_at=due_at,
            course_id=course_id,
            variant=variant,
        )
        self._insert("assignments", to_row(assignment), "case, participant or course")
        return assignment

    def get_assignment(self, assignment_id: str) -> Assignment | None:
        return self._one(Assignment, "assignments", "id = ?", [assignment_id])

    def assignments_for(self, participant_id: str) -> list[Assignment]:
        rows = self.db.table("assignments").rows_where(
            "participant_id = ?", [participant_id], order_by="meeting_no, assigned_at, id"
        )
        return [from_row(Assignment, row) for row in rows]

    def assignment_for_session(self, session_id: str) -> Assignment | None:
        return self._one(Assignment, "assignments", "checkin_session_id = ?", [session_id])

    def link_checkin(self, assignment_id: str, session_id: str) -> None:
        self.db.execute(
            "UPDATE assignments SET checkin_session_id = ? WHERE id = ?",
            [session_id, assignment_id],
        )

    def close_assignment(self, assignment_id: str, status: str = "closed") -> bool:
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE assignments SET status = ? WHERE id = ? AND status = 'open'",
                [status, assignment_id],
            )
            if cursor.rowcount != 1:
                return False
            self._cancel_where("assignment_id = ?", [assignment_id], "assignment_closed")
        return True

    # --- reminders ----------------------------------------------------------------------------

    def schedule(self, reminders: Sequence[NewReminder]) -> list[Reminder]:
        now = utc_text(self.clock.now())
        keys = [r.idempotency_key for r in reminders]
        with self.db.atomic():
            rows = [
                {
                    **to_row(new, {"payload"}),
                    "id": self.ids.new_id(),
                    "status": "pending",
                    "created_at": now,
                }
                for new in reminders
            ]
            try:
                self.db.conn.executemany(
                    "INSERT OR IGNORE INTO reminders (id, participant_id, kind, due_at, payload, "
                    "status, idempotency_key, created_at, not_after, assignment_id, meeting_id) "
                    "VALUES (:id, :participant_id, :kind, :due_at, :payload, :status, "
                    ":idempotency_key, :created_at, :not_after, :assignment_id, :meeting_id)",
                    rows,
                )
            except INTEGRITY_ERRORS as error:
                raise UnknownReference(
                    f"no such participant, assignment or meeting ({error})"
                ) from None
            found = self._by_keys(keys)
        return [found[key] for key in keys]

    def _by_keys(self, keys: Sequence[str]) -> dict[str, Reminder]:
        found: dict[str, Reminder] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            for reminder in self._reminders(f"idempotency_key IN ({marks})", chunk):
                found[reminder.idempotency_key] = reminder
        return found

    def get_reminder(self, reminder_id: str) -> Reminder | None:
        found = self._reminders("id = ?", [reminder_id])
        return found[0] if found else None

    def reminders_for(
        self,
        participant_id: str | None = None,
        *,
        assignment_id: str | None = None,
        status: ReminderStatus | None = None,
    ) -> list[Reminder]:
        where, params = ["1"], []
        for column, value in (
            ("participant_id", participant_id),
            ("assignment_id", assignment_id),
            ("status", status),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        return self._reminders(" AND ".join(where), params, order="due_at, id")

    def due_reminders(self, now: datetime, limit: int = 100) -> list[Reminder]:
        return self._reminders(
            "status = 'pending' AND due_at <= ?", [utc_text(now)], order="due_at, id", limit=limit
        )

    def next_due(self) -> datetime | None:
        row = self.db.execute(
            "SELECT min(due_at) FROM reminders WHERE status = 'pending'"
        ).fetchone()
        return None if row is None or row[0] is None else datetime.fromisoformat(row[0])

    def finish(
        self,
        reminder_id: str,
        status: ReminderStatus,
        *,
        note: str | None = None,
        session_id: str | None = None,
    ) -> bool:
        now = utc_text(self.clock.now())
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE reminders SET status = ?, note = ?, session_id = coalesce(?, session_id), "
                "handled_at = ? WHERE id = ? AND status = 'pending'",
                [status, note, session_id, now, reminder_id],
            )
            if cursor.rowcount != 1:
                return False
            self._log(reminder_id, status, note, now)
        return True

    def defer(self, reminder_id: str, due_at: datetime, note: str) -> bool:
        now = utc_text(self.clock.now())
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE reminders SET due_at = ?, note = ? WHERE id = ? AND status = 'pending'",
                [utc_text(due_at), note, reminder_id],
            )
            if cursor.rowcount != 1:
                return False
            self._log(reminder_id, "deferred" if note != "rescheduled" else note, note, now)
        return True

    def deliveries_for(self, reminder_id: str) -> list[ReminderDelivery]:
        rows = self.db.execute(
            "SELECT id, reminder_id, attempt, sent_at, status, error FROM deliveries "
            "WHERE reminder_id = ? ORDER BY attempt",
            [reminder_id],
        ).fetchall()
        return [
            ReminderDelivery(
                id=r[0], reminder_id=r[1], attempt=r[2], at=r[3], status=r[4], note=r[5]
            )
            for r in rows
        ]

    def _log(self, reminder_id: str, status: str, note: str | None, at: str) -> None:
        self.db.execute(
            "INSERT INTO deliveries (id, reminder_id, attempt, sent_at, status, error) "
            "VALUES (?, ?, (SELECT coalesce(max(attempt), 0) + 1 FROM deliveries "
            "WHERE reminder_id = ?), ?, ?, ?)",
            [self.ids.new_id(), reminder_id, reminder_id, at, status, note],
        )

    def _cancel_where(self, where: str, params: list[Any], note: str) -> None:
        now = utc_text(self.clock.now())
        ids = [
            str(row[0])
            for row in self.db.execute(
                f"SELECT id FROM reminders WHERE status = 'pending' AND {where}",  # noqa: S608  # nosec B608  # module constants
                params,
            ).fetchall()
        ]
        for reminder_id in ids:
            self.db.execute(
                "UPDATE reminders SET status = 'cancelled', note = ?, handled_at = ? WHERE id = ?",
                [note, now, reminder_id],
            )
            self._log(reminder_id, "cancelled", note, now)

    def _reminders(
        self, where: str, params: list[Any], *, order: str = "id", limit: int | None = None
    ) -> list[Reminder]:
        # ``where`` and ``order`` are this module's own constants; values go in ``params``.
        sql = f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE {where} ORDER BY {order}"  # noqa: S608  # nosec B608  # module constants
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [
            from_row(Reminder, dict(zip(names, row, strict=True)), {"payload"})
            for row in cursor.fetchall()
        ]

    # --- the lease ----------------------------------------------------------------------------

    def acquire_lease(self, name: str, holder: str, ttl: timedelta) -> bool:
        now = self.clock.now()
        with write_transaction(self.db):
            row = self.db.execute(
                "SELECT holder, expires_at FROM leases WHERE name = ?", [name]
            ).fetchone()
            if row is not None and row[0] != holder and row[1] > utc_text(now):
                return False
            acquired = utc_text(now) if row is None or row[0] != holder else None
            self.db.execute(
                "INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                "acquired_at = coalesce(?, acquired_at), expires_at = excluded.expires_at",
                [name, holder, utc_text(now), utc_text(now + ttl), acquired],
            )
        return True

    def release_lease(self, name: str, holder: str) -> None:
        self.db.execute("DELETE FROM leases WHERE name = ? AND holder = ?", [name, holder])

    def get_lease(self, name: str) -> Lease | None:
        return self._one(Lease, "leases", "name = ?", [name])

    # --- helpers ------------------------------------------------------------------------------

    def _insert(self, table: str, row: dict[str, Any], what: str) -> None:
        try:
            self.db.table(table).insert(row)
        except INTEGRITY_ERRORS as error:
            raise UnknownReference(f"no such {what} ({error})") from None

    def _one(self, model: type[M], table: str, where: str, params: list[Any]) -> M | None:
        rows = list(self.db.table(table).rows_where(where, params, limit=1))
        return from_row(model, rows[0]) if rows else None
