"""``ChatLink``: one person's side of a chat with the bot, through the Bot API stand-in."""

from __future__ import annotations

from dataclasses import dataclass, field

from bots.telegram.standin import BotApiStandIn, ChatMessage


@dataclass
class ChatLink:
    """What a phone can do in one private chat: read it, write, press, record (thread-safe)."""

    standin: BotApiStandIn
    user_id: int
    first_name: str = "Demo"
    language: str = "nb"
    said: dict[str, str] = field(default_factory=dict)
    """What the person's own voice notes said, by file_id (shown under the note)."""
    _unnamed: list[str] = field(default_factory=list)

    def messages(self) -> list[ChatMessage]:
        """The chat now: edits applied."""
        found = self.standin.chat(self.user_id)
        for message in found:
            mine = message.kind == "voice" and not message.from_bot and message.file_id
            if mine and message.file_id not in self.said and self._unnamed:
                self.said[str(message.file_id)] = self._unnamed.pop(0)
        return found

    def send_text(self, text: str) -> None:
        self.standin.send_text_sync(
            self.user_id, text, first_name=self.first_name, language_code=self.language
        )

    def press(self, message_id: int, data: str) -> None:
        """Press a button the person sees (``LookupError`` when it is gone)."""
        self.standin.press_sync(self.user_id, message_id, data)

    def send_voice(self, audio: bytes, seconds: int, said: str = "") -> None:
        self._unnamed.append(said)
        self.standin.send_voice_sync(self.user_id, audio, max(1, seconds))

    def voice_of(self, message_id: int) -> bytes | None:
        """The audio of a voice note the bot sent (as the stand-in received it)."""
        for call in self.standin.calls("sendVoice", self.user_id):
            if call.ok and call.message_id == message_id:
                return call.files.get("voice")
        return None

    def reply_keyboard(self) -> list[str]:
        """The labels of the bot's current reply keyboard (the «Jeg trenger hjelp nå» row)."""
        for call in reversed(self.standin.calls(chat_id=self.user_id)):
            markup = call.reply_markup or {}
            if not call.ok or not markup or "inline_keyboard" in markup:
                continue
            rows = markup.get("keyboard") or []
            return [
                str(b.get("text", b)) if isinstance(b, dict) else str(b) for r in rows for b in r
            ]
        return []
