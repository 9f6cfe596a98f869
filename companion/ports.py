"""Storage ports: what the core needs from a database, as Protocols plus the records they return.

Adapters live in ``companion.store`` (SQLite) and ``companion.memory_store`` (fakes); both return
these frozen records, never rows. Timestamps are timezone-aware UTC datetimes; ids are strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

from pydantic import AwareDatetime, BaseModel, ConfigDict, JsonValue, field_validator

from companion.flows import Session

StaffRole = Literal["caseworker", "leader", "admin"]
ParticipantRole = Literal["youth", "parent", "child"]
CaseStatus = Literal["open", "closed"]
Severity = Literal["low", "high"]


class StoreError(Exception):
    """Base class for the errors every store raises the same way."""


class StaleSession(StoreError):
    """The session changed since the caller read it (or already exists); nothing was written."""


class AlreadyExists(StoreError):
    """A unique value (username, channel account …) is already taken."""


class UnknownReference(StoreError):
    """A record points at a caseworker, case or participant that does not exist."""


class DuplicateInput(StoreError):
    """The input (its idempotency key) was processed before; nothing was written."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _in_utc(cls, value: Any) -> Any:
        """Every timestamp in UTC, whichever adapter (or clock) produced it."""
        return value.astimezone(UTC) if isinstance(value, datetime) else value


class Caseworker(_Record):
    """A member of staff who signs in to the TUI."""

    id: str
    username: str
    display_name: str
    role: StaffRole
    password_hash: str
    disabled: bool = False
    created_at: AwareDatetime
    failed_logins: int = 0
    """Failed sign-ins in a row since the last success or lockout (``companion.accounts``)."""
    locked_until: AwareDatetime | None = None


class Case(_Record):
    """One family's case, owned by a caseworker; ``title`` is an alias, never a full name."""

    id: str
    caseworker_id: str
    title: str
    status: CaseStatus = "open"
    created_at: AwareDatetime
    next_meeting_at: AwareDatetime | None = None


class Participant(_Record):
    """A youth, parent or child in a case, known by a first name or alias only."""

    id: str
    case_id: str
    role: ParticipantRole
    display_name: str
    locale: str = "nb"
    voice: bool = False
    created_at: AwareDatetime
    messages_stopped: bool = False
    """The person asked for no more prompts or reminders (``/stop``) until they start again."""
    erased_at: AwareDatetime | None = None
    """When a caseworker confirmed deletion: the row is then an anonymised tombstone kept for the
    audit chain's ids (``companion.data_rights``)."""


class ChannelLink(_Record):
    """Which chat account (e.g. a Telegram user id) belongs to a participant."""

    participant_id: str
    channel: str
    external_id: str
    linked_at: AwareDatetime
    unreachable_at: AwareDatetime | None = None
    """When the channel refused a message (e.g. the bot was blocked); ``None`` while reachable."""


class Invite(_Record):
    """A single-use invite for one participant; only a hash of its code is stored."""

    id: str
    participant_id: str
    code_hash: str
    created_by: str
    created_at: AwareDatetime
    expires_at: AwareDatetime
    redeemed_at: AwareDatetime | None = None


OutboxKind = Literal["api", "text", "events"]
"""``api``: one channel API call ``{"method", "params"}`` rendered by the channel adapter;
``text``: ``{"text"}`` to deliver as it is; ``events``: a flow's shown events (rendered when sent).
The last two are channel-neutral, so the TUI and the CLI can enqueue without knowing the bot."""
OutboxStatus = Literal["pending", "sent", "failed"]


class OutboxEntry(_Record):
    """Something to send on a channel, enqueued in the same transaction as what caused it."""

    channel: str
    chat_id: str
    kind: OutboxKind
    payload: dict[str, JsonValue]
    participant_id: str | None = None


class OutboxItem(_Record):
    """A stored outbox row; ``progress`` counts the API calls of this row already made."""

    id: int
    channel: str
    chat_id: str
    kind: OutboxKind
    payload: dict[str, JsonValue]
    participant_id: str | None = None
    status: OutboxStatus = "pending"
    attempts: int = 0
    progress: int = 0
    created_at: AwareDatetime
    not_before: AwareDatetime | None = None
    sent_at: AwareDatetime | None = None
    error: str | None = None
    message_id: int | None = None
    """The channel's id of the last message this row sent (for later edits)."""


