"""Running flows for a chat channel: each input processed once, its replies committed with it.

``ChannelFlows`` is ``Conversations`` with two additions a channel needs: the input's
idempotency key (``telegram:<update_id>``) and the replies (outbox entries rendered from the
sprint) go into the same transaction as the sprint, via ``ConversationStore.record_sprint``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from companion.flows import Engine, Session, Sprint
from companion.flows.inputs import Input
from companion.ports import ConversationStore, OutboxEntry, StaleSession

MAX_RETRIES = 3

Render = Callable[[Sprint], Sequence[OutboxEntry]]
Adjust = Callable[[Sprint], Sprint]


def _nothing(sprint: Sprint) -> Sequence[OutboxEntry]:
    return ()


@dataclass
class ChannelFlows:
    """Start and continue flows, persisting each sprint with its input key and replies."""

    engine: Engine
    store: ConversationStore

    def start(
        self,
        flow_id: str,
        *,
        participant_id: str | None,
        locale: str,
        params: Mapping[str, Any] | None = None,
        input_key: str | None = None,
        render: Render = _nothing,
        adjust: Adjust | None = None,
    ) -> Sprint:
        """Start ``flow_id``; ``adjust`` may add host context to the events before storing."""
        sprint = self.engine.start(
            flow_id, locale=locale, participant_id=participant_id, params=params
        )
        if adjust is not None:
            sprint = adjust(sprint)
        self.store.record_sprint(
            None, sprint.session, sprint.events, input_key=input_key, outbox=render(sprint)
        )
        return sprint

    def resume(
        self,
        session: Session,
        value: Input,
        *,
        input_key: str | None = None,
        render: Render = _nothing,
    ) -> Sprint:
        """Apply one input and store the result; if the session changed meanwhile, read it
        again and apply the input to the newer state (``DuplicateInput`` is not retried)."""
        for attempt in range(MAX_RETRIES):
            if attempt:
                fresh = self.store.get_session(session.id)
                if fresh is None or not fresh.is_resumable:
                    raise StaleSession(f"session {session.id} is gone or finished")
                session = fresh
            sprint = self.engine.resume(session, value)
            try:
                self.store.record_sprint(
                    session,
                    sprint.session,
                    sprint.events,
                    input_key=input_key,
                    outbox=render(sprint),
                )
            except StaleSession:
                continue
            return sprint
        raise StaleSession(f"session {session.id} kept changing; input not applied")
