"""Use cases for running flows with persistence: one transaction per sprint, nothing lost.

Every start or resume is recorded atomically with the session state it produced (the store's
``record_sprint``), so after a crash a conversation continues at its last committed answer.
A concurrent write (two devices, or a retried delivery) is detected, reloaded and retried.

A chat channel adds two things to the same transaction (``companion.channels``): the input's
idempotency key (``telegram:<update_id>``) and the replies, rendered from the sprint into
outbox entries. Both are optional arguments here, so there is one retry loop for everyone.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from companion.flows import Engine, Session, Sprint
from companion.flows.inputs import Input
from companion.ports import ConversationStore, OutboxEntry, StaleSession

MAX_RETRIES = 3
CACHE_SIZE = 2048

Render = Callable[[Sprint], Sequence[OutboxEntry]]
"""A sprint's replies, as outbox entries committed with it."""
Adjust = Callable[[Sprint], Sprint]


def no_replies(sprint: Sprint) -> Sequence[OutboxEntry]:
    return ()


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
        input_key: str | None = None,
        render: Render = no_replies,
        adjust: Adjust | None = None,
    ) -> Sprint:
        """Start ``flow_id``; ``adjust`` may add host context to the events before storing,
        ``input_key`` and ``render``'s entries commit with the sprint."""
        sprint = self.engine.start(
            flow_id, locale=locale, participant_id=participant_id, params=params, results=results
        )
        if adjust is not None:
            sprint = adjust(sprint)
        self.store.record_sprint(
            None, sprint.session, sprint.events, input_key=input_key, outbox=render(sprint)
        )
        self._remember(sprint.session)
        return sprint

    def resume(
        self,
        session_id: str,
        value: Input,
        *,
        session: Session | None = None,
        input_key: str | None = None,
        render: Render = no_replies,
    ) -> Sprint:
        """Apply one input to the stored session and store the result, retrying if stale.

        ``session``: the state the caller read (else the cached or stored one). If another
        writer came first, the input is applied to their state instead; if that session has
        ended meanwhile, ``StaleSession``. ``DuplicateInput`` (the key was used) is not retried.
        """
        for attempt in range(MAX_RETRIES):
            current = (session or self._cache.get(session_id)) if attempt == 0 else None
            if current is None:
                current = self.store.get_session(session_id)
                if current is None:
                    raise SessionNotFound(f"no session {session_id}")
                if attempt and not current.is_resumable:
                    raise StaleSession(f"session {session_id} ended meanwhile")
            sprint = self.engine.resume(current, value)
            try:
                self.store.record_sprint(
                    current,
                    sprint.session,
                    sprint.events,
                    input_key=input_key,
                    outbox=render(sprint),
                )
            except StaleSession:
                self._cache.pop(session_id, None)
                continue  # someone else wrote first: apply the input to their state instead
            self._remember(sprint.session)
            return sprint
        raise StaleSession(f"session {session_id} kept changing; input not applied")

    def change_locale(self, session: Session, locale: str) -> Session:
        """The same session in another language from now on (what was said stays as it was;
        the next prompt comes in ``locale``). ``StaleSession`` if it changed meanwhile."""
        if session.locale == locale:
            return session
        changed = session.model_copy(
            update={"locale": locale, "updated_at": self.engine.clock.now()}
        )
        self.store.record_sprint(session, changed, ())
        self._remember(changed)
        return changed

    def open_session(self, participant_id: str, flow_id: str | None = None) -> Session | None:
        return self.store.open_session(participant_id, flow_id)

    def deliver_due(self, limit: int = 100) -> list[Sprint]:
        """Send due timeout/expiry inputs to waiting sessions (run by a scheduler)."""
        sprints = []
        for session in self.store.due_sessions(self.engine.clock.now(), limit):
            due = self.engine.due(session)
            if due is not None:
                sprints.append(self.resume(session.id, due, session=session))
        return sprints
