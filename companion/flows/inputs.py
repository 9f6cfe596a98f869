"""What can resume a waiting session: a message, a button, a command, or a deadline passing."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Command(StrEnum):
    """Universal commands, accepted at every wait."""

    HELP = "help"
    PAUSE = "pause"
    CONTINUE = "continue"
    BACK = "back"
    SKIP = "skip"
    STOP = "stop"
    URGENT = "urgent"
    """«I need help now»: runs the safety flow from anywhere."""


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TextInput(_Input):
    """Words the person typed (or said, once a voice note is confirmed)."""

    kind: Literal["text"] = "text"
    text: str
    source: Literal["typed", "voice"] = "typed"
    confidence: float | None = None


class VoiceInput(_Input):
    """A transcribed voice note: read back to the person and stored only once confirmed."""

    kind: Literal["voice"] = "voice"
    text: str
    confidence: float | None = None


class ChoiceInput(_Input):
    """A button press: one value, or several for a multiple choice."""

    kind: Literal["choice"] = "choice"
    values: tuple[str, ...] = Field(min_length=1)


class CommandInput(_Input):
    kind: Literal["command"] = "command"
    command: Command


class TimeoutInput(_Input):
    """The wait's timeout deadline has passed (sent by the host's scheduler)."""

    kind: Literal["timeout"] = "timeout"


class ExpiryInput(_Input):
    """The session's expiry deadline has passed."""

    kind: Literal["expiry"] = "expiry"


Input = Annotated[
    TextInput | VoiceInput | ChoiceInput | CommandInput | TimeoutInput | ExpiryInput,
    Field(discriminator="kind"),
]


def choice(*values: str) -> ChoiceInput:
    return ChoiceInput(values=values)


def text(words: str) -> TextInput:
    return TextInput(text=words)


def command(name: Command | str) -> CommandInput:
    return CommandInput(command=Command(name))
