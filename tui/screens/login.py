"""Sign in with a username and password (argon2id, lockout and audit: ``companion.accounts``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from companion.accounts import LoginRefused, SignIn
from tui import strings as s
from tui.context import Context

if TYPE_CHECKING:
    from tui.app import CompanionApp


class LoginScreen(Screen[None]):
    """The first screen unless the demo signs in directly."""

    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    #login-box { width: 50; height: auto; border: round $primary; padding: 1 2; }
    #login-box Input { margin-bottom: 1; }
    #login-error { color: $error; height: auto; }
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(id="login")
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        texts = self.ctx.texts
        yield Header()
        with Vertical(id="login-box"):
            yield Label(texts(s.LOGIN_TITLE), classes="heading")
            yield Input(placeholder=texts(s.LOGIN_USERNAME), id="username")
            yield Input(placeholder=texts(s.LOGIN_PASSWORD), password=True, id="password")
            yield Button(texts(s.LOGIN_BUTTON), variant="primary", id="login-button")
            yield Static("", id="login-error", markup=False)
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "username":
            self.query_one("#password", Input).focus()
        else:
            self.attempt()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.attempt()

    def attempt(self) -> None:
        username = self.query_one("#username", Input).value
        password = self.query_one("#password", Input)
        services = self.ctx.services
        sign_in = SignIn(services.directory, services.audit, services.clock)
        try:
            viewer = sign_in(username, password.value, via="tui")  # audits either way
        except LoginRefused:
            password.value = ""
            self.query_one("#login-error", Static).update(self.ctx.texts(s.LOGIN_REFUSED))
            return
        if viewer.role == "admin":
            self.query_one("#login-error", Static).update(self.ctx.texts(s.LOGIN_NO_CASES))
            return
        cast("CompanionApp", self.app).sign_in(viewer)
