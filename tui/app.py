"""The caseworker TUI: ``make_app(settings, services=None)`` is its composition root (G4)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from companion.accounts import Viewer
from companion.config import Settings
from companion.services import Services, build_services
from tui import account_texts
from tui import strings as s
from tui.commands import action_commands
from tui.context import Context, SignedIn
from tui.data import open_tui_data
from tui.i18n import Texts
from tui.keys import localize_bindings
from tui.viewmodels.flags import FlagItem

DEFAULT_EXPORT_DIR = Path("var/exports")


class CompanionApp(App[None]):
    """Signs the caseworker in, then shows the case list; watches for new safety flags."""

    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Hjelp", key_display="?"),
        Binding("f", "flags", "Flagg"),
        Binding("ctrl+q", "quit", "Avslutt", priority=True),
    ]

    flags: reactive[tuple[FlagItem, ...]] = reactive(())
    """Open flags the signed-in viewer may see (polled from the store)."""

    def __init__(self, ctx: Context, login_as: Viewer | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.user: SignedIn | None = None
        self._login_as = login_as
        self._known_flags: set[str] | None = None
        texts = ctx.texts
        self.title = texts(s.APP_TITLE)
        self.sub_title = texts(s.DEMO_NOTE) if ctx.services.settings.demo else texts(s.APP_SUBTITLE)
        self._localize_bindings()

    def _localize_bindings(self) -> None:
        labels = {"help": s.KEY_HELP, "flags": s.KEY_FLAGS, "quit": s.KEY_QUIT}
        localize_bindings(self, self.ctx.texts, labels)

    def on_mount(self) -> None:
        if self._login_as is not None:
            self.sign_in(self._login_as)
        else:
            from tui.screens.login import LoginScreen

            self.push_screen(LoginScreen(self.ctx))
        self.set_interval(self.ctx.poll_seconds, self.poll_flags)

    def sign_in(self, viewer: Viewer) -> None:
        """Start the viewer's session and show their cases."""
        from tui.screens.cases import CasesScreen

        self.user = SignedIn.start(self.ctx, viewer)
        self.ctx.services.audit.append(viewer.username, "tui.signed_in", viewer.id, {})
        self.poll_flags()
        if isinstance(self.screen, Screen) and self.screen.id == "login":
            self.switch_screen(CasesScreen(self.user))
        else:
            self.push_screen(CasesScreen(self.user))

    def poll_flags(self) -> None:
        """Read open flags; a new high one is announced at once, on whatever screen is shown."""
        if self.user is None:
            return
        found = tuple(self.user.flags.open_flags())
        ids = {f.id for f in found}
        if self._known_flags is not None:
            for item in found:
                if item.high and item.id not in self._known_flags:
                    message = self.ctx.texts(s.FLAG_NEW, name=item.name, case=item.case_title)
                    self.notify(message, severity="error", timeout=15)
        self._known_flags = ids
        if found != self.flags:
            self.flags = found

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.ctx.texts))

    def action_flags(self) -> None:
        from tui.screens.flags import FlagsScreen

        if self.user is not None and not isinstance(self.screen, FlagsScreen):
            self.push_screen(FlagsScreen(self.user))

    def action_password(self) -> None:
        from tui.screens.password import PasswordScreen

        if self.user is not None and not isinstance(self.screen, PasswordScreen):
            self.push_screen(PasswordScreen(self.user))

    def action_cases(self) -> None:
        from tui.screens.cases import CasesScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, CasesScreen):
            self.pop_screen()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        texts = self.ctx.texts
        if self.user is not None:
            yield SystemCommand(texts(s.CMD_CASES), texts(s.CMD_CASES_HELP), self.action_cases)
            yield SystemCommand(texts(s.CMD_FLAGS), texts(s.CMD_FLAGS_HELP), self.action_flags)
            report = getattr(screen, "action_report", None)
            if callable(report):
                yield SystemCommand(texts(s.KEY_REPORT), texts(s.CMD_REPORT_HELP), report)
            yield SystemCommand(
                texts(account_texts.CMD_PASSWORD),
                texts(account_texts.CMD_PASSWORD_HELP),
                self.action_password,
            )
        yield from action_commands(texts, screen)
        yield SystemCommand(texts(s.CMD_HELP), texts(s.CMD_HELP_HELP), self.action_help)
        yield from super().get_system_commands(screen)


def make_app(
    settings: Settings,
    services: Services | None = None,
    *,
    login_as: str | None = None,
    locale: str | None = None,
    export_dir: Path | None = None,
    poll_seconds: float = 3.0,
) -> CompanionApp:
    """The TUI on the configured database (or on ``services``, e.g. fakes in tests).

    ``login_as`` skips the login screen for that username: only in demo mode or with
    injected services, never against a real deployment's accounts.
    """
    if login_as is not None and not (settings.demo or services is not None):
        raise ValueError("login_as is only for the demo and for tests")
    services = services or build_services(settings)
    ui_locale = locale or str(settings.extra.get("tui_locale") or "nb")
    ctx = Context(
        services=services,
        data=open_tui_data(services),
        texts=Texts(services.engine.localizer, ui_locale),
        export_dir=export_dir or Path(str(settings.extra.get("export_dir") or DEFAULT_EXPORT_DIR)),
        poll_seconds=poll_seconds,
    )
    viewer = None
    if login_as is not None:
        found = services.directory.get_caseworker_by_username(login_as)
        if found is None:
            raise ValueError(f"no account {login_as!r}")
        viewer = Viewer.of(found)
    return CompanionApp(ctx, viewer)
