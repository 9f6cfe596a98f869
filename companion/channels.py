"""Running flows for a chat channel: each input processed once, its replies committed with it.

``ChannelFlows`` is ``Conversations`` (one retry loop, one session cache) called the way a
channel needs: with the input's idempotency key (``telegram:<update_id>``) and a ``render``
that turns the sprint into outbox entries, both written in the sprint's transaction
(``ConversationStore.record_sprint``). A channel passes the session it has just read, so the
hot path reads nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from companion.conversations import Adjust, Conversations, Render, no_replies
from companion.flows import Session, Sprint
from companion.flows.inputs import Input
from companion.ports import OutboxStore

__all__ = ["Adjust", "ChannelFlows", "Render", "Retyped", "retyped"]

Retyped = Literal["unsent", "shown"]
"""Why words are the previous answer typed again: the question after it has not reached the
person yet (it is on its way), or it had not when they wrote."""
ANSWER_SOURCES = frozenset({"typed", "voice", "button"})


@dataclass
class ChannelFlows:
    """Start and continue flows, persisting each sprint with its input key and replies."""

    conversations: Conversations

    def start(
        self,
        flow_id: str,
        *,
        participant_id: str | None,
        locale: str,
        params: Mapping[str, Any] | None = None,
        input_key: str | None = None,
        render: Render = no_replies,
        adjust: Adjust | None = None,
    ) -> Sprint:
        """Start ``flow_id``; ``adjust`` may add host context to the events before storing."""
        return self.conversations.start(
            flow_id,
            participant_id=participant_id,
            locale=locale,
            params=params,
            input_key=input_key,
            render=render,
            adjust=adjust,
        )

    def resume(
        self,
        session: Session,
        value: Input,
        *,
        input_key: str | None = None,
        render: Render = no_replies,
    ) -> Sprint:
        """Apply one input to ``session`` (as the channel read it) and store the result; if
        the session changed meanwhile, the input goes to the newer state (see
        ``Conversations.resume``)."""
        return self.conversations.resume(
            session.id, value, session=session, input_key=input_key, render=render
        )


def retyped(
    session: Session,
    text: str,
    written_at: datetime | None,
    outbox: OutboxStore,
    channel: str,
    chat_id: str,
) -> Retyped | None:
    """Whether ``text`` is the previous answer sent again, not an answer to what waits now.

    A person who got no reply (a slow or restarting bot) writes the same words again. Those
    words are a repeat when (a) they equal the session's previous accepted answer (ignoring
    case and spacing) and (b) they were written before the question now waiting reached the
    chat. When that question went out is read from the outbox: its rows were committed with
    the sprint that started the wait (so the first rows for the chat since ``wait.started_at``)
    and keep their ``sent_at``; both survive a restart, and nothing new is stored for this.
    Telegram dates messages in whole seconds, so only an earlier second counts as «before»;
    when unsure (no date, no such rows, the same second) the words are an answer.
    """
    wait = session.wait
    if written_at is None or session.status != "waiting" or wait is None:
        return None
    if not _normal(text) or _normal(text) not in _previous_answers(session):
        return None
    rows = outbox.first_enqueued(channel, chat_id, wait.started_at)
    if not rows:
        return None  # the question went elsewhere or is gone: unsure, so an answer
    if any(row.status != "sent" or row.sent_at is None for row in rows):
        return "unsent"
    shown = max(row.sent_at for row in rows if row.sent_at is not None)
    return "shown" if int(written_at.timestamp()) < int(shown.timestamp()) else None


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _previous_answers(session: Session) -> set[str]:
    """The words of the answer(s) the session accepted last (one sprint's, by time)."""
    given = [a for a in session.answers.values() if a.source in ANSWER_SOURCES]
    if not given:
        return set()
    last = max(a.at for a in given)
    return {
        _normal(str(a.value))
        for a in given
        if a.at == last and isinstance(a.value, str | int | float) and not isinstance(a.value, bool)
    }