Direction = Literal["in", "out"]


class InboxMessage(_Record):
    """A message between meetings: ``in`` from a participant, ``out`` from a caseworker."""

    id: str
    case_id: str
    participant_id: str | None
    direction: Direction
    text: str
    at: AwareDatetime
    author: str | None = None
    """Who wrote an ``out`` message (a caseworker id)."""
    read_at: AwareDatetime | None = None
    delivered_at: AwareDatetime | None = None


class Assignment(_Record):
    """A home assignment the kontaktperson gave a participant."""

    id: str
    case_id: str
    participant_id: str | None
    meeting_no: int
    component: str
    text: str
    simpler_text: str | None = None
    assigned_at: AwareDatetime
    due_at: AwareDatetime | None = None
    """When it is reviewed: the start of the next meeting, if known."""
    status: str = "open"
    course_id: str | None = None
    variant: str | None = None
    """``standard``, ``simpler`` (the catalogue's simpler variant) or ``edited``."""
    checkin_session_id: str | None = None
    """The check-in session (``fv_checkin``) started for this assignment: its answers."""


ReminderKind = Literal["assignment", "checkin", "meeting"]
"""``assignment``: the home assignment in plain words; ``checkin``: start the check-in flow;
``meeting``: a meeting is coming up."""
ReminderStatus = Literal["pending", "sent", "missed", "skipped", "cancelled"]
"""``sent``: handed to the outbox (or the check-in started), exactly once; ``missed``: too late
(downtime past the grace window, quiet hours up to the deadline); ``skipped``: not sent by rule
(stopped, no consent, unreachable); ``cancelled``: no longer wanted (assignment or meeting gone)."""
CourseStatus = Literal["active", "ended"]
MeetingStatus = Literal["planned", "cancelled"]


class ReminderSettings(_Record):
    """When a participant wants reminders, in their own time zone (wall-clock ``HH:MM``)."""

    participant_id: str
    preferred_time: str = "18:00"
    quiet_start: str = "21:00"
    """Quiet hours ``[quiet_start, quiet_end)``, across midnight when start > end; none when equal."""
    quiet_end: str = "08:00"
    timezone: str = "Europe/Oslo"
    updated_at: AwareDatetime | None = None


class Course(_Record):
    """A Familieveiledning course for one parent: the pathway and its meetings."""

    id: str
    case_id: str
    participant_id: str
    pathway: str
    created_by: str
    created_at: AwareDatetime
    status: CourseStatus = "active"


class Meeting(_Record):
    """A meeting with the kontaktperson (in a course, or on its own)."""

    id: str
    case_id: str
    participant_id: str | None
    course_id: str | None = None
    meeting_no: int | None = None
    starts_at: AwareDatetime
    place: str | None = None
    created_at: AwareDatetime
    status: MeetingStatus = "planned"


class NewReminder(_Record):
    """A reminder to schedule; ``idempotency_key`` names the occurrence (scheduling it again is
    a no-op)."""

    participant_id: str
    kind: ReminderKind
    due_at: AwareDatetime
    idempotency_key: str
    payload: dict[str, JsonValue] = {}
    not_after: AwareDatetime | None = None
    """After this it is pointless (e.g. the meeting started): recorded as missed instead."""
    assignment_id: str | None = None
    meeting_id: str | None = None


class Reminder(_Record):
    """A scheduled reminder occurrence; its due time lives here, never in a timer."""

    id: str
    participant_id: str
    kind: ReminderKind
    due_at: AwareDatetime
    payload: dict[str, JsonValue] = {}
    status: ReminderStatus = "pending"
    idempotency_key: str
    created_at: AwareDatetime
    not_after: AwareDatetime | None = None
    assignment_id: str | None = None
    meeting_id: str | None = None
    session_id: str | None = None
    """The check-in session a ``checkin`` reminder started."""
    note: str | None = None
    """Why it ended as it did (``quiet_hours``, ``downtime``, ``stopped`` …) or was deferred."""
    handled_at: AwareDatetime | None = None


