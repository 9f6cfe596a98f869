"""Meldinger: the thread (newest last), marked read when shown, and a reply box."""

from __future__ import annotations

from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from companion.case_messages import CaseMessages, ReplyRejected
from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile
from tui.viewmodels.messages import message_lines, recipients, rejection_text
from tui.widgets.text import LazyPane, muted


class MessagesPane(LazyPane):
    DEFAULT_CSS = """
    MessagesPane .message { margin-top: 1; }
    MessagesPane .message-head { color: $text-muted; }
    MessagesPane .reply { height: auto; margin-top: 1; }
    MessagesPane #reply-to { width: 24; }
    MessagesPane #reply-text { width: 1fr; }
    MessagesPane #reply-error { color: $error; }
    """

    def __init__(self, messages: CaseMessages, case_file: CaseFile, texts: Texts) -> None:
        super().__init__(id="messages-pane")
        self.messages = messages
        self.case_file = case_file
        self.texts = texts

    def build(self) -> list[Widget]:
        t = self.texts
        case = self.case_file.case
        if not self.messages.may_read(case):
            return [muted(t(s.MSG_ONLY_KP))]
        thread = self.messages.thread(case.id)
        # Shown now, so read now: the badge on the case list goes away.
        self.messages.mark_read(case.id)
        out: list[Widget] = []
        if not thread:
            out.append(muted(t(s.MSG_EMPTY)))
        for line in message_lines(thread, t):
            out.append(Static(line.header, classes="message message-head", markup=False))
            out.append(Static(line.text, classes="words", markup=False))
        people = recipients(self.case_file, thread)
        if not people:
            out.append(muted(t(s.MSG_NO_RECIPIENT)))
            return out
        options = [(p.label, p.participant_id) for p in people]
        out.append(
            Horizontal(
                Select(
                    options,
                    value=people[0].participant_id,
                    allow_blank=False,
                    id="reply-to",
                    compact=True,
                    prompt=t(s.MSG_REPLY_TO),
                ),
                Input(placeholder=t(s.MSG_PLACEHOLDER), id="reply-text", compact=True),
                Button(t(s.KEY_SEND), id="reply-send", compact=True),
                classes="reply",
            )
        )
        out.append(Static("", id="reply-error", markup=False))
        return out

    @on(Input.Submitted, "#reply-text")
    @on(Button.Pressed, "#reply-send")
    async def _send(self) -> None:
        await self.send()

    async def send(self) -> None:
        """Send the typed reply; on a refusal say why and keep the text."""
        t = self.texts
        box = self.query_one("#reply-text", Input)
        to = self.query_one("#reply-to", Select).value
        if not isinstance(to, str):
            return
        person = self.case_file.person(to)
        name = person.name if person else ""
        try:
            self.messages.reply(to, box.value)
        except ReplyRejected as error:
            self.query_one("#reply-error", Static).update(rejection_text(error, name, t))
            box.focus()
            return
        self.app.notify(t(s.MSG_SENT, name=name))
        # Rebuild once the old widgets are gone (their ids are reused).
        await self.remove_children()
        await self.mount_all(self.build())
        self.query_one("#reply-text", Input).focus()
