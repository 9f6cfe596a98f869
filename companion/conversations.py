"""Use cases for running flows with persistence: one transaction per sprint, nothing lost.

Every start or resume is recorded atomically with the session state it produced (the store's
``record_sprint``), so after a crash a conversation continues at its last committed answer.
A concurrent write (two devices, or a retried delivery) is detected, reloaded and retried.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from companion.flows import Engine, Session, Sprint
from companion.flows.inputs import Input
from companion.ports import ConversationStore, StaleSession

MAX_RETRIES = 3
CACHE_SIZE = 2048


class SessionNotFound(LookupError):
    pass


@dataclass
class Conversations:
    """Start and continue flows, persisting every sprint."""

    engine: Engine
    store: ConversationStore
    _cache: OrderedDict[str, Session] = field(default_factory=OrderedDict, repr=False)
    """Sessions this process wrote last. Only an optimization: if another process wrote since,
    ``record_sprint`` raises ``StaleSession`` and the session is read again from the store."""

    def _remember(self, session: Session) -> None:
        self._cache[session.id] = session
        self._cache.move_to_end(session.id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

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
        self._remember(sprint.session)
        return sprint

    def resume(self, session_id: str, value: Input) -> Sprint:
        """Apply one input to the stored session and store the result, retrying if stale."""
        for attempt in range(MAX_RETRIES):
            session = self._cache.get(session_id) if attempt == 0 else None
            if session is None:
                session = self.store.get_session(session_id)
            if session is None:
                raise SessionNotFound(f"no session {session_id}")
            sprint = self.engine.resume(session, value)
            try:
                self.store.record_sprint(session, sprint.session, sprint.events)
            except StaleSession:
                self._cache.pop(session_id, None)
                continue  # someone else wrote first: apply the input to their state instead
            self._remember(sprint.session)
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
