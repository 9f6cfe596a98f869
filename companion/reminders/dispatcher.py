"""The reminder dispatcher: finds what is due in the database and hands it to the outbox.

Guarantees
----------
- **Restart-safe.** Due times live in the ``reminders`` table (indexed); there are no timers.
  A tick reads what is due now, so a dispatcher that was down simply finds more due.
- **Late, but never at night.** A reminder that comes due while the dispatcher was down is sent
  if it is at most ``grace`` late (per kind) and its deadline (``not_after``, e.g. the meeting)
  has not passed; otherwise it is recorded as ``missed`` (note ``downtime`` or ``too_late``).
  One due inside the participant's quiet hours waits for them to end, or is recorded as
  ``missed`` (``quiet_hours``) if that is after its deadline. Quiet hours are wall-clock times
  in the participant's time zone, so they hold across DST changes.
- **Exactly once in effect.** Each reminder is one occurrence with a unique idempotency key.
  Handing it over (the outbox rows, or the check-in session with its first messages) and
  recording it as ``sent`` happen in ONE database transaction, which also marks the key
  ``reminder:<key>`` processed (``processed_inputs``). A crash before the commit leaves
  neither, so the reminder is still pending and is sent after a restart; a crash after it
  leaves both, so it is never enqueued again, even by a second dispatcher that ignores the
  lease. From the outbox on, the bot's sender delivers each API call at least once: a crash in
  the instant between Telegram accepting a message and the sender recording it repeats that
  one message (``bots.telegram.sender``); nothing is ever lost.
- **One dispatcher at a time.** A tick first takes or renews a lease row (``leases``) that
  expires after ``lease_ttl``; a second process (``companion reminders run`` beside the bot)
  finds it held and waits. If the holder dies, the lease expires and another takes over. The
  lease keeps the work in one place; the idempotency key is what makes doubles impossible.
- **Rules at send time.** Whether to send is decided when it is due, with the settings then:
  stopped («stopp», ``/stop``), no consent or no reachable chat → ``skipped``; assignment closed
  or meeting cancelled → ``cancelled``. Texts are rendered in the participant's language then.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from pydantic import JsonValue

from companion import participants as people
from companion.content.fv_catalogue import Catalogue
from companion.outbox import events_entry, text_entry
from companion.ports import (
    ChannelLink,
    DuplicateInput,
    OutboxEntry,
    Participant,
    Reminder,
    ReminderSettings,
)
from companion.reminders import texts as t
from companion.reminders.service import Reminders
from companion.reminders.timing import Timing, TimingError

log = logging.getLogger(__name__)

LEASE = "reminders.dispatcher"
CHECKIN_FLOW = "fv_checkin"
Outcome = Literal["sent", "deferred", "missed", "skipped", "cancelled", "gone", "error"]


@dataclass(frozen=True)
class Policy:
    """How late is still useful, and how the dispatcher works through what is due."""

    grace: Mapping[str, timedelta] = field(
        default_factory=lambda: {
            "assignment": timedelta(hours=6),
            "checkin": timedelta(hours=12),
            "meeting": timedelta(hours=1),
        }
    )
    """How late a reminder may still be sent after downtime, per kind."""
    default_grace: timedelta = timedelta(hours=3)
    busy_window: timedelta = timedelta(hours=2)
    """A check-in waits while another conversation got an answer this recently."""
    busy_retry: timedelta = timedelta(minutes=30)
    error_retry: timedelta = timedelta(minutes=10)
    batch: int = 100
    """Reminders handled per tick at most (each in its own transaction)."""
    lease_ttl: timedelta = timedelta(seconds=60)
    backlog: int | None = 60
    """Back-pressure: enqueue only while fewer rows than this wait in the outbox of
    ``backlog_channels`` (about two seconds of sending at 30/s). The rest stay due in their
    table, durable as ever, and go at the next tick; the sender, which re-reads what is
    pending before every call, stays fast. None: no limit."""
    backlog_channels: tuple[str, ...] = ("telegram",)


@dataclass
class TickReport:
    """What one tick did."""

    leased: bool = True
    examined: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    full: bool = False
    """The batch was full: more may be due (tick again at once)."""
    throttled: bool = False
    """The outbox backlog was full: more may be due (tick again soon)."""

    @property
    def sent(self) -> int:
        return self.outcomes.get("sent", 0)

    def count(self, outcome: Outcome) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def summary(self) -> str:
        if not self.leased:
            return "lease held by another dispatcher"
        done = ", ".join(f"{n} {k}" for k, n in sorted(self.outcomes.items()))
        return f"{self.examined} due: {done or 'nothing'}"


class _Lost(Exception):
    """The reminder changed under us: roll the transaction back."""


def describe(error: BaseException) -> str:
    """The failure for the log without its message (which could quote what a person wrote or
    an assignment's text): the type and where it happened."""
    frames = traceback.format_tb(error.__traceback__)
    return f"{type(error).__name__}\n{''.join(frames)}".rstrip()


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Dispatcher:
    """See the module docstring. ``tick()`` is synchronous and bounded (``policy.batch``)."""

    def __init__(
        self,
        reminders: Reminders,
        *,
        holder: str | None = None,
        policy: Policy | None = None,
    ) -> None:
        self.reminders = reminders
        self.services = reminders.services
        self.store = reminders.store
        self.holder = holder or default_holder()
        self.policy = policy or Policy()

    @property
    def catalogue(self) -> Catalogue:
        return self.reminders.catalogue

    def now(self) -> datetime:
        return self.services.clock.now()

    # --- the lease ----------------------------------------------------------------------------

    def hold(self) -> bool:
        """Take or renew the lease; False while another dispatcher holds it."""
        return self.store.acquire_lease(LEASE, self.holder, self.policy.lease_ttl)

    def release(self) -> None:
        self.store.release_lease(LEASE, self.holder)

    # --- a tick -------------------------------------------------------------------------------

    def tick(self) -> TickReport:
        """Handle what is due now (at most ``policy.batch``), if this dispatcher holds the lease."""
        report, due = self.begin()
        for reminder in due:
            report.count(self.dispatch(reminder))
        return report

    def begin(self) -> tuple[TickReport, list[Reminder]]:
        """The first half of a tick: the lease, the outbox backlog, and what is due now (an
        async host dispatches them one by one, yielding in between: see ``runner``)."""
        if not self.hold():
            return TickReport(leased=False), []
        report = TickReport()
        room = self._room()
        limit = self.policy.batch if room is None else min(self.policy.batch, room)
        if limit <= 0:
            report.throttled = True
            return report, []
        due = self.store.due_reminders(self.now(), limit)
        report.examined = len(due)
        report.full = len(due) >= self.policy.batch
        report.throttled = len(due) >= limit and limit < self.policy.batch
        return report, due

    def _room(self) -> int | None:
        """How many more rows the outbox backlog takes now (None: no limit)."""
        cap = self.policy.backlog
        if cap is None:
            return None
        outbox = self.services.outbox
        waiting = sum(len(outbox.pending(c, limit=cap)) for c in self.policy.backlog_channels)
        return max(cap - waiting, 0)

    def dispatch(self, reminder: Reminder) -> Outcome:
        """Decide about one due reminder and record it, in one transaction."""
        try:
            with self.store.transaction():
                current = self.store.get_reminder(reminder.id)
                now = self.now()
                if current is None or current.status != "pending" or current.due_at > now:
                    return "gone"
                return self._decide(current, now)
        except _Lost:
            return "gone"
        except Exception as error:  # a bug must not stop every other reminder
            log.error("reminder %s failed: %s", reminder.id, describe(error))
            retry = self.now() + self.policy.error_retry
            with self.store.transaction():
                self.store.defer(reminder.id, retry, f"error:{type(error).__name__}")
            return "error"

    def _finish(
        self, reminder: Reminder, status: Literal["missed", "skipped", "cancelled"], note: str
    ) -> Outcome:
        self.store.finish(reminder.id, status, note=note)
        return status

    def _decide(self, r: Reminder, now: datetime) -> Outcome:
        participant = self.services.directory.get_participant(r.participant_id)
        if participant is None:
            return self._finish(r, "cancelled", "participant_gone")
        ended = self._ended(r, now)
        if ended is not None:
            return ended
        links = self._reachable(r, participant)
        if not isinstance(links, list):
            return links
        timing = self._timing(participant.id)
        if r.payload.get("quiet", True) is not False and timing.is_quiet(now):
            morning = timing.quiet_ends(now)
            if r.not_after is not None and morning >= r.not_after:
                return self._finish(r, "missed", "quiet_hours")
            self.store.defer(r.id, morning, "quiet_hours")
            return "deferred"
        if r.kind == "checkin":
            return self._checkin(r, participant, links, now)
        entries = [
            self._text_entry(r, participant, timing, link.channel, link.external_id)
            for link in links
        ]
        note = "enqueued"
        try:
            self.services.outbox.enqueue(entries, input_key=f"reminder:{r.idempotency_key}")
        except DuplicateInput:
            note = "already_enqueued"  # handed over before; never twice
        if not self.store.finish(r.id, "sent", note=note):
            raise _Lost(r.id)
        return "sent"

    def _ended(self, r: Reminder, now: datetime) -> Outcome | None:
        """Cancelled (its assignment or meeting is gone) or missed (too late), if so."""
        if r.assignment_id:
            assignment = self.store.get_assignment(r.assignment_id)
            if assignment is None or assignment.status != "open":
                return self._finish(r, "cancelled", "assignment_closed")
        if r.meeting_id:
            meeting = self.store.get_meeting(r.meeting_id)
            if meeting is None or meeting.status != "planned":
                return self._finish(r, "cancelled", "meeting_cancelled")
        if r.not_after is not None and now >= r.not_after:
            return self._finish(r, "missed", "too_late")
        if now - r.due_at > self.policy.grace.get(r.kind, self.policy.default_grace):
            return self._finish(r, "missed", "downtime")
        return None

    def _reachable(self, r: Reminder, participant: Participant) -> list[ChannelLink] | Outcome:
        """The chats to send to, or ``skipped`` (stopped, no consent, unreachable)."""
        s = self.services
        if participant.messages_stopped:
            return self._finish(r, "skipped", "stopped")
        if not people.has_consent(s.conversations, participant.id):
            return self._finish(r, "skipped", "no_consent")
        links = people.reachable_links(s.directory, participant.id)
        if not links:
            return self._finish(r, "skipped", "unreachable")
        return links

    def _timing(self, participant_id: str) -> Timing:
        try:
            return self.reminders.timing(participant_id)
        except TimingError:  # a stored setting that no longer parses: the defaults
            return Timing.of(ReminderSettings(participant_id=participant_id))

    # --- check-ins ----------------------------------------------------------------------------

    def _checkin(
        self, r: Reminder, participant: Participant, links: list[ChannelLink], now: datetime
    ) -> Outcome:
        s = self.services
        if CHECKIN_FLOW not in s.engine.flows:
            return self._finish(r, "skipped", "no_checkin_flow")
        assignment = self.store.get_assignment(r.assignment_id) if r.assignment_id else None
        open_session = s.conversations.open_session(participant.id)
        if open_session is not None:
            if assignment is not None and open_session.id == assignment.checkin_session_id:
                if not self.store.finish(r.id, "sent", note="already_open"):
                    raise _Lost(r.id)
                return "sent"
            busy = now - open_session.updated_at < self.policy.busy_window
            if open_session.status == "waiting" and busy:
                retry = now + self.policy.busy_retry
                if r.not_after is not None and retry >= r.not_after:
                    return self._finish(r, "missed", "busy")
                self.store.defer(r.id, retry, "busy")
                return "deferred"
        sprint = s.engine.start(
            CHECKIN_FLOW,
            locale=participant.locale,
            participant_id=participant.id,
            params=self._checkin_params(r),
        )
        entries: list[OutboxEntry] = [
            events_entry(link.channel, link.external_id, sprint, participant_id=participant.id)
            for link in links
        ]
        try:
            s.conversations.record_sprint(
                None,
                sprint.session,
                sprint.events,
                input_key=f"reminder:{r.idempotency_key}",
                outbox=entries,
            )
        except DuplicateInput:
            if not self.store.finish(r.id, "sent", note="already_enqueued"):
                raise _Lost(r.id) from None
            return "sent"
        if assignment is not None:
            self.store.link_checkin(assignment.id, sprint.session.id)
        if not self.store.finish(r.id, "sent", note="enqueued", session_id=sprint.session.id):
            raise _Lost(r.id)
        s.audit.append(
            "system",
            "reminder.checkin_started",
            f"participant:{participant.id}",
            {"reminder_id": r.id, "session_id": sprint.session.id},
        )
        return "sent"

    def _checkin_params(self, r: Reminder) -> dict[str, str]:
        assignment = self.store.get_assignment(r.assignment_id) if r.assignment_id else None
        if assignment is None:
            return {}
        params = {"assignment": assignment.text, "component": "", "question": ""}
        try:
            component = self.catalogue.component(assignment.component)
        except KeyError:
            return {**params, "component": assignment.component}
        return {**params, "component": component.name, "question": component.check_in}

    # --- texts --------------------------------------------------------------------------------

    def _text_entry(
        self, r: Reminder, participant: Participant, timing: Timing, channel: str, chat_id: str
    ) -> OutboxEntry:
        """A channel-neutral ``text`` row; ``speak`` (the language) asks a channel that can to
        send it as a voice note too, for a participant with voice on."""
        entry = text_entry(channel, chat_id, self._text(r, participant, timing))
        payload: dict[str, JsonValue] = {**entry.payload, "reminder_id": r.id}
        if participant.voice:
            payload["speak"] = participant.locale
        return entry.model_copy(update={"payload": payload, "participant_id": participant.id})

    def _text(self, r: Reminder, participant: Participant, timing: Timing) -> str:
        localizer = self.services.localizer
        locale = participant.locale
        cldr = t.cldr(localizer, locale)
        name = participant.display_name
        parts: list[str] = []
        if r.kind == "meeting":
            meeting = self.store.get_meeting(r.meeting_id or "")
            assert meeting is not None
            when = meeting.starts_at
            values = {
                "name": name,
                "date": t.weekday_date(cldr, when, timing.tz),
                "time": t.clock_time(cldr, when, timing.tz),
            }
            if meeting.place:
                parts.append(
                    t.say(localizer, locale, t.MEETING_PLACE, **values, place=meeting.place)
                )
            else:
                parts.append(t.say(localizer, locale, t.MEETING, **values))
        else:
            assignment = self.store.get_assignment(r.assignment_id or "")
            assert assignment is not None
            given = r.payload.get("meeting_at")
            when = (
                datetime.fromisoformat(given) if isinstance(given, str) else assignment.assigned_at
            )
            parts.append(
                t.say(
                    localizer,
                    locale,
                    t.ASSIGNMENT,
                    name=name,
                    date=t.weekday_date(cldr, when, timing.tz),
                    assignment=assignment.text,
                )
            )
            simpler = assignment.simpler_text
            if simpler and assignment.variant != "simpler" and simpler != assignment.text:
                parts.append(t.say(localizer, locale, t.ASSIGNMENT_SIMPLER, simpler=simpler))
        parts.append(t.say(localizer, locale, t.HOW_TO_ANSWER))
        return "\n\n".join(parts)
