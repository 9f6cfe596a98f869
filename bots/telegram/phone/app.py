"""``PhoneApp``: a small Textual chat screen that plays one person's Telegram chat."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Button, Footer, Header, Input

from bots.telegram.phone import notes
from bots.telegram.phone.bubbles import Bubble, ChatButton, KeyboardButton, PlayButton, shown
from bots.telegram.phone.link import ChatLink

POLL = 0.15
"""Seconds between looks at the chat."""


class PhoneApp(App[None]):
    """Messages with their buttons, a text field, «Send» and «🎤 Lydmelding»."""

    CSS_PATH = "phone.tcss"
    TITLE = "Companion – telefon (demo)"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Avslutt"),
        Binding("ctrl+r", "record", "Lydmelding"),
    ]

    def __init__(
        self,
        link: ChatLink,
        *,
        prefill: str = "",
        subtitle: str = "",
        audio_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.link = link
        self.prefill = prefill
        self.sub_title = subtitle
        self.audio_dir = audio_dir or Path("var/demo/voice")
        self.bubbles: dict[int, Bubble] = {}
        self.keyboard: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="chat")
        yield Horizontal(id="keyboard")
        with Horizontal(id="compose"):
            yield Input(self.prefill, placeholder="Skriv en melding …", id="text")
            yield Button("Send", id="send", variant="primary")
            yield Button("🎤 Lydmelding", id="voice")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()
        self.set_interval(POLL, self.refresh_chat)

    # --- showing the chat ---------------------------------------------------------------------

    async def refresh_chat(self) -> None:
        """Show new messages, redraw changed ones (edits), and the current reply keyboard."""
        try:
            await self._refresh_chat()
        except NoMatches:  # the timer fired while the app closes: nothing left to show
            return

    async def _refresh_chat(self) -> None:
        chat = self.query_one("#chat", VerticalScroll)
        added = False
        for message in self.link.messages():
            said = self.link.said.get(message.file_id or "", "")
            bubble = self.bubbles.get(message.message_id)
            if bubble is None:
                bubble = Bubble(message, said)
                self.bubbles[message.message_id] = bubble
                await chat.mount(bubble)
                added = True
            elif shown(bubble.message, bubble.said) != shown(message, said):
                await bubble.show(message, said)
        if added:
            chat.scroll_end(animate=False)
        await self._show_keyboard(self.link.reply_keyboard())

    async def _show_keyboard(self, labels: list[str]) -> None:
        if labels == self.keyboard:
            return
        self.keyboard = labels
        row = self.query_one("#keyboard", Horizontal)
        await row.remove_children()
        await row.mount_all([KeyboardButton(label) for label in labels])

    # --- what the person does -----------------------------------------------------------------

    @on(Input.Submitted, "#text")
    @on(Button.Pressed, "#send")
    def send(self) -> None:
        field = self.query_one("#text", Input)
        text = field.value.strip()
        if not text:
            return
        self.link.send_text(text)
        field.value = ""

    @on(Button.Pressed, "#voice")
    def action_record(self) -> None:
        field = self.query_one("#text", Input)
        text = field.value.strip()
        if not text:
            self.notify("Skriv det du vil si, så blir det en lydmelding.")
            return
        field.value = ""
        self.record(text)

    @work(thread=True, exclusive=False)
    def record(self, text: str) -> None:
        """Synthesize the words and send them as a voice note (off the UI's loop)."""
        audio, seconds = notes.record(text, self.link.language)
        self.link.send_voice(audio, seconds, said=text)

    @on(Button.Pressed, "ChatButton")
    def press(self, event: Button.Pressed) -> None:
        button = event.button
        assert isinstance(button, ChatButton)
        try:
            self.link.press(button.message_id, button.data)
        except LookupError:
            self.notify("Den knappen er borte.", severity="warning")

    @on(Button.Pressed, "KeyboardButton")
    def keyboard_press(self, event: Button.Pressed) -> None:
        self.link.send_text(str(event.button.label))

    @on(Button.Pressed, "PlayButton")
    def play_pressed(self, event: Button.Pressed) -> None:
        button = event.button
        assert isinstance(button, PlayButton)
        audio = self.link.voice_of(button.message_id)
        if audio is not None:
            self.play(audio)

    @work(thread=True)
    def play(self, audio: bytes) -> None:
        self.notify(notes.play(audio, self.audio_dir))
