"""Storage ports: what the core needs from a database, as Protocols plus the records they return.

Adapters live in ``companion.store`` (SQLite) and ``companion.memory_store`` (fakes); both return
these frozen records, never rows. Timestamps are timezone-aware UTC datetimes; ids are strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
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


class ChannelLink(_Record):
    """Which chat account (e.g. a Telegram user id) belongs to a participant."""

    participant_id: str
    channel: str
    external_id: str
    linked_at: AwareDatetime


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
        self, previous: Session | None, session: Session, events: Sequence[object]
    ) -> None:
        """Store one sprint atomically; raise ``StaleSession`` if ``previous`` is out of date.

        Replaying a sprint that is already stored is a no-op, so a retry is always safe.
        """
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


class AuditLog(Protocol):
    """Append-only, hash-chained record of who did what."""

    def append(self, actor: str, action: str, subject: str, details: Mapping[str, Any]) -> None: ...

    def entries(self) -> list[AuditEntry]: ...

    def verify(self) -> list[str]:
        """Problems found in the chain; empty when it is intact."""
        ...