class ReminderDelivery(_Record):
    """One decision the dispatcher took about a reminder (the ``deliveries`` log)."""

    id: str
    reminder_id: str
    attempt: int
    at: AwareDatetime
    status: str
    """``sent``, ``deferred``, ``missed``, ``skipped``, ``cancelled`` or ``rescheduled``."""
    note: str | None = None


class Lease(_Record):
    """Who may work on something (e.g. dispatch reminders) until when."""

    name: str
    holder: str
    acquired_at: AwareDatetime
    expires_at: AwareDatetime


class StoredAnswer(_Record):
    """One accepted answer, kept even after ``back`` replaces it in the session."""

    session_id: str
    seq: int
    key: str
    flow_id: str
    node_id: str | None
    value: JsonValue
    source: str
    confidence: float | None = None
    at: AwareDatetime


class StoredResult(_Record):
    """A structured result (themes, network map …) as it stood when its session last changed."""

    session_id: str
    participant_id: str | None
    flow_id: str
    name: str
    data: dict[str, JsonValue]
    updated_at: AwareDatetime


class Consent(_Record):
    """A consent answer with the exact text the person saw."""

    id: str
    participant_id: str | None
    session_id: str | None
    consent: str
    version: str
    granted: bool
    text: str
    at: AwareDatetime


class Flag(_Record):
    """Something a caseworker must look at (e.g. a youth asked for help now)."""

    id: str
    participant_id: str | None
    session_id: str | None
    severity: Severity
    reason: str
    trigger: str | None = None
    at: AwareDatetime
    acknowledged_at: AwareDatetime | None = None


class AuditEntry(_Record):
    """One link of the hash-chained audit log; ``id`` is its position in the chain (from 1)."""

    id: int
    at: AwareDatetime
    actor: str
    action: str
    subject: str
    details: dict[str, JsonValue]
    prev_hash: str
    hash: str


class ConversationStore(Protocol):
    """Sessions and what their sprints produced (answers, results, consents, flags)."""

    def record_sprint(
        self,
        previous: Session | None,
        session: Session,
        events: Sequence[object],
        *,
        input_key: str | None = None,
        outbox: Sequence[OutboxEntry] = (),
    ) -> None:
        """Store one sprint atomically; raise ``StaleSession`` if ``previous`` is out of date.

        Replaying a sprint that is already stored is a no-op, so a retry is always safe.
        ``input_key`` (e.g. ``telegram:<update_id>``) is marked processed and the ``outbox``
        entries (the replies) are enqueued in the same transaction; if the key was processed
        before, ``DuplicateInput`` is raised and nothing is written.
        """
        ...

    def add_flag(
        self,
        participant_id: str | None,
        severity: Severity,
        reason: str,
        trigger: str | None = None,
    ) -> Flag:
        """Raise a flag outside any sprint (e.g. a participant blocked the bot)."""
        ...

    def get_session(self, session_id: str) -> Session | None: ...

    def open_session(self, participant_id: str, flow_id: str | None = None) -> Session | None:
        """The participant's most recently updated waiting or paused session."""
        ...

    def sessions_for(self, participant_id: str) -> list[Session]:
        """Every session of a participant, oldest first."""
        ...

    def due_sessions(self, now: datetime, limit: int = 100) -> list[Session]:
        """Waiting or paused sessions whose timeout or expiry is at or before ``now``."""
        ...

    def answers_for(self, session_id: str) -> list[StoredAnswer]:
        """Every answer ever accepted in the session, in the order given."""
        ...

    def results_for(self, participant_id: str) -> dict[str, list[StoredResult]]:
        """Results by name; each list holds one entry per session, oldest first."""
        ...

    def consents_for(self, participant_id: str) -> list[Consent]: ...

    def record_consent(
        self, participant_id: str, consent: str, version: str, granted: bool, text: str
    ) -> Consent:
        """A consent answer given outside a flow (e.g. withdrawn by a chat command or recorded
        by the caseworker); it counts like one given in onboarding."""
        ...

    def open_flags(self, participant_id: str | None = None) -> list[Flag]:
        """Unacknowledged flags, oldest first (of everyone when ``participant_id`` is None)."""
        ...

    def acknowledge_flag(self, flag_id: str) -> None:
        """Mark a flag as seen now; unknown or already acknowledged flags are left alone."""
        ...


