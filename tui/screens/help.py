"""``?``: what the keys do, in plain words."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui import strings as s
from tui.i18n import Texts


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help-box { width: 80%; max-width: 90; height: 80%; border: round $primary; padding: 1 2;
                background: $surface; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Lukk"),
        Binding("question_mark", "dismiss", show=False),
    ]

    def __init__(self, texts: Texts) -> None:
        super().__init__(id="help")
        self.texts = texts

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Label(self.texts(s.HELP_TITLE), classes="heading")
            yield Static(self.texts(s.HELP_TEXT), markup=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
