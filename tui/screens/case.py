"""A case: tabs for the overview and every tool's structured results; W runs a flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane, Tabs

from companion.access import AccessDenied
from companion.case_messages import case_messages
from companion.case_notes import case_notes
from tui import strings as s
from tui.action_texts import KEY_ACTIONS
from tui.context import SignedIn
from tui.i18n import Message
from tui.keys import localize_bindings
from tui.viewmodels.case_file import CaseFile
from tui.viewmodels.evaluation import evaluation_views
from tui.viewmodels.fv import assignments_of, fv_view
from tui.viewmodels.hevd import hevd_views
from tui.viewmodels.houses import houses_views
from tui.viewmodels.network import network_views
from tui.viewmodels.notes import NoteLine, note_items, note_lines
from tui.viewmodels.overview import overview
from tui.viewmodels.plan_editor import PlanEditor
from tui.viewmodels.transcripts import conversations
from tui.widgets.evaluation_pane import EvaluationPane
from tui.widgets.flag_banner import FlagBanner
from tui.widgets.fv_pane import FvPane
from tui.widgets.hevd_pane import HevdPane
from tui.widgets.houses_pane import HousesPane
from tui.widgets.messages_pane import MessagesPane
from tui.widgets.network_pane import NetworkPane
from tui.widgets.notes_box import NotesBox
from tui.widgets.overview_pane import OverviewPane
from tui.widgets.plan_editor import PlanPane
from tui.widgets.text import LazyPane
from tui.widgets.transcripts_pane import TranscriptsPane

TABS: tuple[tuple[str, Message], ...] = (
    ("overview", s.TAB_OVERVIEW),
    ("hevd", s.TAB_HEVD),
    ("plan", s.TAB_PLAN),
    ("network", s.TAB_NETWORK),
    ("houses", s.TAB_HOUSES),
    ("fv", s.TAB_FV),
    ("evaluation", s.TAB_EVALUATION),
    ("transcripts", s.TAB_TRANSCRIPTS),
    ("messages", s.TAB_MESSAGES),
)


CASE_SCREEN = "case"
"""The installed case screen: reused for every case, so opening one builds only its first tab."""


def show_case(app: App[None], user: SignedIn, case_file: CaseFile) -> None:
    """Show ``case_file`` in the case screen, reusing the one built before when possible."""
    if app.is_screen_installed(CASE_SCREEN):
        installed = app.get_screen(CASE_SCREEN)
        if installed in app.screen_stack:
            # Already open below (e.g. cases → case → flags → case): a second, one-off screen.
            app.push_screen(CaseScreen(user, case_file))
            return
        if isinstance(installed, CaseScreen) and installed.user is user:
            reused = installed

            # Swap the content while the screen is hidden, then show it (no stale frame).
            async def swap_and_show() -> None:
                await reused.switch_case(case_file)
                app.push_screen(reused)

            app.call_later(swap_and_show)
            return
        app.uninstall_screen(CASE_SCREEN)
    screen = CaseScreen(user, case_file)
    app.install_screen(screen, CASE_SCREEN)
    app.push_screen(screen)


def start_worker_led(app: App[None], user: SignedIn, case_file: CaseFile) -> None:
    """Ask whom and which flow, then open the meeting conversation."""
    from tui.screens.worker_led import FlowPicker

    app.push_screen(FlowPicker(user, case_file))


class CaseScreen(Screen[None]):
    DEFAULT_CSS = """
    CaseScreen TabbedContent { height: 1fr; }
    CaseScreen TabPane { padding: 0; }
    CaseScreen VerticalScroll { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Tilbake"),
        Binding("w", "worker_led", "Kjør samtale"),
        Binding("i", "invite", "Inviter"),
        Binding("n", "note", "Notat"),
        # Out of the crowded footer at 80 columns; in the help text and the command palette.
        Binding("ctrl+r", "report", "Rapport", show=False),
        Binding("a", "actions", "Handlinger"),
        Binding("ctrl+s", "save", "Lagre"),
        Binding("ctrl+e", "export", "Eksporter"),
        *(Binding(str(n), f"tab('{tab}')", show=False) for n, (tab, _) in enumerate(TABS, 1)),
    ]

    def __init__(self, user: SignedIn, case_file: CaseFile) -> None:
        super().__init__(id="case-screen")
        self.user = user
        self.case_file = case_file
        self.sub_title = case_file.case.title
        self._keys_shown: tuple[bool | None, ...] = ()
        localize_bindings(
            self,
            user.texts,
            {
                "app.pop_screen": s.KEY_BACK,
                "worker_led": s.KEY_WORKER_LED,
                "invite": s.KEY_INVITE,
                "note": s.KEY_NOTE,
                "report": s.KEY_REPORT,
                "actions": KEY_ACTIONS,
                "save": s.KEY_SAVE,
                "export": s.KEY_EXPORT,
            },
        )

    def builders(self) -> dict[str, Callable[[], LazyPane]]:
        """How to build each tab's pane (run the first time the tab is shown)."""
        user, case_file = self.user, self.case_file
        texts, services = user.texts, user.ctx.services
        flows = services.content.flows
        export_dir = user.ctx.export_dir
        return {
            "overview": lambda: OverviewPane(overview(case_file, flows, texts), texts),
            "hevd": lambda: HevdPane(hevd_views(case_file), texts),
            "plan": lambda: PlanPane(
                PlanEditor(services, user.ctx.data.plans, user.viewer, case_file, texts),
                texts,
                export_dir,
            ),
            "network": lambda: NetworkPane(
                network_views(case_file, texts.localizer, texts.locale), texts, export_dir
            ),
            "houses": lambda: HousesPane(houses_views(case_file, texts), texts),
            "fv": lambda: FvPane(
                fv_view(case_file, texts, assignments_of(services, case_file)), texts
            ),
            "evaluation": lambda: EvaluationPane(evaluation_views(case_file, texts), texts),
            "transcripts": lambda: TranscriptsPane(
                conversations(case_file, services.conversations, flows, texts), texts
            ),
            "messages": lambda: MessagesPane(
                case_messages(services, user.viewer), case_file, texts
            ),
        }

    def compose(self) -> ComposeResult:
        texts = self.user.texts
        yield Header()
        yield FlagBanner(texts)
        with TabbedContent(id="tabs", initial="overview"):
            for n, (tab, label) in enumerate(TABS, 1):
                # Empty until shown (see show_tab): fewer widgets to build when a case opens.
                yield TabPane(f"{n} {texts(label)}", id=tab)
        yield Footer()

    def on_mount(self) -> None:
        self._keys_shown = self._key_states()
        self.show_tab("overview")

    def show_tab(self, tab: str) -> None:
        """Build the tab's content the first time it is shown (for this case)."""
        pane = self.query_one(f"#{tab}", TabPane)
        scrolls = pane.query_children(VerticalScroll)
        if not scrolls:
            content = (self.builders()[tab](), self._notes_box(tab))
            pane.mount(VerticalScroll(*content, id=f"{tab}-scroll"))
        elif not scrolls.first().children:
            scrolls.first().mount_all([self.builders()[tab](), self._notes_box(tab)])

    def _notes_box(self, tab: str) -> NotesBox:
        """The notes on the answers this tab shows, with who wrote them and when."""
        return NotesBox(self._note_lines(tab), self.user.texts, tab)

    def _note_lines(self, tab: str) -> list[NoteLine]:
        user, services = self.user, self.user.ctx.services
        items = note_items(self.case_file, tab, services.content.flows, user.texts)
        notes = case_notes(services, user.viewer).notes(self.case_file.case.id)
        authors: dict[str, str] = {}
        for note in notes:
            if note.author_id not in authors:
                worker = services.directory.get_caseworker(note.author_id)
                authors[note.author_id] = worker.display_name if worker else "?"
        return note_lines(notes, items, authors, user.texts)

    def action_report(self) -> None:
        """Export the case as this viewer sees it (Markdown and HTML, map embedded)."""
        from tui.viewmodels.case_report import export_case_report

        user = self.user
        try:
            paths = export_case_report(
                user.ctx.services,
                user.ctx.data,
                user.viewer,
                self.case_file.case.id,
                user.texts,
                user.ctx.export_dir,
            )
        except AccessDenied:
            self.notify(user.texts(s.CASE_DENIED), severity="error")
            return
        except OSError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(user.texts(s.REPORT_EXPORTED, paths=", ".join(str(p) for p in paths)))

    def action_note(self) -> None:
        """A short note on one of the answers the current tab shows."""
        from tui.screens.note import NoteScreen

        user = self.user
        tab = self.query_one("#tabs", TabbedContent).active
        items = note_items(self.case_file, tab, user.ctx.services.content.flows, user.texts)
        if not items:
            self.notify(user.texts(s.NOTE_NOTHING))
            return

        def saved(done: bool | None) -> None:
            boxes = self.query(f"#{tab}-notes").results(NotesBox)
            for box in boxes if done else ():
                box.lines = self._note_lines(tab)
                box.reload()

        notes = case_notes(user.ctx.services, user.viewer)
        self.app.push_screen(NoteScreen(notes, self.case_file.case.id, items, user.texts), saved)

    @on(TabbedContent.TabActivated, "#tabs")
    def _activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            self.show_tab(event.pane.id)
        # The footer rebuilds itself on every refresh (~40 ms): only when a key comes or goes.
        keys = self._key_states()
        if keys != self._keys_shown:
            self._keys_shown = keys
            self.refresh_bindings()

    def _key_states(self) -> tuple[bool | None, ...]:
        return tuple(
            self.check_action(b.action, ()) for b in self.BINDINGS if isinstance(b, Binding)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Save only on the plan tab, export on the plan and map tabs (hidden elsewhere)."""
        if action not in ("save", "export") or not self.is_mounted:
            return True
        tab = self.query_one("#tabs", TabbedContent).active
        return tab == "plan" or (action == "export" and tab == "network")

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    def _active_pane(self) -> LazyPane | None:
        tab = self.query_one("#tabs", TabbedContent).active
        panes = self.query_one(f"#{tab}", TabPane).query(LazyPane)
        return panes.first() if panes else None

    def action_save(self) -> None:
        pane = self._active_pane()
        if isinstance(pane, PlanPane):
            pane.save()

    def action_export(self) -> None:
        pane = self._active_pane()
        if isinstance(pane, PlanPane):
            pane.export()  # audited by PlanEditor
        elif isinstance(pane, NetworkPane) and (paths := pane.export()):
            from companion.staff import StaffCases

            StaffCases(self.user.ctx.services, self.user.viewer).record_export(
                self.case_file.case.id, "network_map", len(paths)
            )

    def action_worker_led(self) -> None:
        start_worker_led(self.app, self.user, self.case_file)

    def action_actions(self) -> None:
        """Familieveiledning, reminders, send a flow, add a participant; the case is read
        again after a save."""
        from tui.screens.actions import ActionsMenu

        self.app.push_screen(ActionsMenu(self.user, self.case_file, self.refresh_case))

    def action_invite(self) -> None:
        from tui.screens.invite import InviteScreen

        self.app.push_screen(InviteScreen(self.user, self.case_file))

    async def switch_case(self, case_file: CaseFile) -> None:
        """Show another case: drop the panes built for the last one, build its overview."""
        self.case_file = case_file
        self.sub_title = case_file.case.title
        if not self.is_mounted:
            return
        await self.query(LazyPane).remove()
        for scroll in self.query(VerticalScroll).results(VerticalScroll):
            scroll.scroll_home(animate=False)
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active != "overview":
            tabs.active = "overview"
        self.show_tab("overview")
        self.query_one(Tabs).focus()

    def refresh_case(self) -> None:
        """Re-read the case after a meeting conversation or an action and rebuild the tabs
        shown so far."""
        self.case_file = self.user.files.load(self.case_file.case)
        self.run_worker(self._rebuild(), group="refresh", exclusive=True)

    async def _rebuild(self) -> None:
        # Removal must finish first: show_tab only builds into an empty tab.
        for tab, _ in TABS:
            for scroll in self.query(f"#{tab}-scroll").results(VerticalScroll):
                if scroll.children:
                    await scroll.remove_children()
        self.show_tab(self.query_one("#tabs", TabbedContent).active)