class DirectoryStore(Protocol):
    """People: caseworkers, their cases, the participants in them and their chat accounts."""

    def add_caseworker(
        self, username: str, display_name: str, role: StaffRole, password_hash: str
    ) -> Caseworker:
        """Raise ``AlreadyExists`` if the username is taken."""
        ...

    def get_caseworker(self, caseworker_id: str) -> Caseworker | None: ...

    def get_caseworker_by_username(self, username: str) -> Caseworker | None: ...

    def list_caseworkers(self) -> list[Caseworker]:
        """Every account, oldest first."""
        ...

    def update_caseworker(
        self,
        caseworker_id: str,
        *,
        display_name: str | None = None,
        role: StaffRole | None = None,
        password_hash: str | None = None,
        disabled: bool | None = None,
    ) -> Caseworker:
        """Change the given fields; raise ``UnknownReference`` for an unknown account."""
        ...

    def set_login_state(
        self, caseworker_id: str, failed_logins: int, locked_until: datetime | None
    ) -> None:
        """Store the failed-sign-in count and lock (unknown accounts are left alone)."""
        ...

    def add_case(
        self, caseworker_id: str, title: str, next_meeting_at: datetime | None = None
    ) -> Case: ...

    def get_case(self, case_id: str) -> Case | None: ...

    def cases_for_caseworker(self, caseworker_id: str) -> list[Case]: ...

    def add_participant(
        self,
        case_id: str,
        role: ParticipantRole,
        display_name: str,
        locale: str = "nb",
        voice: bool = False,
    ) -> Participant: ...

    def get_participant(self, participant_id: str) -> Participant | None: ...

    def participants_in_case(self, case_id: str) -> list[Participant]: ...

    def link_channel(self, participant_id: str, channel: str, external_id: str) -> ChannelLink:
        """Raise ``AlreadyExists`` if the account belongs to someone else; relinking is a no-op."""
        ...

    def participant_by_channel(self, channel: str, external_id: str) -> Participant | None: ...

    def links_for(self, participant_id: str) -> list[ChannelLink]:
        """The participant's chat accounts, oldest first."""
        ...

    def set_reachable(self, channel: str, external_id: str, reachable: bool) -> bool:
        """Mark a chat account (un)reachable; True if that changed anything."""
        ...

    def update_participant(
        self,
        participant_id: str,
        *,
        locale: str | None = None,
        voice: bool | None = None,
        messages_stopped: bool | None = None,
    ) -> Participant:
        """Change the given settings; raise ``UnknownReference`` for an unknown participant."""
        ...

    def add_invite(
        self, participant_id: str, code_hash: str, created_by: str, expires_at: datetime
    ) -> Invite:
        """Raise ``UnknownReference`` for an unknown participant or caseworker."""
        ...

    def redeem_invite(self, code_hash: str, now: datetime) -> Invite | None:
        """Mark the unexpired, unredeemed invite with this hash redeemed; None if there is none."""
        ...

    def invites_for(self, participant_id: str) -> list[Invite]: ...


