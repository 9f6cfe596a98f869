"""Notes staff attach to answers: access-checked through ``CaseGuard`` and audited.

The audit entry names the case and the item, never the note's words.
"""

from __future__ import annotations

from companion.access import CaseGuard
from companion.accounts import Viewer
from companion.ports import AuditLog, DirectoryStore, Note, NoteStore
from companion.services import Services

MAX_NOTE = 500
"""A note is a reminder to oneself or a colleague, not a report."""


class NoteRejected(ValueError):
    """A note that cannot be saved as written; ``reason`` is ``empty`` or ``too_long``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CaseNotes:
    """Reading and writing notes for one signed-in member of staff."""

    def __init__(
        self, store: NoteStore, directory: DirectoryStore, audit: AuditLog, viewer: Viewer
    ) -> None:
        self.store = store
        self.audit = audit
        self.viewer = viewer
        self.guard = CaseGuard(directory, audit, viewer)

    def notes(self, case_id: str) -> list[Note]:
        """The case's notes, oldest first (``AccessDenied`` unless the viewer may open it)."""
        case = self.guard.case(case_id)
        return self.store.notes_in_case(case.id)

    def add(self, case_id: str, participant_id: str | None, subject: str, text: str) -> Note:
        """Save a note on ``subject``; ``NoteRejected`` if empty or too long."""
        case = self.guard.case(case_id)
        if participant_id is not None:
            _, its_case = self.guard.participant(participant_id)
            if its_case.id != case.id:
                raise NoteRejected("wrong_case")
        body = " ".join(text.split())
        if not body:
            raise NoteRejected("empty")
        if len(body) > MAX_NOTE:
            raise NoteRejected("too_long")
        note = self.store.add_note(case.id, participant_id, subject, self.viewer.id, body)
        self.audit.append(
            self.viewer.username, "note.added", case.id, {"note_id": note.id, "subject": subject}
        )
        return note


def case_notes(services: Services, viewer: Viewer) -> CaseNotes:
    """``CaseNotes`` over the composition root's stores."""
    return CaseNotes(services.notes, services.directory, services.audit, viewer)
