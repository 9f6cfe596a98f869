"""I: invite a participant to the chat (deep link and a QR code drawn in the terminal)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from companion.access import AccessDenied
from tui import strings as s
from tui.context import SignedIn
from tui.keys import localize_bindings
from tui.viewmodels.case_file import CaseFile
from tui.viewmodels.invites import create_invite


class InviteScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    InviteScreen { align: center middle; }
    #invite { width: 90%; max-width: 100; height: 90%; border: round $primary;
              background: $surface; padding: 0 2; }
    #qr { width: auto; color: $text; background: $background; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Tilbake")]

    def __init__(self, user: SignedIn, case_file: CaseFile) -> None:
        super().__init__(id="invite-screen")
        self.user = user
        self.case_file = case_file
        localize_bindings(self, user.texts, {"app.pop_screen": s.KEY_BACK})

    def compose(self) -> ComposeResult:
        t = self.user.texts
        people = [(p.name, p.participant.id) for p in self.case_file.people]
        with VerticalScroll(id="invite"):
            yield Label(t(s.INV_PICK), classes="heading")
            yield Select(people, id="invitee", allow_blank=False)
            with Horizontal(classes="buttons"):
                yield Button(t(s.INV_CREATE), variant="primary", id="create", compact=True)
            yield Static("", id="invite-note", markup=False)
            yield Static("", id="link", markup=False)
            yield Static("", id="qr", markup=False)

    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        t = self.user.texts
        value = self.query_one("#invitee", Select).value
        person = self.case_file.person(str(value))
        if person is None:
            return
        try:
            view = create_invite(self.user.ctx.services, self.user.viewer, self.case_file, person)
        except AccessDenied:
            self.notify(t(s.CASE_DENIED), severity="error")
            return
        note = t(s.INV_SCAN, when=t.datetime(view.expires_at))
        if not view.bot_configured:
            note = f"{note}\n{t(s.INV_NO_BOT)}"
        self.query_one("#invite-note", Static).update(f"{t(s.INV_TITLE, name=person.name)}\n{note}")
        self.query_one("#link", Static).update(view.link)
        self.query_one("#qr", Static).update(view.qr)