class OutboxStore(Protocol):
    """The transactional outbox: replies committed with their cause, sent after the commit.

    Also keeps the idempotency keys of processed inputs and small rate-limit counters.
    """

    def enqueue(self, entries: Sequence[OutboxEntry], *, input_key: str | None = None) -> None:
        """Store entries (and mark ``input_key`` processed) in one transaction.

        Raise ``DuplicateInput`` (writing nothing) if ``input_key`` was processed before.
        """
        ...

    def processed(self, input_key: str) -> bool: ...

    def pending(self, channel: str, limit: int = 100, *, after: int = 0) -> list[OutboxItem]:
        """Unsent rows of a channel, oldest first; only rows with an id above ``after`` (ids
        only grow, so a sender that remembers the rows it has asks for the new ones)."""
        ...

    def items(self, channel: str | None = None) -> list[OutboxItem]:
        """Every row, oldest first (for tests and status screens)."""
        ...

    def mark_progress(self, item_id: int, progress: int, message_id: int | None = None) -> None:
        """``progress`` calls of the row are done (the last one sent ``message_id``)."""
        ...

    def mark_sent(self, item_id: int) -> None:
        """The row is delivered; its payload is dropped (nothing kept that is not needed)."""
        ...

    def mark_all_sent(self, sent: Sequence[tuple[int, int, int | None]]) -> None:
        """Rows delivered, as (id, calls made, id of the last message or None to keep the
        stored one), in one transaction: a sender marks what it sent in batches."""
        ...

    def mark_retry(self, item_id: int, error: str, not_before: datetime) -> None:
        """A failed attempt: count it and wait until ``not_before``."""
        ...

    def mark_failed(self, item_id: int, error: str) -> None:
        """Give up on the row (e.g. the chat blocked the bot)."""
        ...

    def fail_pending(self, channel: str, chat_id: str, error: str) -> int:
        """Give up on every unsent row for one chat; how many."""
        ...

    def first_enqueued(self, channel: str, chat_id: str, since: datetime) -> list[OutboxItem]:
        """The rows for one chat enqueued first at or after ``since``: those of one write (one
        sprint's replies, all with the same ``created_at``), oldest first; [] if none.

        A channel reads when what a session asked at ``since`` reached the person from them."""
        ...

    def hit(self, key: str, window: timedelta) -> int:
        """Count one event for ``key`` in a fixed window starting at its first event; the count."""
        ...


class InboxStore(Protocol):
    """Messages between meetings, inputs waiting for «answer or message?», assignments."""

    def add_message(
        self,
        case_id: str,
        participant_id: str | None,
        direction: Direction,
        text: str,
        *,
        author: str | None = None,
        input_key: str | None = None,
        outbox: Sequence[OutboxEntry] = (),
        message_id: str | None = None,
    ) -> InboxMessage:
        """Store a message, mark ``input_key`` processed and enqueue ``outbox``, atomically.

        ``message_id`` lets a caller name the message in ``outbox`` (made by ``IdFactory``).

        Raise ``DuplicateInput`` (writing nothing) if ``input_key`` was processed before.
        """
        ...

    def messages_for(self, participant_id: str) -> list[InboxMessage]:
        """The participant's messages, oldest first."""
        ...

    def messages_in_case(self, case_id: str) -> list[InboxMessage]: ...

    def mark_delivered(self, message_id: str) -> None: ...

    def mark_read(self, message_id: str) -> None: ...

    def hold(
        self,
        hold_id: str,
        participant_id: str,
        session_id: str,
        text: str,
        *,
        input_key: str | None = None,
        outbox: Sequence[OutboxEntry] = (),
    ) -> None:
        """Keep a text until the person says whether it answers the question.

        The caller picks ``hold_id`` (the buttons in ``outbox`` name it). Marks ``input_key``
        processed and enqueues ``outbox`` in the same transaction (``DuplicateInput`` as above).
        """
        ...

    def take_held(self, hold_id: str, participant_id: str) -> tuple[str, str] | None:
        """(session id, text) of a held input, removing it; None if it is gone."""
        ...

    def open_assignments(self, participant_id: str) -> list[Assignment]: ...


