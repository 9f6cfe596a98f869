"""Storage rules every adapter shares: what a sprint adds, and how the audit chain is hashed.

Pure (stdlib, pydantic and the engine's types), so the in-memory fakes and the SQLite adapter
follow exactly the same rules and the contract tests can hold them to it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_jsonable_python

from companion.flows import Session
from companion.flows.events import AnswerRecorded, ConsentRecorded, FlagRaised
from companion.flows.ports import IdFactory
from companion.ports import AuditEntry, Consent, Flag, StoredAnswer, StoredResult

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first audit entry."""


@dataclass(frozen=True)
class SprintRecords:
    """The rows one sprint adds; ``seq`` with each record's key makes rewriting them a no-op."""

    seq: int
    answers: tuple[StoredAnswer, ...]
    results: tuple[StoredResult, ...]
    consents: tuple[Consent, ...]
    flags: tuple[Flag, ...]


def sprint_records(
    session: Session, events: Sequence[object], ids: IdFactory, previous: Session | None = None
) -> SprintRecords:
    """Turn a sprint's events (and the session's results) into the records a store keeps.

    Results the sprint left as they were in ``previous`` are skipped: they are stored already,
    and converting large results on every input is the costliest part of a write.
    """
    at = session.updated_at
    answers, consents, flags = [], [], []
    for event in events:
        if isinstance(event, AnswerRecorded):
            answer = session.answers.get(event.key)
            answers.append(
                StoredAnswer(
                    session_id=session.id,
                    seq=session.seq,
                    key=event.key,
                    flow_id=event.flow_id,
                    node_id=event.node_id,
                    value=to_jsonable_python(event.value),
                    source=event.source,
                    confidence=event.confidence,
                    at=answer.at if answer else at,
                )
            )
        elif isinstance(event, ConsentRecorded):
            consents.append(
                Consent(
                    id=ids.new_id(),
                    participant_id=session.participant_id,
                    session_id=session.id,
                    consent=event.consent,
                    version=event.version,
                    granted=event.granted,
                    text=event.text,
                    at=at,
                )
            )
        elif isinstance(event, FlagRaised):
            trigger = getattr(event, "trigger", None)
            flags.append(
                Flag(
                    id=ids.new_id(),
                    participant_id=session.participant_id,
                    session_id=session.id,
                    severity=event.severity,
                    reason=event.reason,
                    trigger=None if trigger is None else str(trigger),
                    at=at,
                )
            )
    results = tuple(
        StoredResult(
            session_id=session.id,
            participant_id=session.participant_id,
            flow_id=session.flow_id,
            name=name,
            data=to_jsonable_python(data),
            updated_at=at,
        )
        for name, data in session.results.items()
        if previous is None or previous.results.get(name) != data
    )
    return SprintRecords(session.seq, tuple(answers), results, tuple(consents), tuple(flags))


def canonical_json(value: Any) -> str:
    """Sorted, compact JSON: the same data always gives the same text (and hash)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(
    prev_hash: str,
    *,
    entry_id: int,
    at: str,
    actor: str,
    action: str,
    subject: str,
    details: Mapping[str, Any],
) -> str:
    """sha256 over the previous hash and the canonical JSON of one entry."""
    body = {
        "id": entry_id,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": dict(details),
    }
    return hashlib.sha256((prev_hash + canonical_json(body)).encode()).hexdigest()


def utc_text(value: datetime) -> str:
    """Fixed-width ISO text in UTC, so stored timestamps sort and compare as strings."""
    if value.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no timezone; use UTC-aware datetimes")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def verify_chain(entries: Sequence[AuditEntry]) -> list[str]:
    """Every broken link, missing entry or altered entry in ``entries`` (oldest first)."""
    problems: list[str] = []
    prev_hash, prev_id = GENESIS_HASH, 0
    for entry in entries:
        if entry.id <= prev_id:
            problems.append(f"entry {entry.id}: out of order after entry {prev_id}")
        elif entry.id > prev_id + 1:
            gap = f"{prev_id + 1}" if entry.id == prev_id + 2 else f"{prev_id + 1}-{entry.id - 1}"
            problems.append(f"entry {gap} is missing (deleted?)")
        if entry.prev_hash != prev_hash:
            problems.append(f"entry {entry.id}: does not follow the entry before it")
        digest = chain_hash(
            entry.prev_hash,
            entry_id=entry.id,
            at=utc_text(entry.at),
            actor=entry.actor,
            action=entry.action,
            subject=entry.subject,
            details=entry.details,
        )
        if digest != entry.hash:
            problems.append(f"entry {entry.id}: content does not match its hash (edited?)")
        prev_hash, prev_id = entry.hash, entry.id
    return problems
