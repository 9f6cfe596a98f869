"""Open flags: A acknowledges the highlighted one (audited), Enter opens its case, S on a
deletion request asks to confirm and then erases the person's data (audited)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from companion.access import AccessDenied
from tui import strings as s
from tui.context import SignedIn
from tui.keys import localize_bindings
from tui.viewmodels.flags import FlagItem, describe
from tui.widgets.flag_banner import FlagBanner


class FlagsScreen(Screen[None]):
    DEFAULT_CSS = """
    #flag-list { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Tilbake"),
        Binding("a", "acknowledge", "Kvitter"),
        Binding("s", "delete", "Slett data"),
    ]

    def __init__(self, user: SignedIn) -> None:
        super().__init__(id="flags-screen")
        self.user = user
        localize_bindings(
            self,
            user.texts,
            {"app.pop_screen": s.KEY_BACK, "acknowledge": s.KEY_ACK, "delete": s.KEY_DELETE},
        )

    def compose(self) -> ComposeResult:
        yield Header()
        yield FlagBanner(self.user.texts)
        yield Label(self.user.texts(s.FLAGS_TITLE), classes="heading")
        yield OptionList(id="flag-list")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "flags", self._show, init=True)
        self.query_one("#flag-list", OptionList).focus()

    def _show(self, flags: tuple[FlagItem, ...]) -> None:
        texts = self.user.texts
        options = self.query_one("#flag-list", OptionList)
        options.clear_options()
        if not flags:
            options.add_option(Option(texts(s.FLAGS_NONE), disabled=True))
            return
        hours = self.user.ctx.services.settings.flag_escalation_hours
        options.add_options(Option(describe(item, texts, hours), id=item.id) for item in flags)
        options.highlighted = 0

    def _highlighted(self) -> FlagItem | None:
        options = self.query_one("#flag-list", OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        flags: tuple[FlagItem, ...] = getattr(self.app, "flags", ())
        return next((f for f in flags if f.id == option_id), None)

    def _poll(self) -> None:
        """Read the open flags again now (the list follows ``app.flags``)."""
        poll = getattr(self.app, "poll_flags", None)
        if callable(poll):
            poll()

    def action_acknowledge(self) -> None:
        item = self._highlighted()
        if item is None:
            return
        try:
            self.user.flags.acknowledge(item.id)
        except AccessDenied:
            self.notify(self.user.texts(s.CASE_DENIED), severity="error")
            return
        self.notify(self.user.texts(s.FLAG_ACKED))
        self._poll()

    def action_delete(self) -> None:
        item = self._highlighted()
        if item is None or not item.deletion:
            self.notify(self.user.texts(s.DELETE_ONLY_REQUESTS), severity="warning")
            return
        from tui.screens.delete_confirm import DeleteConfirmScreen

        def confirmed(ok: bool | None) -> None:
            if not ok:
                return
            try:
                self.user.flags.confirm_deletion(item.id)
            except AccessDenied:
                self.notify(self.user.texts(s.CASE_DENIED), severity="error")
                return
            self.notify(self.user.texts(s.DELETE_DONE))
            self._poll()

        self.app.push_screen(DeleteConfirmScreen(self.user, item), confirmed)

    @on(OptionList.OptionSelected, "#flag-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        item = self._highlighted()
        if item is None:
            return
        from tui.screens.case import CaseScreen

        try:
            case_file = self.user.files.open(item.case_id)
        except AccessDenied:
            self.notify(self.user.texts(s.CASE_DENIED), severity="error")
            return
        self.app.push_screen(CaseScreen(self.user, case_file))
