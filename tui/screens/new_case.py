"""N: a new case with its participants (first name or alias, role, language), owned by the
signed-in caseworker. Nothing is stored until every name is valid; then the case opens, where
I invites the participants to the chat."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tui import action_texts as a
from tui.context import SignedIn
from tui.keys import localize_bindings
from tui.screens.actions import FORM_CSS, LANGUAGE_NAMES, ROLE_NAMES, participant_fields
from tui.viewmodels.actions import MAX_NAME, ActionError, CaseActions


class NewCaseScreen(ModalScreen[str | None]):
    """Dismissed with the new case's id (None when cancelled)."""

    DEFAULT_CSS = FORM_CSS.format(name="NewCaseScreen")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Avbryt")]

    def __init__(self, user: SignedIn) -> None:
        super().__init__(id="new-case")
        self.user = user
        self.actions = CaseActions(user.ctx.services, user.viewer)
        self.added: list[tuple[str, str, str]] = []
        """(name, role, language) of the participants so far, stored with the case."""
        localize_bindings(self, user.texts, {"cancel": a.F_CANCEL})

    def compose(self) -> ComposeResult:
        t = self.user.texts
        with VerticalScroll():
            yield Label(t(a.NEW_TITLE), classes="heading")
            yield Label(t(a.NEW_CASE_TITLE))
            yield Input(id="title", compact=True)
            yield from participant_fields(t)
            with Horizontal(classes="buttons"):
                yield Button(t(a.NEW_ADD), id="add", compact=True)
                yield Button(t(a.NEW_CREATE), variant="primary", id="create", compact=True)
                yield Button(t(a.F_CANCEL), id="cancel", compact=True)
            yield Static("", id="people", markup=False)
            yield Static("", id="result", markup=False)

    def _refuse(self, error: ActionError) -> None:
        t = self.user.texts
        message = t(a.F_NOT_SAVED, reason=error.text(t))
        self.query_one("#result", Static).update(message)
        self.notify(message, severity="error")

    def _take_participant(self) -> bool:
        """Add the typed participant to the list (an empty name adds nothing)."""
        box = self.query_one("#name", Input)
        name = " ".join(box.value.split())
        if not name:
            return False
        if len(name) > MAX_NAME:
            raise ActionError(a.E_NAME, max=MAX_NAME)
        role = str(self.query_one("#role", Select).value)
        language = str(self.query_one("#language", Select).value)
        self.added.append((name, role, language))
        box.value = ""
        self._show()
        return True

    def _show(self) -> None:
        t = self.user.texts
        lines = [
            f"• {name} ({t(ROLE_NAMES[role])}, {t(LANGUAGE_NAMES[language])})"
            for name, role, language in self.added
        ]
        self.query_one("#people", Static).update("\n".join(lines))

    @on(Button.Pressed, "#add")
    @on(Input.Submitted, "#name")
    def _add(self) -> None:
        try:
            if self._take_participant():
                self.query_one("#result", Static).update("")
        except ActionError as error:
            self._refuse(error)
        self.query_one("#name", Input).focus()

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        t = self.user.texts
        title = self.query_one("#title", Input).value
        try:
            self._take_participant()
            case = self.actions.create_case(title)
            for name, role, language in self.added:
                self.actions.add_participant(case.id, role, name, language)
        except ActionError as error:
            self._refuse(error)
            return
        self.notify(t(a.NEW_CREATED, title=case.title))
        self.dismiss(case.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
