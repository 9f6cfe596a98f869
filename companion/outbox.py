"""Channel-neutral outbox entries: what the core, the TUI and the CLI ask a chat channel to send.

The channel adapter (e.g. ``bots.telegram.sender``) turns each entry into API calls when it
sends it. ``api`` entries are already channel-specific and are made by the adapter itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic_core import to_jsonable_python

from companion.flows import events as ev
from companion.flows.engine import Sprint
from companion.ports import OutboxEntry

SHOWN: tuple[type, ...] = (
    ev.MessageCreated,
    ev.QuestionAsked,
    ev.InputRejected,
    ev.NoticeShown,
    ev.FlowEnded,
)
"""Events a person reads; the others (answers, flags, waits) are for stores and hosts."""

_EVENT_TYPES: dict[str, type] = {
    "message_created": ev.MessageCreated,
    "question_asked": ev.QuestionAsked,
    "input_rejected": ev.InputRejected,
    "notice_shown": ev.NoticeShown,
    "flow_ended": ev.FlowEnded,
}


def shown_events(events: Sequence[object]) -> list[Any]:
    """The events of a sprint a person reads, in order."""
    return [e for e in events if isinstance(e, SHOWN)]


def text_entry(
    channel: str,
    chat_id: str,
    text: str,
    *,
    participant_id: str | None = None,
    inbox_message_id: str | None = None,
) -> OutboxEntry:
    """A plain text to deliver (split by the channel if it is too long)."""
    payload: dict[str, Any] = {"text": text}
    if inbox_message_id is not None:
        payload["inbox_message_id"] = inbox_message_id
    return OutboxEntry(
        channel=channel,
        chat_id=chat_id,
        kind="text",
        payload=payload,
        participant_id=participant_id,
    )


def events_entry(
    channel: str, chat_id: str, sprint: Sprint, *, participant_id: str | None = None
) -> OutboxEntry:
    """A sprint's shown events, with what a channel needs to make its buttons safe."""
    session = sprint.session
    payload = {
        "session_id": session.id,
        "seq": session.seq,
        "node_id": session.wait.node_id if session.wait else None,
        "locale": session.locale,
        "events": [_event_data(e) for e in shown_events(sprint.events)],
    }
    return OutboxEntry(
        channel=channel,
        chat_id=chat_id,
        kind="events",
        payload=to_jsonable_python(payload),
        participant_id=participant_id,
    )


def events_from_payload(payload: dict[str, Any]) -> list[Any]:
    """The events stored by ``events_entry``, as engine event objects again."""
    found = []
    for data in payload.get("events", []):
        fields = dict(data)
        cls = _EVENT_TYPES[fields.pop("type")]
        if cls is ev.QuestionAsked:
            fields["buttons"] = tuple(ev.Button(**b) for b in fields.get("buttons", ()))
        found.append(cls(**fields))
    return found


def _event_data(event: Any) -> dict[str, Any]:
    return ev.event_to_dict(event)
