"""Consent answers given in a conversation go to the audit log too (ids and versions only).

The ``consents`` table keeps the exact text, version and time; the audit entry makes the change
part of the tamper-evident record, like a withdrawal (``consent.withdrawn``) already is. Called
by whoever records a sprint for a participant (the bot, worker-led mode), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from companion.flows import events as ev
from companion.ports import AuditLog


def audit_consents(
    audit: AuditLog, participant_id: str, session_id: str, events: Iterable[object], actor: str
) -> int:
    """One ``consent.given``/``consent.refused`` entry per consent answer; how many."""
    count = 0
    for event in events:
        if isinstance(event, ev.ConsentRecorded):
            audit.append(
                actor,
                "consent.given" if event.granted else "consent.refused",
                f"participant:{participant_id}",
                {"consent": event.consent, "version": event.version, "session": session_id},
            )
            count += 1
    return count
