"""In-memory fakes of the storage ports, with the same semantics as ``companion.store`` (G3).

The contract tests in ``tests/store`` run against these and the SQLite adapter alike. Sessions
are kept as JSON, like the real store, so a session that does not round-trip fails here too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from companion.flows import Session
from companion.flows.ports import Clock, IdFactory
from companion.flows.session import RESUMABLE
from companion.ports import (
    AlreadyExists,
    Assignment,
    AuditEntry,
    Case,
    Caseworker,
    ChannelLink,
    Consent,
    Course,
    Direction,
    DuplicateInput,
    Flag,
    InboxMessage,
    Invite,
    Lease,
    Meeting,
    NewReminder,
    Note,
    OutboxEntry,
    OutboxItem,
    Participant,
    ParticipantRole,
    Reminder,
    ReminderDelivery,
    ReminderSettings,
    ReminderStatus,
    Severity,
    StaffRole,
    StaleSession,
    StoredAnswer,
    StoredResult,
    UnknownReference,
)
from companion.store.records import GENESIS_HASH, canonical_json, chain_hash, utc_text, verify_chain
from companion.store.records import sprint_records as _sprint_records


class MemoryOutboxStore:
    """``OutboxStore`` in lists; the other memory stores write their replies here."""

    def __init__(self, *, clock: Clock) -> None:
        self.clock = clock
        self._processed: dict[str, datetime] = {}
        self._items: dict[int, OutboxItem] = {}
        self._counters: dict[str, tuple[datetime, int]] = {}

    def check(self, input_key: str | None) -> None:
        """Raise ``DuplicateInput`` if ``input_key`` was processed (before writing anything)."""
        if input_key is not None and input_key in self._processed:
            raise DuplicateInput(f"input {input_key} was processed before")

    def write(self, input_key: str | None, entries: Sequence[OutboxEntry]) -> None:
        """Mark the key and add the entries (after ``check`` passed)."""
        now = self.clock.now()
        if input_key is not None:
            self._processed[input_key] = now
        for entry in entries:
            item_id = len(self._items) + 1
            self._items[item_id] = OutboxItem(id=item_id, created_at=now, **entry.model_dump())

    def enqueue(self, entries: Sequence[OutboxEntry], *, input_key: str | None = None) -> None:
        self.check(input_key)
        self.write(input_key, entries)

    def processed(self, input_key: str) -> bool:
        return input_key in self._processed

    def pending(self, channel: str, limit: int = 100, *, after: int = 0) -> list[OutboxItem]:
        found = [
            i
            for i in self._items.values()
            if i.channel == channel and i.status == "pending" and i.id > after
        ]
        return found[:limit]

    def items(self, channel: str | None = None) -> list[OutboxItem]:
        return [i for i in self._items.values() if channel in (None, i.channel)]

    def mark_progress(self, item_id: int, progress: int, message_id: int | None = None) -> None:
        item = self._items[item_id]
        self._update(item_id, progress=progress, message_id=message_id or item.message_id)

    def mark_sent(self, item_id: int) -> None:
        self._update(item_id, status="sent", sent_at=self.clock.now(), payload={}, error=None)

    def mark_all_sent(self, sent: Sequence[tuple[int, int, int | None]]) -> None:
        for item_id, progress, message_id in sent:
            self.mark_progress(item_id, progress, message_id)
            self.mark_sent(item_id)

    def mark_retry(self, item_id: int, error: str, not_before: datetime) -> None:
        attempts = self._items[item_id].attempts + 1
        self._update(item_id, attempts=attempts, error=error, not_before=not_before)

    def mark_failed(self, item_id: int, error: str) -> None:
        attempts = self._items[item_id].attempts + 1
        self._update(item_id, status="failed", attempts=attempts, error=error, payload={})

    def fail_pending(self, channel: str, chat_id: str, error: str) -> int:
        failed = [
            i.id
            for i in self._items.values()
            if (i.channel, i.chat_id, i.status) == (channel, chat_id, "pending")
        ]
        for item_id in failed:
            self._update(item_id, status="failed", error=error, payload={})
        return len(failed)

    def first_enqueued(self, channel: str, chat_id: str, since: datetime) -> list[OutboxItem]:
        rows = [
            i
            for i in self._items.values()
            if (i.channel, i.chat_id) == (channel, chat_id) and i.created_at >= since
        ]
        if not rows:
            return []
        first = min(i.created_at for i in rows)
        return [i for i in rows if i.created_at == first]

    def hit(self, key: str, window: timedelta) -> int:
        now = self.clock.now()
        start, count = self._counters.get(key, (now, 0))
        if start <= now - window:
            start, count = now, 0
        self._counters[key] = (start, count + 1)
        return count + 1

    def _update(self, item_id: int, **changes: Any) -> None:
        self._items[item_id] = self._items[item_id].model_copy(update=changes)


class MemoryConversationStore:
    """``ConversationStore`` in dictionaries."""

    def __init__(
        self, *, clock: Clock, ids: IdFactory, outbox: MemoryOutboxStore | None = None
    ) -> None:
        self.clock = clock
        self.ids = ids
        self.outbox = outbox or MemoryOutboxStore(clock=clock)
        self._sessions: dict[str, str] = {}
        self._answers: dict[tuple[str, int, str], StoredAnswer] = {}
        self._results: dict[tuple[str, str], StoredResult] = {}
        self._consents: dict[tuple[str | None, int, str], Consent] = {}
        self._flags: dict[tuple[str | None, int, str], Flag] = {}

    def record_sprint(
        self,
        previous: Session | None,
        session: Session,
        events: Sequence[object],
        *,
        input_key: str | None = None,
        outbox: Sequence[OutboxEntry] = (),
    ) -> None:
        if previous is not None and previous.id != session.id:
            raise ValueError(f"previous session {previous.id} is not session {session.id}")
        self.outbox.check(input_key)
        records = _sprint_records(session, events, self.ids, previous)
        data = session.model_dump_json()
        stored = self._sessions.get(session.id)
        if previous is None:
            current = stored is None
        else:
            current = stored is not None and self._load(stored).updated_at == previous.updated_at
        if not current:
            if stored == data:
                self.outbox.write(input_key, outbox)
                return  # a retried sprint: already stored together with its records
            state = "already exists" if previous is None else "changed since it was read"
            raise StaleSession(f"session {session.id} {state}")
        self.outbox.write(input_key, outbox)
        self._sessions[session.id] = data
        for answer in records.answers:
            self._answers.setdefault((answer.session_id, answer.seq, answer.key), answer)
        for consent in records.consents:
            self._consents.setdefault((consent.session_id, records.seq, consent.consent), consent)
        for flag in records.flags:
            self._flags.setdefault((flag.session_id, records.seq, flag.reason), flag)
        for result in records.results:
            self._results[(result.session_id, result.name)] = result

    def get_session(self, session_id: str) -> Session | None:
        data = self._sessions.get(session_id)
        return None if data is None else self._load(data)

    def open_session(self, participant_id: str, flow_id: str | None = None) -> Session | None:
        found = [
            s
            for s in self._all()
            if s.participant_id == participant_id
            and s.status in RESUMABLE
            and flow_id in (None, s.flow_id)
        ]
        return max(found, key=lambda s: (s.updated_at, s.id), default=None)

    def sessions_for(self, participant_id: str) -> list[Session]:
        found = [s for s in self._all() if s.participant_id == participant_id]
        return sorted(found, key=lambda s: (s.created_at, s.id))

    def due_sessions(self, now: datetime, limit: int = 100) -> list[Session]:
        utc_text(now)  # the same "needs a timezone" error as the SQLite store

        def deadline(s: Session) -> datetime:
            timeout = s.wait.timeout_at if s.wait else None
            return min(timeout or s.expires_at, s.expires_at)

        due = [s for s in self._all() if s.status in RESUMABLE and deadline(s) <= now]
        return sorted(due, key=lambda s: (deadline(s), s.id))[:limit]

    def answers_for(self, session_id: str) -> list[StoredAnswer]:
        found = [a for a in self._answers.values() if a.session_id == session_id]
        return sorted(found, key=lambda a: a.seq)

    def results_for(self, participant_id: str) -> dict[str, list[StoredResult]]:
        found = [r for r in self._results.values() if r.participant_id == participant_id]
        results: dict[str, list[StoredResult]] = {}
        for result in sorted(found, key=lambda r: (r.name, r.updated_at, r.session_id)):
            results.setdefault(result.name, []).append(result)
        return results

    def consents_for(self, participant_id: str) -> list[Consent]:
        found = [c for c in self._consents.values() if c.participant_id == participant_id]
        return sorted(found, key=lambda c: c.at)

    def open_flags(self, participant_id: str | None = None) -> list[Flag]:
        found = [
            f
            for f in self._flags.values()
            if f.acknowledged_at is None and participant_id in (None, f.participant_id)
        ]
        return sorted(found, key=lambda f: f.at)

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
        self._consents[(None, len(self._consents), record.id)] = record
        return record

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
        self._flags[(None, len(self._flags), flag.id)] = flag
        return flag

    def acknowledge_flag(self, flag_id: str) -> None:
        for key, flag in self._flags.items():
            if flag.id == flag_id and flag.acknowledged_at is None:
                self._flags[key] = flag.model_copy(update={"acknowledged_at": self.clock.now()})

    def _all(self) -> list[Session]:
        return [self._load(data) for data in self._sessions.values()]

    @staticmethod
    def _load(data: str) -> Session:
        return Session.model_validate_json(data)


class MemoryDirectoryStore:
    """``DirectoryStore`` in dictionaries."""

    def __init__(self, *, clock: Clock, ids: IdFactory) -> None:
        self.clock = clock
        self.ids = ids
        self._caseworkers: dict[str, Caseworker] = {}
        self._cases: dict[str, Case] = {}
        self._participants: dict[str, Participant] = {}
        self._links: dict[tuple[str, str], ChannelLink] = {}
        self._invites: dict[str, Invite] = {}

    def add_caseworker(
        self, username: str, display_name: str, role: StaffRole, password_hash: str
    ) -> Caseworker:
        caseworker = Caseworker(
            id=self.ids.new_id(),
            username=username,
            display_name=display_name,
            role=role,
            password_hash=password_hash,
            created_at=self.clock.now(),
        )
        if self.get_caseworker_by_username(username) is not None:
            raise AlreadyExists(f"username {username!r} is taken")
        self._caseworkers[caseworker.id] = caseworker
        return caseworker

    def get_caseworker(self, caseworker_id: str) -> Caseworker | None:
        return self._caseworkers.get(caseworker_id)

    def get_caseworker_by_username(self, username: str) -> Caseworker | None:
        return next((c for c in self._caseworkers.values() if c.username == username), None)

    def list_caseworkers(self) -> list[Caseworker]:
        return list(self._caseworkers.values())

    def update_caseworker(
        self,
        caseworker_id: str,
        *,
        display_name: str | None = None,
        role: StaffRole | None = None,
        password_hash: str | None = None,
        disabled: bool | None = None,
    ) -> Caseworker:
        found = self._caseworkers.get(caseworker_id)
        if found is None:
            raise UnknownReference(f"no such caseworker {caseworker_id}")
        changes = {
            name: value
            for name, value in (
                ("display_name", display_name),
                ("role", role),
                ("password_hash", password_hash),
                ("disabled", disabled),
            )
            if value is not None
        }
        updated = found.model_copy(update=changes)
        self._caseworkers[caseworker_id] = updated
        return updated

    def set_login_state(
        self, caseworker_id: str, failed_logins: int, locked_until: datetime | None
    ) -> None:
        found = self._caseworkers.get(caseworker_id)
        if found is not None:
            self._caseworkers[caseworker_id] = found.model_copy(
                update={"failed_logins": failed_logins, "locked_until": locked_until}
            )

    def add_case(
        self, caseworker_id: str, title: str, next_meeting_at: datetime | None = None
    ) -> Case:
        case = Case(
            id=self.ids.new_id(),
            caseworker_id=caseworker_id,
            title=title,
            created_at=self.clock.now(),
            next_meeting_at=next_meeting_at,
        )
        if caseworker_id not in self._caseworkers:
            raise UnknownReference(f"no such caseworker {caseworker_id}")
        self._cases[case.id] = case
        return case

    def get_case(self, case_id: str) -> Case | None:
        return self._cases.get(case_id)

    def cases_for_caseworker(self, caseworker_id: str) -> list[Case]:
        return [c for c in self._cases.values() if c.caseworker_id == caseworker_id]

    def add_participant(
        self,
        case_id: str,
        role: ParticipantRole,
        display_name: str,
        locale: str = "nb",
        voice: bool = False,
    ) -> Participant:
        participant = Participant(
            id=self.ids.new_id(),
            case_id=case_id,
            role=role,
            display_name=display_name,
            locale=locale,
            voice=voice,
            created_at=self.clock.now(),
        )
        if case_id not in self._cases:
            raise UnknownReference(f"no such case {case_id}")
        self._participants[participant.id] = participant
        return participant

    def get_participant(self, participant_id: str) -> Participant | None:
        return self._participants.get(participant_id)

    def participants_in_case(self, case_id: str) -> list[Participant]:
        return [p for p in self._participants.values() if p.case_id == case_id]

    def link_channel(self, participant_id: str, channel: str, external_id: str) -> ChannelLink:
        existing = self._links.get((channel, external_id))
        if existing is not None:
            if existing.participant_id != participant_id:
                raise AlreadyExists(f"{channel} account {external_id} is linked to someone else")
            return existing
        if participant_id not in self._participants:
            raise UnknownReference(f"no such participant {participant_id}")
        link = ChannelLink(
            participant_id=participant_id,
            channel=channel,
            external_id=external_id,
            linked_at=self.clock.now(),
        )
        self._links[(channel, external_id)] = link
        return link

    def participant_by_channel(self, channel: str, external_id: str) -> Participant | None:
        link = self._links.get((channel, external_id))
        return None if link is None else self._participants.get(link.participant_id)

    def links_for(self, participant_id: str) -> list[ChannelLink]:
        return [link for link in self._links.values() if link.participant_id == participant_id]

    def set_reachable(self, channel: str, external_id: str, reachable: bool) -> bool:
        link = self._links.get((channel, external_id))
        if link is None or (link.unreachable_at is None) == reachable:
            return False
        at = None if reachable else self.clock.now()
        self._links[(channel, external_id)] = link.model_copy(update={"unreachable_at": at})
        return True

    def update_participant(
        self,
        participant_id: str,
        *,
        locale: str | None = None,
        voice: bool | None = None,
        messages_stopped: bool | None = None,
    ) -> Participant:
        participant = self._participants.get(participant_id)
        if participant is None:
            raise UnknownReference(f"no such participant {participant_id}")
        changes = {
            name: value
            for name, value in (
                ("locale", locale),
                ("voice", voice),
                ("messages_stopped", messages_stopped),
            )
            if value is not None
        }
        participant = participant.model_copy(update=changes)
        self._participants[participant_id] = participant
        return participant

    def add_invite(
        self, participant_id: str, code_hash: str, created_by: str, expires_at: datetime
    ) -> Invite:
        if participant_id not in self._participants or created_by not in self._caseworkers:
            raise UnknownReference(f"no such participant {participant_id} or caseworker")
        if any(i.code_hash == code_hash for i in self._invites.values()):
            raise AlreadyExists("invites: code_hash is taken")
        invite = Invite(
            id=self.ids.new_id(),
            participant_id=participant_id,
            code_hash=code_hash,
            created_by=created_by,
            created_at=self.clock.now(),
            expires_at=expires_at,
        )
        self._invites[invite.id] = invite
        return invite

    def redeem_invite(self, code_hash: str, now: datetime) -> Invite | None:
        for invite in self._invites.values():
            if invite.code_hash == code_hash and invite.redeemed_at is None:
                if invite.expires_at <= now:
                    return None
                redeemed = invite.model_copy(update={"redeemed_at": now})
                self._invites[invite.id] = redeemed
                return redeemed
        return None

    def invites_for(self, participant_id: str) -> list[Invite]:
        return [i for i in self._invites.values() if i.participant_id == participant_id]


class MemoryInboxStore:
    """``InboxStore`` in dictionaries, writing replies to a shared ``MemoryOutboxStore``."""

    def __init__(
        self,
        *,
        clock: Clock,
        ids: IdFactory,
        outbox: MemoryOutboxStore,
        directory: MemoryDirectoryStore | None = None,
    ) -> None:
        self.clock = clock
        self.ids = ids
        self.outbox = outbox
        self.directory = directory
        """When given, messages must name a known case (like the SQLite foreign keys)."""
        self._messages: dict[str, InboxMessage] = {}
        self._held: dict[str, tuple[str, str, str, datetime]] = {}
        self.assignments: list[Assignment] = []
        """Assignments are written by the TUI; tests append here."""

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
        self.outbox.check(input_key)
        if self.directory is not None and self.directory.get_case(case_id) is None:
            raise UnknownReference(f"no such case {case_id}")
        message = InboxMessage(
            id=message_id or self.ids.new_id(),
            case_id=case_id,
            participant_id=participant_id,
            direction=direction,
            text=text,
            at=self.clock.now(),
            author=author,
        )
        self.outbox.write(input_key, outbox)
        self._messages[message.id] = message
        return message

    def messages_for(self, participant_id: str) -> list[InboxMessage]:
        return [m for m in self._messages.values() if m.participant_id == participant_id]

    def messages_in_case(self, case_id: str) -> list[InboxMessage]:
        return [m for m in self._messages.values() if m.case_id == case_id]

    def mark_delivered(self, message_id: str) -> None:
        message = self._messages.get(message_id)
        if message is not None and message.delivered_at is None:
            self._messages[message_id] = message.model_copy(
                update={"delivered_at": self.clock.now()}
            )

    def mark_read(self, message_id: str) -> None:
        message = self._messages.get(message_id)
        if message is not None and message.read_at is None:
            self._messages[message_id] = message.model_copy(update={"read_at": self.clock.now()})

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
        self.outbox.check(input_key)
        self.outbox.write(input_key, outbox)
        self._held[hold_id] = (participant_id, session_id, text, self.clock.now())

    def take_held(self, hold_id: str, participant_id: str) -> tuple[str, str] | None:
        held = self._held.get(hold_id)
        if held is None or held[0] != participant_id:
            return None
        del self._held[hold_id]
        return held[1], held[2]

    def open_assignments(self, participant_id: str) -> list[Assignment]:
        return [
            a for a in self.assignments if a.participant_id == participant_id and a.status == "open"
        ]


class MemoryReminderStore:
    """``ReminderStore`` in dictionaries; assignments go to the inbox fake's list when given
    (so ``open_assignments`` sees them), and meetings update the directory fake's cases."""

    def __init__(
        self,
        *,
        clock: Clock,
        ids: IdFactory,
        directory: MemoryDirectoryStore | None = None,
        inbox: MemoryInboxStore | None = None,
    ) -> None:
        self.clock = clock
        self.ids = ids
        self.directory = directory
        self.inbox = inbox
        self._settings: dict[str, ReminderSettings] = {}
        self._courses: dict[str, Course] = {}
        self._meetings: dict[str, Meeting] = {}
        self._assignments: list[Assignment] = inbox.assignments if inbox is not None else []
        self._reminders: dict[str, Reminder] = {}
        self._keys: dict[str, str] = {}
        self._deliveries: dict[str, list[ReminderDelivery]] = {}
        self._leases: dict[str, Lease] = {}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """No rollback here: callers check before they write (see the dispatcher)."""
        yield

    def reminder_settings(self, participant_id: str) -> ReminderSettings:
        return self._settings.get(participant_id) or ReminderSettings(participant_id=participant_id)

    def set_reminder_settings(self, settings: ReminderSettings) -> ReminderSettings:
        self._known_participant(settings.participant_id)
        stored = settings.model_copy(update={"updated_at": self.clock.now()})
        self._settings[settings.participant_id] = stored
        return stored

    def add_course(
        self, case_id: str, participant_id: str, pathway: str, created_by: str
    ) -> Course:
        self._known_case(case_id)
        self._known_participant(participant_id)
        course = Course(
            id=self.ids.new_id(),
            case_id=case_id,
            participant_id=participant_id,
            pathway=pathway,
            created_by=created_by,
            created_at=self.clock.now(),
        )
        self._courses[course.id] = course
        return course

    def get_course(self, course_id: str) -> Course | None:
        return self._courses.get(course_id)

    def courses_for(self, participant_id: str) -> list[Course]:
        found = [c for c in self._courses.values() if c.participant_id == participant_id]
        return sorted(found, key=lambda c: (c.created_at, c.id))

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
        self._known_case(case_id)
        if participant_id is not None:
            self._known_participant(participant_id)
        if course_id is not None and course_id not in self._courses:
            raise UnknownReference(f"no such course {course_id}")
        meeting = Meeting(
            id=self.ids.new_id(),
            case_id=case_id,
            participant_id=participant_id,
            course_id=course_id,
            meeting_no=meeting_no,
            starts_at=starts_at,
            place=place,
            created_at=self.clock.now(),
        )
        self._meetings[meeting.id] = meeting
        self._refresh_next_meeting(case_id)
        return meeting

    def get_meeting(self, meeting_id: str) -> Meeting | None:
        return self._meetings.get(meeting_id)

    def meetings_for(self, participant_id: str) -> list[Meeting]:
        found = [m for m in self._meetings.values() if m.participant_id == participant_id]
        return sorted(found, key=lambda m: (m.starts_at, m.id))

    def cancel_meeting(self, meeting_id: str) -> bool:
        meeting = self._meetings.get(meeting_id)
        if meeting is None or meeting.status != "planned":
            return False
        self._meetings[meeting_id] = meeting.model_copy(update={"status": "cancelled"})
        self._cancel(lambda r: r.meeting_id == meeting_id, "meeting_cancelled")
        self._refresh_next_meeting(meeting.case_id)
        return True

    def _refresh_next_meeting(self, case_id: str) -> None:
        if self.directory is None:
            return
        case = self.directory.get_case(case_id)
        if case is None:
            return
        now = self.clock.now()
        upcoming = [
            m.starts_at
            for m in self._meetings.values()
            if m.case_id == case_id and m.status == "planned" and m.starts_at >= now
        ]
        self.directory._cases[case_id] = case.model_copy(
            update={"next_meeting_at": min(upcoming, default=None)}
        )

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
    ) -> Assignment:
        self._known_case(case_id)
        self._known_participant(participant_id)
        assignment = Assignment(
            id=self.ids.new_id(),
            case_id=case_id,
            participant_id=participant_id,
            meeting_no=meeting_no,
            component=component,
            text=text,
            simpler_text=simpler_text,
            assigned_at=self.clock.now(),
            due_at=due_at,
            course_id=course_id,
            variant=variant,
        )
        self._assignments.append(assignment)
        return assignment

    def get_assignment(self, assignment_id: str) -> Assignment | None:
        return next((a for a in self._assignments if a.id == assignment_id), None)

    def assignments_for(self, participant_id: str) -> list[Assignment]:
        found = [a for a in self._assignments if a.participant_id == participant_id]
        return sorted(found, key=lambda a: (a.meeting_no, a.assigned_at, a.id))

    def assignment_for_session(self, session_id: str) -> Assignment | None:
        return next((a for a in self._assignments if a.checkin_session_id == session_id), None)

    def link_checkin(self, assignment_id: str, session_id: str) -> None:
        self._update_assignment(assignment_id, checkin_session_id=session_id)

    def close_assignment(self, assignment_id: str, status: str = "closed") -> bool:
        assignment = self.get_assignment(assignment_id)
        if assignment is None or assignment.status != "open":
            return False
        self._update_assignment(assignment_id, status=status)
        self._cancel(lambda r: r.assignment_id == assignment_id, "assignment_closed")
        return True

    def _update_assignment(self, assignment_id: str, **changes: Any) -> None:
        for index, assignment in enumerate(self._assignments):
            if assignment.id == assignment_id:
                self._assignments[index] = assignment.model_copy(update=changes)

    def schedule(self, reminders: Sequence[NewReminder]) -> list[Reminder]:
        stored = []
        for new in reminders:
            self._known_participant(new.participant_id)
            existing = self._keys.get(new.idempotency_key)
            if existing is None:
                reminder = Reminder(
                    id=self.ids.new_id(), created_at=self.clock.now(), **new.model_dump()
                )
                self._reminders[reminder.id] = reminder
                self._keys[new.idempotency_key] = reminder.id
                existing = reminder.id
            stored.append(self._reminders[existing])
        return stored

    def get_reminder(self, reminder_id: str) -> Reminder | None:
        return self._reminders.get(reminder_id)

    def reminders_for(
        self,
        participant_id: str | None = None,
        *,
        assignment_id: str | None = None,
        status: ReminderStatus | None = None,
    ) -> list[Reminder]:
        found = [
            r
            for r in self._reminders.values()
            if participant_id in (None, r.participant_id)
            and assignment_id in (None, r.assignment_id)
            and status in (None, r.status)
        ]
        return sorted(found, key=lambda r: (r.due_at, r.id))

    def due_reminders(self, now: datetime, limit: int = 100) -> list[Reminder]:
        utc_text(now)
        due = [r for r in self._reminders.values() if r.status == "pending" and r.due_at <= now]
        return sorted(due, key=lambda r: (r.due_at, r.id))[:limit]

    def next_due(self) -> datetime | None:
        pending = [r.due_at for r in self._reminders.values() if r.status == "pending"]
        return min(pending, default=None)

    def finish(
        self,
        reminder_id: str,
        status: ReminderStatus,
        *,
        note: str | None = None,
        session_id: str | None = None,
    ) -> bool:
        reminder = self._reminders.get(reminder_id)
        if reminder is None or reminder.status != "pending":
            return False
        now = self.clock.now()
        self._reminders[reminder_id] = reminder.model_copy(
            update={
                "status": status,
                "note": note,
                "session_id": session_id or reminder.session_id,
                "handled_at": now,
            }
        )
        self._log(reminder_id, status, note, now)
        return True

    def defer(self, reminder_id: str, due_at: datetime, note: str) -> bool:
        reminder = self._reminders.get(reminder_id)
        if reminder is None or reminder.status != "pending":
            return False
        self._reminders[reminder_id] = reminder.model_copy(update={"due_at": due_at, "note": note})
        status = "deferred" if note != "rescheduled" else note
        self._log(reminder_id, status, note, self.clock.now())
        return True

    def deliveries_for(self, reminder_id: str) -> list[ReminderDelivery]:
        return list(self._deliveries.get(reminder_id, []))

    def _log(self, reminder_id: str, status: str, note: str | None, at: datetime) -> None:
        log = self._deliveries.setdefault(reminder_id, [])
        log.append(
            ReminderDelivery(
                id=self.ids.new_id(),
                reminder_id=reminder_id,
                attempt=len(log) + 1,
                at=at,
                status=status,
                note=note,
            )
        )

    def _cancel(self, match: Any, note: str) -> None:
        for reminder in list(self._reminders.values()):
            if reminder.status == "pending" and match(reminder):
                self.finish(reminder.id, "cancelled", note=note)

    def acquire_lease(self, name: str, holder: str, ttl: timedelta) -> bool:
        now = self.clock.now()
        lease = self._leases.get(name)
        if lease is not None and lease.holder != holder and lease.expires_at > now:
            return False
        acquired = lease.acquired_at if lease is not None and lease.holder == holder else now
        self._leases[name] = Lease(
            name=name, holder=holder, acquired_at=acquired, expires_at=now + ttl
        )
        return True

    def release_lease(self, name: str, holder: str) -> None:
        lease = self._leases.get(name)
        if lease is not None and lease.holder == holder:
            del self._leases[name]

    def get_lease(self, name: str) -> Lease | None:
        return self._leases.get(name)

    def _known_case(self, case_id: str) -> None:
        if self.directory is not None and self.directory.get_case(case_id) is None:
            raise UnknownReference(f"no such case {case_id}")

    def _known_participant(self, participant_id: str) -> None:
        if self.directory is not None and self.directory.get_participant(participant_id) is None:
            raise UnknownReference(f"no such participant {participant_id}")


