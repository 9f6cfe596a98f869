"""«Før neste møte»: each assignment with its check-in as it stands, never guessed.

The check-in session is linked to its assignment when the dispatcher starts it
(``assignments.checkin_session_id``), so its answers (the ``checkin`` result) land on the
assignment. A check-in that was sent but not answered shows as ``waiting`` (still open) or
``unanswered`` (ended or expired without answers); one that was never sent says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from companion.ports import Assignment, ConversationStore, ReminderStore

CheckinState = Literal[
    "answered", "partly", "waiting", "unanswered", "scheduled", "not_sent", "none"
]
"""``answered``: the check-in was completed; ``partly``: stopped or expired with some answers;
``waiting``: sent, not answered yet; ``unanswered``: ended or expired without answers;
``scheduled``: not sent yet; ``not_sent``: missed, skipped or cancelled (``note`` says why);
``none``: the assignment has no check-in."""


@dataclass(frozen=True)
class AssignmentCheckin:
    """One assignment and what came back about it."""

    assignment: Assignment
    state: CheckinState
    answers: Mapping[str, Any] = field(default_factory=dict)
    """The ``checkin`` result (``tried``, ``went_well``, ``was_hard`` …); empty if none."""
    due_at: datetime | None = None
    """When the check-in is or was due."""
    note: str | None = None
    session_id: str | None = None


def checkin_of(
    assignment: Assignment, store: ReminderStore, conversations: ConversationStore
) -> AssignmentCheckin:
    """The check-in state of one assignment."""
    checkins = [r for r in store.reminders_for(assignment_id=assignment.id) if r.kind == "checkin"]
    latest = max(checkins, key=lambda r: (r.due_at, r.id), default=None)
    due = latest.due_at if latest else None
    session_id = assignment.checkin_session_id or (latest.session_id if latest else None)
    session = conversations.get_session(session_id) if session_id else None
    if session is not None:
        answers = dict(session.results.get("checkin", {}))
        if session.status == "completed":
            state: CheckinState = "answered" if answers else "unanswered"
        elif session.is_resumable:
            state = "waiting"
        else:
            state = "partly" if answers else "unanswered"
        return AssignmentCheckin(assignment, state, answers, due, session.status, session.id)
    if latest is None:
        return AssignmentCheckin(assignment, "none")
    if latest.status == "pending":
        return AssignmentCheckin(assignment, "scheduled", due_at=due)
    return AssignmentCheckin(assignment, "not_sent", due_at=due, note=latest.note)


def before_next_meeting(
    participant_id: str, store: ReminderStore, conversations: ConversationStore
) -> list[AssignmentCheckin]:
    """Every assignment of the participant with its check-in, the newest first."""
    assignments = store.assignments_for(participant_id)
    ordered = sorted(assignments, key=lambda a: (a.meeting_no, a.assigned_at), reverse=True)
    return [checkin_of(a, store, conversations) for a in ordered]
