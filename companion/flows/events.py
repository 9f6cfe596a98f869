"""What a sprint emits. Front ends render these; stores persist some of them.

Events are plain frozen dataclasses, not pydantic models: they are the engine's own output
(never parsed from outside), and building a dozen per input must stay cheap. ``event_to_dict``
turns one into JSON-ready data. Names are past tense; each event carries its flow and node.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as _field
from datetime import datetime
from typing import Any, Literal


@dataclass(frozen=True, slots=True, kw_only=True)
class Button:
    """An answer the person can pick with one tap."""

    value: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class _Event:
    flow_id: str
    node_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageCreated(_Event):
    text: str
    type: Literal["message_created"] = _field(default="message_created", init=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionAsked(_Event):
    """A wait began (or is repeated): the prompt, its buttons and what it accepts."""

    kind: str
    text: str
    buttons: tuple[Button, ...] = ()
    multiple: bool = False
    max_choices: int | None = None
    optional: bool = False
    voice: bool = False
    can_go_back: bool = False
    repeated: bool = False
    type: Literal["question_asked"] = _field(default="question_asked", init=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class InputRejected(_Event):
    """The input did not fit; nothing was stored. ``text`` says what would fit."""

    text: str
    type: Literal["input_rejected"] = _field(default="input_rejected", init=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerRecorded(_Event):
    key: str
    value: Any
    source: str
    confidence: float | None = None
    type: Literal["answer_recorded"] = _field(default="answer_recorded", init=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsentRecorded(_Event):
    consent: str
    version: str
    granted: bool
    text: str
    """The consent text exactly as shown, in the person's language."""
    type: Literal["consent_recorded"] = _field(default="consent_recorded", init=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class VisibilityRecorded(_Event):
    result: str
    field: str
    audiences: tuple[str, ...]
    type: Literal["visibility_recorded"] = _field(default="visibility_recorded", init=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagRaised(_Event):
    severity: Literal["low", "high"]
    reason: str
    trigger: str | None = None
    """The person's words that started a safety interrupt, if that is how the flag came."""
    type: Literal["flag_raised"] = _field(default="flag_raised", init=False)


Notice = Literal[
    "help", "paused", "continued", "first_question", "not_skippable", "reminder", "voice"
]


@dataclass(frozen=True, slots=True, kw_only=True)
class NoticeShown(_Event):
    """A short system message: help, a pause note, «this is the first question» …"""

    notice: Notice
    text: str
    type: Literal["notice_shown"] = _field(default="notice_shown", init=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionPaused(_Event):
    type: Literal["session_paused"] = _field(default="session_paused", init=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowEnded(_Event):
    outcome: Literal["completed", "stopped", "expired", "failed"]
    text: str = ""
    type: Literal["flow_ended"] = _field(default="flow_ended", init=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class WaitStarted(_Event):
    """The session now waits; hosts schedule these deadlines."""

    expires_at: datetime
    timeout_at: datetime | None = None
    type: Literal["wait_started"] = _field(default="wait_started", init=False)


Event = (
    MessageCreated
    | QuestionAsked
    | InputRejected
    | AnswerRecorded
    | ConsentRecorded
    | VisibilityRecorded
    | FlagRaised
    | NoticeShown
    | SessionPaused
    | FlowEnded
    | WaitStarted
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def event_to_dict(event: Any) -> dict[str, Any]:
    """An event as JSON-ready data, ``type`` first."""
    data = _jsonable(asdict(event))
    return {"type": data.pop("type"), **data}
