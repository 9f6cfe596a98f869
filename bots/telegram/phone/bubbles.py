"""One chat message on the phone: its text, its inline buttons, a voice note's play button."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from bots.telegram.standin import ChatMessage

Shown = tuple[str, str, tuple[tuple[tuple[str, str | None], ...], ...], str]


def shown(message: ChatMessage, said: str) -> Shown:
    """What the person sees of a message (a change means: draw it again)."""
    buttons = tuple(tuple(row) for row in message.buttons)
    return (message.kind, message.text, buttons, said)


class ChatButton(Button):
    """An inline keyboard button: pressing it sends its callback_data."""

    def __init__(self, label: str, message_id: int, data: str) -> None:
        super().__init__(label, classes="inline")
        self.message_id = message_id
        self.data = data


class KeyboardButton(Button):
    """A reply keyboard button: pressing it writes its label."""

    def __init__(self, label: str) -> None:
        super().__init__(label, variant="error", classes="reply")


class PlayButton(Button):
    """Plays a voice note the bot sent."""

    def __init__(self, message_id: int) -> None:
        super().__init__("▶ Spill av", classes="play")
        self.message_id = message_id


class Bubble(Vertical):
    """A message from the bot (left) or from the person (right)."""

    def __init__(self, message: ChatMessage, said: str = "") -> None:
        super().__init__(classes="bot" if message.from_bot else "me")
        self.message = message
        self.said = said

    async def show(self, message: ChatMessage, said: str) -> None:
        """Draw the message again (an edit, new buttons, a note's words)."""
        self.message, self.said = message, said
        await self.recompose()

    def compose(self) -> ComposeResult:
        message = self.message
        if message.kind == "voice":
            yield Static(self._voice_line(), classes="text")
        elif message.text or message.kind == "text":
            yield Static(Text(message.text), classes="text")
        else:
            yield Static(Text(f"[{message.kind}]"), classes="text")
        if message.kind == "voice" and message.from_bot:
            yield PlayButton(message.message_id)
        for row in message.buttons:
            with Horizontal(classes="row"):
                for label, data in row:
                    if data is not None:
                        yield ChatButton(label, message.message_id, data)

    def _voice_line(self) -> Text:
        line = "🔊 Lydmelding" if self.message.from_bot else "🎤 Lydmelding"
        if self.said:
            line += f": «{self.said}»"
        return Text(line)
