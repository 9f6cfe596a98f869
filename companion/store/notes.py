"""Caseworkers' notes on answers, in SQLite (migration 0005_notes)."""

from __future__ import annotations

from sqlite_utils import Database

from companion.flows.ports import Clock, IdFactory
from companion.ports import Note, UnknownReference
from companion.store.converters import from_row, to_row
from companion.store.database import INTEGRITY_ERRORS


class SqliteNoteStore:
    """``NoteStore`` on a migrated database."""

    def __init__(self, db: Database, *, clock: Clock, ids: IdFactory) -> None:
        self.db = db
        self.clock = clock
        self.ids = ids

    def add_note(
        self,
        case_id: str,
        participant_id: str | None,
        subject: str,
        author_id: str,
        text: str,
    ) -> Note:
        note = Note(
            id=self.ids.new_id(),
            case_id=case_id,
            participant_id=participant_id,
            subject=subject,
            author_id=author_id,
            text=text,
            at=self.clock.now(),
        )
        try:
            with self.db.atomic():
                self.db.table("notes").insert(to_row(note))
        except INTEGRITY_ERRORS as error:
            raise UnknownReference(f"no such case, participant or author ({error})") from None
        return note

    def notes_in_case(self, case_id: str) -> list[Note]:
        rows = self.db.table("notes").rows_where("case_id = ?", [case_id], order_by="at, rowid")
        return [from_row(Note, row) for row in rows]