class ReminderStore(Protocol):
    """Courses, meetings, assignments and their reminders, per-participant timing, and the
    dispatcher's lease (``companion.reminders``).

    ``transaction()`` groups calls (and the outbox and conversation calls on the same database)
    into one transaction that takes the write lock up front; the in-memory fake only groups.
    """

    def transaction(self) -> AbstractContextManager[None]: ...

    def reminder_settings(self, participant_id: str) -> ReminderSettings:
        """The participant's settings, or the defaults if none are stored."""
        ...

    def set_reminder_settings(self, settings: ReminderSettings) -> ReminderSettings:
        """Store (replace) the settings; raise ``UnknownReference`` for an unknown participant."""
        ...

    def add_course(
        self, case_id: str, participant_id: str, pathway: str, created_by: str
    ) -> Course: ...

    def get_course(self, course_id: str) -> Course | None: ...

    def courses_for(self, participant_id: str) -> list[Course]:
        """Oldest first."""
        ...

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
        """Also sets the case's ``next_meeting_at`` to its next planned meeting."""
        ...

    def get_meeting(self, meeting_id: str) -> Meeting | None: ...

    def meetings_for(self, participant_id: str) -> list[Meeting]:
        """Planned and cancelled, by start time."""
        ...

    def cancel_meeting(self, meeting_id: str) -> bool:
        """Mark it cancelled and cancel its pending reminders; False if unknown or cancelled."""
        ...

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
    ) -> Assignment: ...

    def get_assignment(self, assignment_id: str) -> Assignment | None: ...

    def assignments_for(self, participant_id: str) -> list[Assignment]:
        """Every assignment (open or not), by meeting number then time given."""
        ...

    def assignment_for_session(self, session_id: str) -> Assignment | None:
        """The assignment whose check-in is this session."""
        ...

    def link_checkin(self, assignment_id: str, session_id: str) -> None:
        """The check-in session for the assignment (its answers land on the assignment)."""
        ...

    def close_assignment(self, assignment_id: str, status: str = "closed") -> bool:
        """Close it and cancel its pending reminders; False if unknown or already closed."""
        ...

    def schedule(self, reminders: Sequence[NewReminder]) -> list[Reminder]:
        """Insert each unless its ``idempotency_key`` exists; the stored rows, in order."""
        ...

    def get_reminder(self, reminder_id: str) -> Reminder | None: ...

    def reminders_for(
        self,
        participant_id: str | None = None,
        *,
        assignment_id: str | None = None,
        status: ReminderStatus | None = None,
    ) -> list[Reminder]:
        """By due time (then id)."""
        ...

    def due_reminders(self, now: datetime, limit: int = 100) -> list[Reminder]:
        """Pending reminders due at or before ``now``, oldest first: an index range scan, so
        the cost grows with what is due, not with what is scheduled."""
        ...

    def next_due(self) -> datetime | None:
        """The earliest pending due time."""
        ...

    def finish(
        self,
        reminder_id: str,
        status: ReminderStatus,
        *,
        note: str | None = None,
        session_id: str | None = None,
    ) -> bool:
        """Pending → ``status`` (compare-and-set) and log the decision; False if not pending."""
        ...

    def defer(self, reminder_id: str, due_at: datetime, note: str) -> bool:
        """Move a pending reminder to ``due_at`` and log why; False if not pending."""
        ...

    def deliveries_for(self, reminder_id: str) -> list[ReminderDelivery]: ...

    def acquire_lease(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Take or renew the lease until now + ``ttl``; False while someone else holds it."""
        ...

    def release_lease(self, name: str, holder: str) -> None:
        """Give the lease up (only its holder can)."""
        ...

    def get_lease(self, name: str) -> Lease | None: ...


class ErasureStore(Protocol):
    """Removes a participant's data everywhere once a caseworker confirmed their deletion."""

    def erase_participant(self, participant_id: str) -> dict[str, int]:
        """Delete their answers, results, sessions, consents, flags, messages, held inputs,
        outbox rows, reminders, assignments, plan drafts and chat links, and anonymise the
        participant row (a tombstone: ``erased_at`` set, no name). Rows removed per kind;
        an unknown participant raises ``UnknownReference``. The audit log is not touched."""
        ...

    def compact(self) -> None:
        """Make sure freed space keeps no old text (rewrite the file, empty the WAL)."""
        ...


class Note(_Record):
    """A caseworker's short note on one answer or result item in a case."""

    id: str
    case_id: str
    participant_id: str | None
    subject: str
    """Which item: ``<session id>/<result name>`` or ``<session id>/<result name>/<item>``."""
    author_id: str
    text: str
    at: AwareDatetime


class NoteStore(Protocol):
    """Notes staff attach to answers (the service checks access; the store only keeps them)."""

    def add_note(
        self,
        case_id: str,
        participant_id: str | None,
        subject: str,
        author_id: str,
        text: str,
    ) -> Note:
        """Store a note; ``UnknownReference`` if the case does not exist."""
        ...

    def notes_in_case(self, case_id: str) -> list[Note]:
        """The case's notes, oldest first."""
        ...


class AuditLog(Protocol):
    """Append-only, hash-chained record of who did what."""

    def append(self, actor: str, action: str, subject: str, details: Mapping[str, Any]) -> None: ...

    def entries(self) -> list[AuditEntry]: ...

    def verify(self) -> list[str]:
        """Problems found in the chain; empty when it is intact."""
        ...