class MemoryErasure:
    """``ErasureStore`` over the other memory stores (it reaches into their dictionaries, as the
    SQLite adapter reaches into every table)."""

    def __init__(
        self,
        conversations: MemoryConversationStore,
        directory: MemoryDirectoryStore,
        inbox: MemoryInboxStore,
        outbox: MemoryOutboxStore,
        notes: MemoryNoteStore | None = None,
    ) -> None:
        self.conversations = conversations
        self.directory = directory
        self.inbox = inbox
        self.outbox = outbox
        self.notes = notes

    def erase_participant(self, participant_id: str) -> dict[str, int]:
        d, c, i, o = self.directory, self.conversations, self.inbox, self.outbox
        person = d._participants.get(participant_id)
        if person is None:
            raise UnknownReference(f"no such participant {participant_id}")
        sessions = {
            k for k, v in c._sessions.items() if c._load(v).participant_id == participant_id
        }
        chats = {k for k, link in d._links.items() if link.participant_id == participant_id}

        def drop(table: dict[Any, Any], gone: Any) -> int:
            keys = [k for k, v in table.items() if gone(k, v)]
            for key in keys:
                del table[key]
            return len(keys)

        counts = {
            "assignments": len([a for a in i.assignments if a.participant_id == participant_id]),
            "answers": drop(c._answers, lambda k, v: v.session_id in sessions),
            "results": drop(
                c._results,
                lambda k, v: v.participant_id == participant_id or v.session_id in sessions,
            ),
            "consents": drop(
                c._consents,
                lambda k, v: v.participant_id == participant_id or v.session_id in sessions,
            ),
            "flags": drop(
                c._flags,
                lambda k, v: v.participant_id == participant_id or v.session_id in sessions,
            ),
            "sessions": drop(c._sessions, lambda k, v: k in sessions),
            "messages": drop(i._messages, lambda k, v: v.participant_id == participant_id),
            "held_inputs": drop(i._held, lambda k, v: v[0] == participant_id),
            "outbox": drop(
                o._items,
                lambda k, v: v.participant_id == participant_id or (v.channel, v.chat_id) in chats,
            ),
            "invites": drop(d._invites, lambda k, v: v.participant_id == participant_id),
            "channel_links": drop(d._links, lambda k, v: k in chats),
        }
        i.assignments[:] = [a for a in i.assignments if a.participant_id != participant_id]
        if self.notes is not None:
            # Staff notes on this person's answers may quote them, so they go with the answers.
            kept = [n for n in self.notes._notes if n.participant_id != participant_id]
            counts["notes"] = len(self.notes._notes) - len(kept)
            self.notes._notes[:] = kept
        d._participants[participant_id] = person.model_copy(
            update={
                "display_name": "–",
                "voice": False,
                "messages_stopped": True,
                "erased_at": d.clock.now(),
            }
        )
        return counts

    def compact(self) -> None:
        """Nothing to rewrite in memory."""


