"""``ErasureStore`` on SQLite: one transaction that removes a participant's data from every table.

``secure_delete`` makes SQLite overwrite deleted cells and freed pages with zeros, so the text is
gone from the pages themselves; ``compact`` then rewrites the file (``VACUUM``) and empties the
WAL, whose old page images would otherwise still hold it until the next checkpoint.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from companion.flows.ports import Clock
from companion.ports import UnknownReference
from companion.store.database import write_transaction
from companion.store.records import utc_text

_SESSIONS = "SELECT id FROM sessions WHERE participant_id = :p"
_REMINDERS = "SELECT id FROM reminders WHERE participant_id = :p"

# (what, table, where): children before parents, so foreign keys hold at every step.
_DELETES: tuple[tuple[str, str, str], ...] = (
    ("deliveries", "deliveries", f"reminder_id IN ({_REMINDERS})"),
    ("reminders", "reminders", "participant_id = :p"),
    ("reminder_settings", "reminder_settings", "participant_id = :p"),
    ("assignments", "assignments", "participant_id = :p"),
    ("answers", "answers", f"session_id IN ({_SESSIONS})"),
    ("results", "results", f"participant_id = :p OR session_id IN ({_SESSIONS})"),
    ("consents", "consents", f"participant_id = :p OR session_id IN ({_SESSIONS})"),
    ("flags", "flags", f"participant_id = :p OR session_id IN ({_SESSIONS})"),
    ("sessions", "sessions", "participant_id = :p"),
    ("messages", "messages", "participant_id = :p"),
    ("held_inputs", "held_inputs", "participant_id = :p"),
    (
        "outbox",
        "outbox",
        "participant_id = :p OR EXISTS (SELECT 1 FROM channel_links l WHERE l.participant_id = :p"
        " AND l.channel = outbox.channel AND l.external_id = outbox.chat_id)",
    ),
    ("plans", "plans", "participant_id = :p"),
    # Staff notes on this person's answers may quote them, so they go with the answers.
    ("notes", "notes", "participant_id = :p"),
    ("invites", "invites", "participant_id = :p"),
    ("channel_links", "channel_links", "participant_id = :p"),
)

TOMBSTONE_NAME = "–"
"""The display name an erased participant keeps: nothing that identifies them."""


class SqliteErasure:
    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def erase_participant(self, participant_id: str) -> dict[str, int]:
        conn: Any = self.db.conn
        conn.execute("PRAGMA secure_delete = ON")
        counts: dict[str, int] = {}
        with write_transaction(self.db):
            found = conn.execute(
                "SELECT 1 FROM participants WHERE id = ?", [participant_id]
            ).fetchone()
            if found is None:
                raise UnknownReference(f"no such participant {participant_id}")
            for what, table, where in _DELETES:
                # table and where are the fixed literals above, never input
                cursor = conn.execute(
                    f"DELETE FROM {table} WHERE {where}",  # noqa: S608  # nosec B608
                    {"p": participant_id},
                )
                counts[what] = cursor.rowcount
            conn.execute(
                "UPDATE participants SET display_name = ?, voice = 0, messages_stopped = 1,"
                " erased_at = ? WHERE id = ?",
                [TOMBSTONE_NAME, utc_text(self.clock.now()), participant_id],
            )
        return counts

    def compact(self) -> None:
        conn: Any = self.db.conn
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
