"""Sessions and what their sprints produced, in SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from companion.flows import Session
from companion.flows.ports import Clock, IdFactory
from companion.ports import (
    Consent,
    Flag,
    OutboxEntry,
    Severity,
    StaleSession,
    StoredAnswer,
    StoredResult,
)
from companion.store.converters import from_row, session_from_row, session_row, to_row
from companion.store.outbox import write_delivery
from companion.store.records import SprintRecords, sprint_records, utc_text

_RESUMABLE = "status IN ('waiting', 'paused')"


_UPDATABLE = (
    "participant_id",
    "flow_id",
    "status",
    "seq",
    "created_at",
    "updated_at",
    "timeout_at",
    "expires_at",
    "data",
)
"""The sessions columns an update may set (``id`` never changes)."""


def _changed_columns(previous: Session, row: dict[str, Any]) -> tuple[str, ...]:
    """The columns of ``row`` that differ from ``previous``'s (``data`` and ``updated_at``
    always). SQLite rewrites every index on a column named in SET, changed or not: naming only
    what changed keeps an answer from rewriting the timeout and expiry index pages each time
    (fewer encrypted pages per commit)."""
    timeout = previous.wait.timeout_at if previous.wait else None
    before = {
        "participant_id": previous.participant_id,
        "flow_id": previous.flow_id,
        "status": previous.status,
        "seq": previous.seq,
        "created_at": utc_text(previous.created_at),
        "timeout_at": utc_text(timeout) if timeout else None,
        "expires_at": utc_text(previous.expires_at),
    }
    return tuple(c for c in _UPDATABLE if c not in before or before[c] != row[c])


_UPDATES: dict[tuple[str, ...], str] = {}


def _update_sql(columns: tuple[str, ...]) -> str:
    """The compare-and-set UPDATE for these columns (one text per set, so SQLite's statement
    cache keeps each prepared)."""
    sql = _UPDATES.get(columns)
    if sql is None:
        assignments = ", ".join(f"{c} = :{c}" for c in columns)
        # column names come from _UPDATABLE, never from input
        sql = f"UPDATE sessions SET {assignments} WHERE id = :id AND updated_at = :previous"  # noqa: S608
        _UPDATES[columns] = sql
    return sql


class SqliteConversationStore:
    """``ConversationStore`` on a migrated database (see ``companion.store.migrations``)."""

    def __init__(self, db: Database, *, clock: Clock, ids: IdFactory) -> None:
        self.db = db
        self.clock = clock
        self.ids = ids
        self._insert_sql: dict[tuple[str, tuple[str, ...]], str] = {}

    def record_sprint(
        self,
        previous: Session | None,
        session: Session,
        events: Sequence[object],
        *,
        input_key: str | None = None,
        outbox: Sequence[OutboxEntry] = (),
    ) -> None:
        """Write the session, the sprint's records, the input key and the replies in one
        transaction (or nothing)."""
        if previous is not None and previous.id != session.id:
            raise ValueError(f"previous session {previous.id} is not session {session.id}")
        records = sprint_records(session, events, self.ids, previous)
        with self.db.atomic():
            write_delivery(self.db, self.clock.now(), input_key, outbox)
            if self._write_session(previous, session):
                self._write_records(records)

    def add_flag(
        self,
        participant_id: str | None,
        severity: Severity,
        reason: str,
        trigger: str | None = None,
    ) -> Flag:
        flag = Flag(
            id=self.ids.new_id(),
            participant_id=participant_id,
            session_id=None,
            severity=severity,
            reason=reason,
            trigger=trigger,
            at=self.clock.now(),
        )
        self._insert_ignore("flags", to_row(flag))
        return flag

    def _write_session(self, previous: Session | None, session: Session) -> bool:
        """Compare-and-set in the write itself, so two writers cannot both pass the check.

        False when this exact session is already stored: a retried sprint, whose records were
        committed with it, so there is nothing left to write.
        """
        row = session_row(session)
        if previous is None:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO sessions (id, participant_id, flow_id, status, seq, "
                "created_at, updated_at, timeout_at, expires_at, data) VALUES (:id, "
                ":participant_id, :flow_id, :status, :seq, :created_at, :updated_at, "
                ":timeout_at, :expires_at, :data)",
                row,
            )
        else:
            cursor = self.db.execute(
                _update_sql(_changed_columns(previous, row)),
                {**row, "previous": utc_text(previous.updated_at)},
            )
        if cursor.rowcount == 1:
            return True
        stored = self.db.execute("SELECT data FROM sessions WHERE id = ?", [session.id]).fetchone()
        if stored is None or stored[0] != row["data"]:
            state = "already exists" if previous is None else "changed since it was read"
            raise StaleSession(f"session {session.id} {state}")
        return False

    def _write_records(self, records: SprintRecords) -> None:
        """Insert-or-ignore on keys with ``seq``, so no sprint's rows can ever be doubled."""
        for answer in records.answers:
            self._insert_ignore("answers", to_row(answer, {"value"}))
        for consent in records.consents:
            self._insert_ignore("consents", {**to_row(consent), "seq": records.seq})
        for flag in records.flags:
            self._insert_ignore("flags", {**to_row(flag), "seq": records.seq})
        for result in records.results:
            row = to_row(result, {"data"})
            self.db.execute(
                "INSERT INTO results (session_id, participant_id, flow_id, name, data, updated_at) "
                "VALUES (:session_id, :participant_id, :flow_id, :name, :data, :updated_at) "
                "ON CONFLICT (session_id, name) DO UPDATE SET participant_id = "
                "excluded.participant_id, flow_id = excluded.flow_id, data = excluded.data, "
                "updated_at = excluded.updated_at",
                row,
            )

    def _insert_ignore(self, table: str, row: dict[str, Any]) -> None:
        # Plain SQL: sqlite-utils' insert() inspects the table on every call (hot path).
        columns = tuple(row)
        sql = self._insert_sql.get((table, columns))
        if sql is None:
            names = ", ".join(f'"{c}"' for c in columns)
            values = ", ".join(f":{c}" for c in columns)
            # table and column names come from this module's own records, never from input
            sql = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({values})'  # noqa: S608
            self._insert_sql[(table, columns)] = sql
        self.db.execute(sql, row)

    def get_session(self, session_id: str) -> Session | None:
        rows = self._sessions("id = ?", [session_id])
        return rows[0] if rows else None

    def open_session(self, participant_id: str, flow_id: str | None = None) -> Session | None:
        where, params = f"participant_id = ? AND {_RESUMABLE}", [participant_id]
        if flow_id is not None:
            where, params = f"{where} AND flow_id = ?", [*params, flow_id]
        rows = self._sessions(where, params, order="updated_at DESC, id DESC", limit=1)
        return rows[0] if rows else None

    def sessions_for(self, participant_id: str) -> list[Session]:
        return self._sessions("participant_id = ?", [participant_id], order="created_at, id")

    def due_sessions(self, now: datetime, limit: int = 100) -> list[Session]:
        # Two indexed lookups (timeout, expiry) joined by UNION rather than one OR, which
        # SQLite may answer with a full scan.
        sql = (
            "SELECT data FROM sessions WHERE id IN ("
            "SELECT id FROM sessions WHERE status IN ('waiting', 'paused') AND timeout_at <= :now "
            "UNION "
            "SELECT id FROM sessions WHERE status IN ('waiting', 'paused') AND expires_at <= :now"
            ") ORDER BY min(coalesce(timeout_at, expires_at), expires_at), id LIMIT :limit"
        )
        rows = self.db.execute(sql, {"now": utc_text(now), "limit": limit}).fetchall()
        return [session_from_row({"data": row[0]}) for row in rows]

    def answers_for(self, session_id: str) -> list[StoredAnswer]:
        rows = self.db.query(
            "SELECT * FROM answers WHERE session_id = ? ORDER BY seq, rowid", [session_id]
        )
        return [from_row(StoredAnswer, row, {"value"}) for row in rows]

    def results_for(self, participant_id: str) -> dict[str, list[StoredResult]]:
        rows = self.db.query(
            "SELECT * FROM results WHERE participant_id = ? ORDER BY name, updated_at, session_id",
            [participant_id],
        )
        results: dict[str, list[StoredResult]] = {}
        for row in rows:
            results.setdefault(row["name"], []).append(from_row(StoredResult, row, {"data"}))
        return results

    def record_consent(
        self, participant_id: str, consent: str, version: str, granted: bool, text: str
    ) -> Consent:
        record = Consent(
            id=self.ids.new_id(),
            participant_id=participant_id,
            session_id=None,
            consent=consent,
            version=version,
            granted=granted,
            text=text,
            at=self.clock.now(),
        )
        self._insert_ignore("consents", to_row(record))
        return record

    def consents_for(self, participant_id: str) -> list[Consent]:
        # Plain SQL: sqlite-utils' query() opens a savepoint per call, and the bot asks on
        # every update whether the person consented (hot path).
        cursor = self.db.execute(
            "SELECT * FROM consents WHERE participant_id = ? ORDER BY at, rowid", [participant_id]
        )
        names = [column[0] for column in cursor.description]
        return [from_row(Consent, dict(zip(names, row, strict=True))) for row in cursor]

    def open_flags(self, participant_id: str | None = None) -> list[Flag]:
        where, params = "acknowledged_at IS NULL", []
        if participant_id is not None:
            where, params = f"{where} AND participant_id = ?", [participant_id]
        rows = self.db.table("flags").rows_where(where, params, order_by="at, rowid")
        return [from_row(Flag, row) for row in rows]

    def acknowledge_flag(self, flag_id: str) -> None:
        self.db.execute(
            "UPDATE flags SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL",
            [utc_text(self.clock.now()), flag_id],
        )

    def _sessions(
        self, where: str, params: list[Any], *, order: str = "id", limit: int | None = None
    ) -> list[Session]:
        # Plain SQL: sqlite-utils' rows_where() inspects the schema on every call (hot path).
        sql = f"SELECT data FROM sessions WHERE {where} ORDER BY {order}"  # noqa: S608 - fixed
        if limit is not None:
            sql, params = f"{sql} LIMIT ?", [*params, limit]
        rows = self.db.execute(sql, params).fetchall()
        return [session_from_row({"data": row[0]}) for row in rows]
