"""Use cases for running flows with persistence: one transaction per sprint, nothing lost.

Every start or resume is recorded atomically with the session state it produced (the store's
``record_sprint``), so after a crash a conversation continues at its last committed answer.
A concurrent write (two devices, or a retried delivery) is detected, reloaded and retried.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from companion.flows import Engine, Session, Sprint
from companion.flows.inputs import Input
from companion.ports import ConversationStore, StaleSession

MAX_RETRIES = 3


class SessionNotFound(LookupError):
    pass


@dataclass
class Conversations:
    """Start and continue flows, persisting every sprint."""

    engine: Engine
    store: ConversationStore

    def start(
        self,
        flow_id: str,
        *,
        participant_id: str | None = None,
        locale: str = "nb",
        params: Mapping[str, Any] | None = None,
        results: Mapping[str, dict[str, Any]] | None = None,
    ) -> Sprint:
        sprint = self.engine.start(
            flow_id, locale=locale, participant_id=participant_id, params=params, results=results
        )
        self.store.record_sprint(None, sprint.session, sprint.events)
        return sprint

    def resume(self, session_id: str, value: Input) -> Sprint:
        """Apply one input to the stored session and store the result, retrying if stale."""
        for _ in range(MAX_RETRIES):
            session = self.store.get_session(session_id)
            if session is None:
                raise SessionNotFound(f"no session {session_id}")
            sprint = self.engine.resume(session, value)
            try:
                self.store.record_sprint(session, sprint.session, sprint.events)
            except StaleSession:
                continue  # someone else wrote first: apply the input to their state instead
            return sprint
        raise StaleSession(f"session {session_id} kept changing; input not applied")

    def open_session(self, participant_id: str, flow_id: str | None = None) -> Session | None:
        return self.store.open_session(participant_id, flow_id)

    def deliver_due(self, limit: int = 100) -> list[Sprint]:
        """Send due timeout/expiry inputs to waiting sessions (run by a scheduler)."""
        sprints = []
        for session in self.store.due_sessions(self.engine.clock.now(), limit):
            due = self.engine.due(session)
            if due is not None:
                sprints.append(self.resume(session.id, due))
        return sprints
