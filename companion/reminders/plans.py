"""Reminder plans: which reminders an assignment or a meeting gets, and when (pure).

Default for a home assignment given at a meeting: a reminder the day after the meeting at the
family's preferred time, and the check-in two days before the next meeting at the same time.
Default for a meeting: the day before at the meeting's own clock time, and two hours before.
Every due time is moved out of the participant's quiet hours here, and again when it is sent
(settings may change in between).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from pydantic import JsonValue

from companion.ports import Assignment, Meeting, NewReminder, ReminderKind
from companion.reminders.timing import (
    Timing,
    TimingError,
    anchor_day,
    anchor_instant,
    parse_hhmm,
    resolve,
)

FALLBACK_WEEK = timedelta(days=7)
"""When the next meeting is not known yet, the assignment is reviewed a week later."""


@dataclass(frozen=True)
class ReminderPlan:
    """What an assignment gets; the defaults are the issue's «sensible default»."""

    day_after: bool = True
    """A reminder the day after the meeting."""
    day_after_time: time | None = None
    """None: the family's preferred time."""
    checkin_days_before: int | None = 2
    """The check-in this many days before the next meeting (None: no check-in)."""
    checkin_time: time | None = None
    """None: the family's preferred time."""
    checkin_now: bool = False
    """The check-in now instead (a caseworker's explicit «now», e.g. the demo): it is sent at
    once, also in quiet hours, and the day-after reminder is left out."""


DEFAULT_PLAN = ReminderPlan()


@dataclass(frozen=True)
class Before:
    """A meeting reminder: ``days`` before at ``at`` (default: the meeting's own clock time),
    or ``delta`` before the meeting."""

    label: str
    days: int = 0
    at: time | None = None
    delta: timedelta = timedelta(0)

    @classmethod
    def parse(cls, text: str) -> Before:
        """``1d`` (the day before, same clock time), ``1d@18:00``, ``2h``, ``90m``."""
        raw = text.strip().lower()
        match = re.fullmatch(r"(\d+)d(?:@(\d{1,2}:\d{2}))?", raw)
        if match:
            at = parse_hhmm(match.group(2)) if match.group(2) else None
            return cls(label=raw, days=int(match.group(1)), at=at)
        match = re.fullmatch(r"(\d+)([hm])", raw)
        if match:
            amount = int(match.group(1))
            delta = timedelta(hours=amount) if match.group(2) == "h" else timedelta(minutes=amount)
            return cls(label=raw, delta=delta)
        raise TimingError(f"'{text}' is not a time before the meeting (e.g. 1d, 1d@18:00, 2h)")


DEFAULT_MEETING_BEFORE = (Before.parse("1d"), Before.parse("2h"))


def _payload(anchor: dict[str, JsonValue], quiet: bool = True) -> dict[str, JsonValue]:
    return {"anchor": anchor, "quiet": quiet}


def place(
    anchor: dict[str, JsonValue],
    timing: Timing,
    *,
    now: datetime,
    deadline: datetime | None,
    quiet: bool = True,
) -> datetime | None:
    """The due time for an anchor: not in the past, out of the quiet hours, before the
    deadline; None when there is no such time."""
    due = max(resolve(anchor, timing), now)
    if quiet:
        found = timing.allowed(due, deadline=deadline, earliest=now)
        if found is None:
            return None
        due = found
    if deadline is not None and due >= deadline:
        return None
    return due


def _new(
    kind: ReminderKind,
    key: str,
    participant_id: str,
    anchor: dict[str, JsonValue],
    timing: Timing,
    now: datetime,
    deadline: datetime | None,
    *,
    quiet: bool = True,
    assignment_id: str | None = None,
    meeting_id: str | None = None,
    extra: dict[str, JsonValue] | None = None,
) -> NewReminder | None:
    due = place(anchor, timing, now=now, deadline=deadline, quiet=quiet)
    if due is None:
        return None
    return NewReminder(
        participant_id=participant_id,
        kind=kind,
        due_at=due,
        idempotency_key=key,
        payload={**_payload(anchor, quiet), **(extra or {})},
        not_after=deadline,
        assignment_id=assignment_id,
        meeting_id=meeting_id,
    )


def assignment_reminders(
    assignment: Assignment,
    timing: Timing,
    *,
    now: datetime,
    meeting_at: datetime | None,
    next_meeting_at: datetime | None,
    plan: ReminderPlan = DEFAULT_PLAN,
) -> list[NewReminder]:
    """The reminder and the check-in for one assignment (either may be left out when there
    is no good time for it before the next meeting)."""
    assert assignment.participant_id is not None
    pid, aid = assignment.participant_id, assignment.id
    given = meeting_at or assignment.assigned_at
    deadline = next_meeting_at or given + FALLBACK_WEEK
    extra: dict[str, JsonValue] = {"meeting_at": given.astimezone(UTC).isoformat()}
    if plan.checkin_now:
        found = _new(
            "checkin",
            f"checkin:{aid}",
            pid,
            anchor_instant(now),
            timing,
            now,
            deadline,
            quiet=False,
            assignment_id=aid,
            extra=extra,
        )
        return [found] if found else []
    reminders: list[NewReminder] = []
    reminder = None
    if plan.day_after:
        day = timing.day_of(given) + timedelta(days=1)
        anchor = anchor_day(day, plan.day_after_time)
        key = f"assignment:{aid}:day_after"
        reminder = _new(
            "assignment", key, pid, anchor, timing, now, deadline, assignment_id=aid, extra=extra
        )
    checkin = None
    if plan.checkin_days_before is not None:
        day = timing.day_of(deadline) - timedelta(days=plan.checkin_days_before)
        day = max(day, timing.day_of(given))
        anchor = anchor_day(day, plan.checkin_time)
        key = f"checkin:{aid}"
        checkin = _new(
            "checkin", key, pid, anchor, timing, now, deadline, assignment_id=aid, extra=extra
        )
    if reminder is not None and (checkin is None or reminder.due_at < checkin.due_at):
        reminders.append(reminder)
    if checkin is not None:
        reminders.append(checkin)
    return reminders


def meeting_reminders(
    meeting: Meeting,
    participant_id: str,
    timing: Timing,
    *,
    now: datetime,
    before: Sequence[Before] = DEFAULT_MEETING_BEFORE,
) -> list[NewReminder]:
    """One reminder per ``before``, each before the meeting starts (those already past, or
    with no good time outside the quiet hours, are left out)."""
    reminders = []
    starts = meeting.starts_at.astimezone(UTC)
    for item in before:
        if item.days:
            day = timing.day_of(starts) - timedelta(days=item.days)
            wall = item.at or timing.local(starts).time().replace(tzinfo=None)
            anchor = anchor_day(day, wall)
        else:
            anchor = anchor_instant(starts - item.delta)
        if resolve(anchor, timing) < now:
            continue  # e.g. «the day before» for a meeting tomorrow morning set up tonight
        key = f"meeting:{meeting.id}:{item.label}"
        found = _new(
            "meeting", key, participant_id, anchor, timing, now, starts, meeting_id=meeting.id
        )
        if found is not None:
            reminders.append(found)
    return reminders
