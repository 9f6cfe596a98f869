"""S on a deletion request: what will be erased, and a button to confirm it for good."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tui import strings as s
from tui.context import SignedIn
from tui.keys import localize_bindings
from tui.viewmodels.flags import FlagItem


class DeleteConfirmScreen(ModalScreen[bool]):
    """Dismissed with True only when «Slett for godt» is pressed; Escape or «Avbryt»: False.

    The cancel button has the focus first, so an Enter pressed by habit deletes nothing."""

    DEFAULT_CSS = """
    DeleteConfirmScreen { align: center middle; }
    #delete-box { width: 80%; max-width: 90; height: auto; border: round $error;
                  background: $surface; padding: 1 2; }
    #delete-buttons { height: auto; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Avbryt")]

    def __init__(self, user: SignedIn, item: FlagItem) -> None:
        super().__init__(id="delete-confirm")
        self.user = user
        self.item = item
        localize_bindings(self, user.texts, {"cancel": s.DELETE_CANCEL})

    def compose(self) -> ComposeResult:
        t = self.user.texts
        with Vertical(id="delete-box"):
            yield Label(t(s.DELETE_TITLE, name=self.item.name), classes="heading")
            yield Static(t(s.DELETE_BODY, name=self.item.name), id="delete-body")
            with Horizontal(id="delete-buttons"):
                yield Button(t(s.DELETE_CANCEL), id="delete-cancel")
                yield Button(t(s.DELETE_CONFIRM), id="delete-ok", variant="error")

    def on_mount(self) -> None:
        self.query_one("#delete-cancel", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#delete-cancel")
    def _cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#delete-ok")
    def _confirm(self) -> None:
        self.dismiss(True)
