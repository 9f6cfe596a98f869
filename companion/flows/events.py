"""What a sprint emits. Front ends render these; stores persist some of them.

Event names are past tense; every event carries the flow and node it came from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    flow_id: str
    node_id: str | None = None


class Button(BaseModel):
    """An answer the person can pick with one tap."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    value: str
    label: str


class MessageCreated(_Event):
    type: Literal["message_created"] = "message_created"
    text: str


class QuestionAsked(_Event):
    """A wait began (or is repeated): the prompt, its buttons and what it accepts."""

    type: Literal["question_asked"] = "question_asked"
    kind: str
    text: str
    buttons: tuple[Button, ...] = ()
    multiple: bool = False
    max_choices: int | None = None
    optional: bool = False
    voice: bool = False
    can_go_back: bool = False
    repeated: bool = False


class InputRejected(_Event):
    """The input did not fit; nothing was stored. ``text`` says what would fit."""

    type: Literal["input_rejected"] = "input_rejected"
    text: str


class AnswerRecorded(_Event):
    type: Literal["answer_recorded"] = "answer_recorded"
    key: str
    value: Any
    source: str
    confidence: float | None = None


class ConsentRecorded(_Event):
    type: Literal["consent_recorded"] = "consent_recorded"
    consent: str
    version: str
    granted: bool
    text: str
    """The consent text exactly as shown, in the person's language."""


class VisibilityRecorded(_Event):
    type: Literal["visibility_recorded"] = "visibility_recorded"
    result: str
    field: str
    audiences: tuple[str, ...]


class FlagRaised(_Event):
    type: Literal["flag_raised"] = "flag_raised"
    severity: Literal["low", "high"]
    reason: str
    trigger: str | None = None
    """The person's words that started a safety interrupt, if that is how the flag came."""


class NoticeShown(_Event):
    """A short system message: help, a pause note, «this is the first question» …"""

    type: Literal["notice_shown"] = "notice_shown"
    notice: Literal["help", "paused", "continued", "first_question", "not_skippable", "reminder"]
    text: str


class SessionPaused(_Event):
    type: Literal["session_paused"] = "session_paused"


class FlowEnded(_Event):
    type: Literal["flow_ended"] = "flow_ended"
    outcome: Literal["completed", "stopped", "expired", "failed"]
    text: str = ""


class WaitStarted(_Event):
    """The session now waits; hosts schedule these deadlines."""

    type: Literal["wait_started"] = "wait_started"
    timeout_at: datetime | None = None
    expires_at: datetime


Event = Annotated[
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
    | WaitStarted,
    Field(discriminator="type"),
]
