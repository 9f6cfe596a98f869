"""The TUI's read model and plan drafts in the service's SQLite database (migration 0003)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from companion.flows.ports import IdFactory
from companion.store.database import write_transaction
from companion.store.records import utc_text
from tui.data.records import CaseSummary, StoredPlan

_SEP = "\x1f"
"""The separator of the participant names (``char(31)`` in the query)."""
# Correlated subqueries, each answered from an index (participants_case, sessions_participant,
# flags_open, messages_case), so the list costs one pass over the cases.
_SUMMARIES = """
SELECT c.id, c.title, c.caseworker_id, w.display_name AS caseworker_name, c.status,
  c.created_at, c.next_meeting_at,
  (SELECT group_concat(p.display_name, char(31)) FROM participants p WHERE p.case_id = c.id)
    AS names,
  (SELECT max(s.updated_at) FROM participants p JOIN sessions s ON s.participant_id = p.id
    WHERE p.case_id = c.id) AS last_activity,
  (SELECT count(*) FROM participants p JOIN sessions s ON s.participant_id = p.id
    WHERE p.case_id = c.id AND s.updated_at > coalesce(r.seen_at, '')) AS new_sessions,
  (SELECT count(*) FROM participants p JOIN flags f ON f.participant_id = p.id
    WHERE p.case_id = c.id AND f.acknowledged_at IS NULL) AS open_flags,
  (SELECT count(*) FROM participants p JOIN flags f ON f.participant_id = p.id
    WHERE p.case_id = c.id AND f.acknowledged_at IS NULL AND f.severity = 'high') AS high_flags,
  (SELECT count(*) FROM messages m
    WHERE m.case_id = c.id AND m.direction = 'in' AND m.read_at IS NULL) AS unread
FROM cases c
JOIN caseworkers w ON w.id = c.caseworker_id
LEFT JOIN case_reads r ON r.case_id = c.id AND r.caseworker_id = :viewer
WHERE (:owner IS NULL OR c.caseworker_id = :owner)
ORDER BY c.created_at, c.rowid
"""


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


class SqliteCaseIndex:
    """``CaseIndex`` over the migrated database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def summaries(self, viewer_id: str, owner_id: str | None) -> list[CaseSummary]:
        rows = self.db.execute(_SUMMARIES, {"viewer": viewer_id, "owner": owner_id}).fetchall()
        return [
            CaseSummary(
                id=row[0],
                title=row[1],
                caseworker_id=row[2],
                caseworker_name=row[3],
                status=row[4],
                created_at=datetime.fromisoformat(row[5]),
                next_meeting_at=_time(row[6]),
                participants=tuple(row[7].split(_SEP)) if row[7] else (),
                last_activity=_time(row[8]),
                new_sessions=row[9],
                open_flags=row[10],
                high_flags=row[11],
                unread_messages=row[12],
            )
            for row in rows
        ]

    def mark_seen(self, viewer_id: str, case_id: str, at: datetime) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO case_reads (caseworker_id, case_id, seen_at) VALUES (?, ?, ?) "
                "ON CONFLICT (caseworker_id, case_id) DO UPDATE SET seen_at = excluded.seen_at",
                [viewer_id, case_id, utc_text(at)],
            )


class SqlitePlanStore:
    """``PlanStore`` over the migrated database."""

    def __init__(self, db: Database, ids: IdFactory) -> None:
        self.db = db
        self.ids = ids

    def plan_for(self, case_id: str, participant_id: str | None) -> StoredPlan | None:
        row = self.db.execute(
            "SELECT id, case_id, participant_id, data, updated_by, updated_at FROM plans "
            "WHERE case_id = ? AND coalesce(participant_id, '') = ?",
            [case_id, participant_id or ""],
        ).fetchone()
        if row is None:
            return None
        return StoredPlan(row[0], row[1], row[2], json.loads(row[3]), row[4], _time(row[5]))

    def save_plan(
        self,
        case_id: str,
        participant_id: str | None,
        data: dict[str, Any],
        by: str,
        at: datetime,
    ) -> StoredPlan:
        text, when = json.dumps(data, ensure_ascii=False), utc_text(at)
        with write_transaction(self.db):
            existing = self.plan_for(case_id, participant_id)
            if existing is None:
                plan_id = self.ids.new_id()
                self.db.execute(
                    "INSERT INTO plans (id, case_id, participant_id, data, created_by, "
                    "updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [plan_id, case_id, participant_id, text, by, by, when, when],
                )
            else:
                plan_id = existing.id
                self.db.execute(
                    "UPDATE plans SET data = ?, updated_by = ?, updated_at = ? WHERE id = ?",
                    [text, by, when, plan_id],
                )
        return StoredPlan(plan_id, case_id, participant_id, data, by, at)
