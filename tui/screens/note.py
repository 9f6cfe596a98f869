"""N: a short note on one of the answers the current tab shows."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from companion.access import AccessDenied
from companion.case_notes import MAX_NOTE, CaseNotes, NoteRejected
from tui import strings as s
from tui.i18n import Texts
from tui.keys import localize_bindings
from tui.viewmodels.notes import NoteItem


class NoteScreen(ModalScreen[bool]):
    """Dismissed with True once a note is saved, False when cancelled (nothing saved)."""

    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    #note { width: 90%; max-width: 100; height: auto; border: round $primary;
            background: $surface; padding: 0 2; }
    #note-error { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Avbryt")]

    def __init__(self, notes: CaseNotes, case_id: str, items: list[NoteItem], texts: Texts) -> None:
        super().__init__(id="note-screen")
        self.notes = notes
        self.case_id = case_id
        self.items = items
        self.texts = texts
        localize_bindings(self, texts, {"cancel": s.NOTE_CANCEL})

    def compose(self) -> ComposeResult:
        t = self.texts
        with Vertical(id="note"):
            yield Label(t(s.NOTE_TITLE), classes="heading")
            yield Select(
                [(item.label, item.subject) for item in self.items],
                value=self.items[0].subject,
                allow_blank=False,
                id="note-item",
            )
            yield Input(placeholder=t(s.NOTE_PLACEHOLDER), id="note-text")
            yield Static("", id="note-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t(s.NOTE_SAVE), variant="primary", id="note-save", compact=True)
                yield Button(t(s.NOTE_CANCEL), id="note-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    @on(Input.Submitted, "#note-text")
    @on(Button.Pressed, "#note-save")
    def save(self) -> None:
        t = self.texts
        subject = self.query_one("#note-item", Select).value
        item = next((i for i in self.items if i.subject == subject), None)
        if item is None:
            return
        box = self.query_one("#note-text", Input)
        try:
            self.notes.add(self.case_id, item.participant_id, item.subject, box.value)
        except NoteRejected as error:
            message = t(s.NOTE_TOO_LONG, max=MAX_NOTE) if error.reason == "too_long" else None
            self.query_one("#note-error", Static).update(message or t(s.NOTE_EMPTY))
            box.focus()
            return
        except AccessDenied:
            self.notify(t(s.CASE_DENIED), severity="error")
            self.dismiss(False)
            return
        self.notify(t(s.NOTE_SAVED))
        self.dismiss(True)

    @on(Button.Pressed, "#note-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