class MemoryNoteStore:
    """``NoteStore`` in a list; checks the case like the SQLite foreign key when it can."""

    def __init__(
        self, *, clock: Clock, ids: IdFactory, directory: MemoryDirectoryStore | None = None
    ) -> None:
        self.clock = clock
        self.ids = ids
        self.directory = directory
        self._notes: list[Note] = []

    def add_note(
        self,
        case_id: str,
        participant_id: str | None,
        subject: str,
        author_id: str,
        text: str,
    ) -> Note:
        if self.directory is not None and self.directory.get_case(case_id) is None:
            raise UnknownReference(f"no such case {case_id}")
        note = Note(
            id=self.ids.new_id(),
            case_id=case_id,
            participant_id=participant_id,
            subject=subject,
            author_id=author_id,
            text=text,
            at=self.clock.now(),
        )
        self._notes.append(note)
        return note

    def notes_in_case(self, case_id: str) -> list[Note]:
        return [n for n in self._notes if n.case_id == case_id]


class MemoryAuditLog:
    """``AuditLog`` in a list, hash-chained exactly like the SQLite one."""

    def __init__(self, *, clock: Clock) -> None:
        self.clock = clock
        self._entries: list[AuditEntry] = []
        self._last_id = 0
        """Never goes back, like SQLite's AUTOINCREMENT, so a deleted last entry leaves a gap."""

    def append(self, actor: str, action: str, subject: str, details: Mapping[str, Any]) -> None:
        body = json.loads(canonical_json(dict(details)))
        at = utc_text(self.clock.now())
        prev_hash = self._entries[-1].hash if self._entries else GENESIS_HASH
        self._last_id += 1
        digest = chain_hash(
            prev_hash,
            entry_id=self._last_id,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details=body,
        )
        self._entries.append(
            AuditEntry.model_validate(
                {
                    "id": self._last_id,
                    "at": at,
                    "actor": actor,
                    "action": action,
                    "subject": subject,
                    "details": body,
                    "prev_hash": prev_hash,
                    "hash": digest,
                }
            )
        )

    def entries(self) -> list[AuditEntry]:
        return list(self._entries)

    def verify(self) -> list[str]:
        problems = verify_chain(self._entries)
        last_id = self._entries[-1].id if self._entries else 0
        if self._last_id > last_id:  # a removed tail, as the SQLite log reports it
            gap = (
                f"{last_id + 1}"
                if self._last_id == last_id + 1
                else f"{last_id + 1}-{self._last_id}"
            )
            problems.append(f"entry {gap} is missing (deleted?)")
        return problems
