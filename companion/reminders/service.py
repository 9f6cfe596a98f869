"""What a caseworker (TUI or CLI) and the chat do with reminders: set up a course, give an
assignment, set meeting reminders, change a participant's timing, snooze.

``Reminders(services)`` is the one entry point; it finds the reminder store for the services
(SQLite on the same connection as every other store, or the in-memory fake).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Literal

from companion.content.fv_catalogue import Catalogue, load_catalogue
from companion.ports import (
    Assignment,
    Course,
    Meeting,
    NewReminder,
    Participant,
    Reminder,
    ReminderSettings,
    ReminderStore,
)
from companion.reminders.plans import (
    DEFAULT_MEETING_BEFORE,
    DEFAULT_PLAN,
    Before,
    ReminderPlan,
    assignment_reminders,
    meeting_reminders,
    place,
)
from companion.reminders.timing import Timing, TimingError, anchor_instant, parse_hhmm, zone
from companion.services import Services

Variant = Literal["standard", "simpler", "edited"]
SNOOZE = timedelta(hours=2)
"""«senere»: how much later the reminder comes again (then out of the quiet hours)."""
SNOOZABLE_FOR = timedelta(hours=12)
"""How long after a reminder «senere» still refers to it."""
SNOOZABLE_KINDS = frozenset({"assignment", "meeting"})
MEETINGS_PER_COURSE = 8
"""FV: eight meetings with the parents in about three months (003:3975-3977)."""


class ReminderError(Exception):
    """A course, assignment or reminder cannot be set up as asked; one line for a person."""


_MEMORY_STORES: weakref.WeakKeyDictionary[object, ReminderStore] = weakref.WeakKeyDictionary()


def reminder_store(services: Services) -> ReminderStore:
    """The reminder store for these services: SQLite on their connection, or one in-memory
    fake per set of memory services (shared by every ``Reminders`` made for them)."""
    if services.db is not None:
        from companion.store.reminders import SqliteReminderStore

        return SqliteReminderStore(services.db, clock=services.clock, ids=services.ids)
    from companion.memory_store import MemoryDirectoryStore, MemoryInboxStore, MemoryReminderStore

    found = _MEMORY_STORES.get(services.outbox)
    if found is None:
        directory = services.directory
        inbox = services.inbox_store
        found = MemoryReminderStore(
            clock=services.clock,
            ids=services.ids,
            directory=directory if isinstance(directory, MemoryDirectoryStore) else None,
            inbox=inbox if isinstance(inbox, MemoryInboxStore) else None,
        )
        _MEMORY_STORES[services.outbox] = found
    return found


class Reminders:
    """Course set-up, assignments and meeting reminders over one set of services."""

    def __init__(
        self,
        services: Services,
        store: ReminderStore | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.services = services
        self.store = store or reminder_store(services)
        self._catalogue = catalogue

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = load_catalogue()
        return self._catalogue

    def now(self) -> datetime:
        return self.services.clock.now()

    def participant(self, participant_id: str) -> Participant:
        found = self.services.directory.get_participant(participant_id)
        if found is None:
            raise ReminderError(f"no participant {participant_id}")
        return found

    # --- timing -------------------------------------------------------------------------------

    def timing(self, participant_id: str) -> Timing:
        return Timing.of(self.store.reminder_settings(participant_id))

    def set_preferences(
        self,
        participant_id: str,
        *,
        preferred_time: str | None = None,
        quiet_hours: tuple[str, str] | None = None,
        timezone: str | None = None,
        actor: str = "system",
    ) -> ReminderSettings:
        """Change a participant's timing and move their pending reminders to match."""
        self.participant(participant_id)
        current = self.store.reminder_settings(participant_id)
        changes: dict[str, str] = {}
        if preferred_time is not None:
            changes["preferred_time"] = parse_hhmm(preferred_time).strftime("%H:%M")
        if quiet_hours is not None:
            changes["quiet_start"] = parse_hhmm(quiet_hours[0]).strftime("%H:%M")
            changes["quiet_end"] = parse_hhmm(quiet_hours[1]).strftime("%H:%M")
        if timezone is not None:
            changes["timezone"] = zone(timezone).key
        updated = current.model_copy(update=changes)
        Timing.of(updated)
        with self.store.transaction():
            stored = self.store.set_reminder_settings(updated)
            moved = self.reschedule(participant_id)
            self._audit(actor, "reminders.settings", participant_id, {**changes, "moved": moved})
        return stored

    def _audit(
        self, actor: str, action: str, participant_id: str, details: dict[str, object]
    ) -> None:
        self.services.audit.append(actor, action, f"participant:{participant_id}", details)

    def reschedule(self, participant_id: str) -> int:
        """Recompute the due times of pending reminders from their anchors (after a change of
        preferred time, time zone or quiet hours); how many moved."""
        timing = self.timing(participant_id)
        now = self.now()
        moved = 0
        for reminder in self.store.reminders_for(participant_id, status="pending"):
            anchor = reminder.payload.get("anchor")
            if not isinstance(anchor, dict):
                continue
            quiet = reminder.payload.get("quiet", True) is not False
            due = place(anchor, timing, now=now, deadline=reminder.not_after, quiet=quiet)
            if due is not None and due != reminder.due_at:
                moved += self.store.defer(reminder.id, due, "rescheduled")
        return moved

    # --- courses and meetings -----------------------------------------------------------------

    def set_up_course(
        self,
        participant_id: str,
        pathway: str,
        meetings: Sequence[datetime],
        *,
        created_by: str,
        place: str | None = None,
        meeting_before: Sequence[Before] = (),
    ) -> tuple[Course, list[Meeting]]:
        """A Familieveiledning course: the pathway and its meeting dates (usually 8), with
        meeting reminders when ``meeting_before`` is given."""
        participant = self.participant(participant_id)
        try:
            self.catalogue.pathway(pathway)
        except KeyError as error:
            raise ReminderError(str(error.args[0])) from None
        if len(meetings) > MEETINGS_PER_COURSE * 2:
            raise ReminderError(f"{len(meetings)} meetings: a course has about 8")
        ordered = sorted(meetings)
        with self.store.transaction():
            course = self.store.add_course(participant.case_id, participant_id, pathway, created_by)
            made = [
                self.store.add_meeting(
                    participant.case_id,
                    participant_id,
                    starts_at,
                    course_id=course.id,
                    meeting_no=number,
                    place=place,
                )
                for number, starts_at in enumerate(ordered, start=1)
            ]
            for meeting in made:
                if meeting_before:
                    self._remind_meeting(meeting, participant_id, meeting_before)
            self._audit(
                created_by,
                "reminders.course",
                participant_id,
                {"course_id": course.id, "pathway": pathway, "meetings": len(made)},
            )
        return course, made

    def schedule_meeting(
        self,
        participant_id: str,
        starts_at: datetime,
        *,
        place: str | None = None,
        before: Sequence[Before] = DEFAULT_MEETING_BEFORE,
        actor: str = "system",
    ) -> tuple[Meeting, list[Reminder]]:
        """A meeting outside a course (or an extra one), with its reminders."""
        participant = self.participant(participant_id)
        with self.store.transaction():
            meeting = self.store.add_meeting(
                participant.case_id, participant_id, starts_at, place=place
            )
            reminders = self._remind_meeting(meeting, participant_id, before)
            details = {"meeting_id": meeting.id, "reminders": len(reminders)}
            self._audit(actor, "reminders.meeting", participant_id, details)
        return meeting, reminders

    def remind_meeting(self, meeting_id: str, before: Sequence[Before]) -> list[Reminder]:
        meeting = self.store.get_meeting(meeting_id)
        if meeting is None or meeting.participant_id is None:
            raise ReminderError(f"no meeting {meeting_id} with a participant")
        return self._remind_meeting(meeting, meeting.participant_id, before)

    def _remind_meeting(
        self, meeting: Meeting, participant_id: str, before: Sequence[Before]
    ) -> list[Reminder]:
        found = meeting_reminders(
            meeting, participant_id, self.timing(participant_id), now=self.now(), before=before
        )
        return self.store.schedule(found)

    def course_of(self, participant_id: str) -> Course | None:
        active = [c for c in self.store.courses_for(participant_id) if c.status == "active"]
        return active[-1] if active else None

    # --- assignments --------------------------------------------------------------------------

    def give_assignment(
        self,
        participant_id: str,
        meeting_no: int,
        component: str,
        *,
        variant: Variant = "standard",
        text: str | None = None,
        plan: ReminderPlan = DEFAULT_PLAN,
        force: bool = False,
        actor: str = "system",
    ) -> tuple[Assignment, list[Reminder]]:
        """Give the assignment of meeting ``meeting_no`` and schedule its reminders.

        The component comes from the catalogue; ``variant`` picks its assignment text or the
        simpler one, or ``text`` replaces it (``edited``). The ordering rule of the course's
        pathway is checked (``force`` gives it anyway).
        """
        participant = self.participant(participant_id)
        try:
            found = self.catalogue.component(component)
        except KeyError as error:
            raise ReminderError(str(error.args[0])) from None
        course = self.course_of(participant_id)
        meetings = [m for m in self.store.meetings_for(participant_id) if m.status == "planned"]
        reason = None
        if course is not None:
            meetings = [m for m in meetings if m.course_id == course.id]
            done = [
                a.component
                for a in self.store.assignments_for(participant_id)
                if a.course_id == course.id and a.meeting_no < meeting_no
            ]
            reason = self.catalogue.check_order(done, found.id, course.pathway)
            if reason is not None and not force:
                raise ReminderError(reason)
        this = next((m for m in meetings if m.meeting_no == meeting_no), None)
        later = [m for m in meetings if this is not None and m.starts_at > this.starts_at]
        if this is None:
            later = [m for m in meetings if m.starts_at > self.now()]
        next_meeting = min(later, key=lambda m: m.starts_at, default=None)
        if text is not None and text.strip():
            given, variant = text.strip(), "edited"
        else:
            given = found.simpler if variant == "simpler" else found.assignment
        with self.store.transaction():
            assignment = self.store.add_assignment(
                participant.case_id,
                participant_id,
                meeting_no,
                found.id,
                given,
                simpler_text=found.simpler,
                due_at=next_meeting.starts_at if next_meeting else None,
                course_id=course.id if course else None,
                variant=variant,
            )
            planned = assignment_reminders(
                assignment,
                self.timing(participant_id),
                now=self.now(),
                meeting_at=this.starts_at if this else None,
                next_meeting_at=next_meeting.starts_at if next_meeting else None,
                plan=plan,
            )
            reminders = self.store.schedule(planned)
            details = {
                "assignment_id": assignment.id,
                "component": found.id,
                "variant": variant,
                "reminders": len(reminders),
                "forced": bool(force and course is not None and reason is not None),
            }
            self._audit(actor, "reminders.assignment", participant_id, details)
        return assignment, reminders

    # --- snooze -------------------------------------------------------------------------------

    def snoozable(self, participant_id: str) -> Reminder | None:
        """The reminder «senere» refers to: the latest one sent in the last hours."""
        now = self.now()
        sent = [
            r
            for r in self.store.reminders_for(participant_id, status="sent")
            if r.kind in SNOOZABLE_KINDS
            and r.handled_at is not None
            and now - r.handled_at <= SNOOZABLE_FOR
        ]
        return max(sent, key=lambda r: (r.handled_at or now, r.id), default=None)

    def snooze(self, reminder: Reminder, delay: timedelta = SNOOZE) -> Reminder | None:
        """The same reminder again ``delay`` later (out of the quiet hours, before its
        deadline); None if there is no such time. Snoozing the same reminder twice is one
        snooze (its key is ``snooze:<id>``)."""
        now = self.now()
        timing = self.timing(reminder.participant_id)
        anchor = anchor_instant(now + delay)
        due = place(anchor, timing, now=now, deadline=reminder.not_after)
        if due is None:
            return None
        payload = {**reminder.payload, "anchor": anchor, "snooze_of": reminder.id}
        new = NewReminder(
            participant_id=reminder.participant_id,
            kind=reminder.kind,
            due_at=due,
            idempotency_key=f"snooze:{reminder.id}",
            payload=payload,
            not_after=reminder.not_after,
            assignment_id=reminder.assignment_id,
            meeting_id=reminder.meeting_id,
        )
        [stored] = self.store.schedule([new])
        return stored


def parse_local(text: str, tz: str) -> datetime:
    """``2026-03-24T10:00`` (or with a space) as wall-clock time in ``tz``, as an aware UTC
    instant; an explicit offset in ``text`` wins."""
    try:
        value = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise TimingError(f"'{text}' is not a date and time (e.g. 2026-03-24T10:00)") from None
    if value.tzinfo is None:
        value = datetime.combine(value.date(), value.time(), tzinfo=zone(tz))
    return value.astimezone(UTC)


__all__ = ["ReminderError", "Reminders", "parse_local", "reminder_store"]
