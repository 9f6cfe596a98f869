"""Changing one's own password: the old one first, the new one twice (``Accounts``)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from companion.accounts import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    LoginRefused,
    PasswordRejected,
    check_new_password,
)
from companion.users import AccountError, Accounts
from tui import account_texts as a
from tui import strings as s
from tui.context import SignedIn
from tui.keys import localize_bindings


class PasswordScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    PasswordScreen { align: center middle; }
    #password-box { width: 60; height: auto; border: round $primary; background: $surface;
                    padding: 1 2; }
    #password-box Input { margin-bottom: 1; }
    #password-status { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Tilbake")]

    def __init__(self, user: SignedIn) -> None:
        super().__init__(id="password-screen")
        self.user = user
        localize_bindings(self, user.texts, {"app.pop_screen": s.KEY_BACK})

    def compose(self) -> ComposeResult:
        t = self.user.texts
        with Vertical(id="password-box"):
            yield Label(t(a.PW_TITLE), classes="heading")
            yield Static(t(a.PW_HINT, min=MIN_PASSWORD_LENGTH), markup=False)
            yield Input(placeholder=t(a.PW_OLD), password=True, id="old")
            yield Input(placeholder=t(a.PW_NEW), password=True, id="new")
            yield Input(placeholder=t(a.PW_AGAIN), password=True, id="again")
            yield Button(t(a.PW_SAVE), variant="primary", id="save")
            yield Static("", id="password-status", markup=False)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        order = ["old", "new", "again"]
        if event.input.id in order[:-1]:
            self.query_one(f"#{order[order.index(event.input.id) + 1]}", Input).focus()
        else:
            self.save()

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.save()

    def save(self) -> None:
        """Check the new password here (for words the person understands), then change it."""
        old, new, again = (self.query_one(f"#{n}", Input) for n in ("old", "new", "again"))
        problem = self._problem(old.value, new.value, again.value)
        if problem is None:
            services = self.user.ctx.services
            viewer = self.user.viewer
            accounts = Accounts(
                services.directory, services.audit, services.clock, actor=viewer.username
            )
            try:
                accounts.change_own_password(viewer.username, old.value, new.value)
            except LoginRefused:
                problem = self.user.texts(a.PW_WRONG)
            except AccountError:  # a rule checked above; kept as a safety net
                problem = self.user.texts(a.PW_TOO_SHORT, min=MIN_PASSWORD_LENGTH)
        for field in (old, new, again):
            field.value = ""
        status = self.query_one("#password-status", Static)
        if problem is not None:
            status.update(problem)
            status.set_classes("error")
            old.focus()
            return
        status.update(self.user.texts(a.PW_DONE))
        status.set_classes("ok")
        self.notify(self.user.texts(a.PW_DONE))

    def _problem(self, old: str, new: str, again: str) -> str | None:
        t = self.user.texts
        if new != again:
            return t(a.PW_MISMATCH)
        try:
            check_new_password(new)
        except PasswordRejected:
            if len(new) < MIN_PASSWORD_LENGTH:
                return t(a.PW_TOO_SHORT, min=MIN_PASSWORD_LENGTH)
            if len(new) > MAX_PASSWORD_LENGTH:
                return t(a.PW_TOO_LONG, max=MAX_PASSWORD_LENGTH)
            return t(a.PW_BLANK)
        if new == old:
            return t(a.PW_SAME)
        return None
