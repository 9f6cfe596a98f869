"""In-memory fakes of the storage ports, with the same semantics as ``companion.store`` (G3).

The contract tests in ``tests/store`` run against these and the SQLite adapter alike. Sessions
are kept as JSON, like the real store, so a session that does not round-trip fails here too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from companion.flows import Session
from companion.flows.ports import Clock, IdFactory
from companion.flows.session import RESUMABLE
from companion.ports import (
    AlreadyExists,
    AuditEntry,
    Case,
    Caseworker,
    ChannelLink,
    Consent,
    Flag,
    Participant,
    ParticipantRole,
    StaffRole,
    StaleSession,
    StoredAnswer,
    StoredResult,
    UnknownReference,
)
from companion.store.records import GENESIS_HASH, canonical_json, chain_hash, utc_text, verify_chain
from companion.store.records import sprint_records as _sprint_records


class MemoryConversationStore:
    """``ConversationStore`` in dictionaries."""

    def __init__(self, *, clock: Clock, ids: IdFactory) -> None:
        self.clock = clock
        self.ids = ids
        self._sessions: dict[str, str] = {}
        self._answers: dict[tuple[str, int, str], StoredAnswer] = {}
        self._results: dict[tuple[str, str], StoredResult] = {}
        self._consents: dict[tuple[str | None, int, str], Consent] = {}
        self._flags: dict[tuple[str | None, int, str], Flag] = {}

    def record_sprint(
        self, previous: Session | None, session: Session, events: Sequence[object]
    ) -> None:
        if previous is not None and previous.id != session.id:
            raise ValueError(f"previous session {previous.id} is not session {session.id}")
        records = _sprint_records(session, events, self.ids, previous)
        data = session.model_dump_json()
        stored = self._sessions.get(session.id)
        if previous is None:
            current = stored is None
        else:
            current = stored is not None and self._load(stored).updated_at == previous.updated_at
        if not current:
            if stored == data:
                return  # a retried sprint: already stored together with its records
            state = "already exists" if previous is None else "changed since it was read"
            raise StaleSession(f"session {session.id} {state}")
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
        return verify_chain(self._entries)
