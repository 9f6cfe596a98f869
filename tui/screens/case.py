"""A case: tabs for the overview and every tool's structured results; W runs a flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from tui import strings as s
from tui.context import SignedIn
from tui.i18n import Message
from tui.keys import localize_bindings
from tui.viewmodels.case_file import CaseFile
from tui.viewmodels.evaluation import evaluation_views
from tui.viewmodels.fv import fv_view
from tui.viewmodels.hevd import hevd_views
from tui.viewmodels.houses import houses_views
from tui.viewmodels.network import network_views
from tui.viewmodels.overview import overview
from tui.viewmodels.plan_editor import PlanEditor
from tui.viewmodels.transcripts import conversations
from tui.widgets.evaluation_pane import EvaluationPane
from tui.widgets.flag_banner import FlagBanner
from tui.widgets.fv_pane import FvPane
from tui.widgets.hevd_pane import HevdPane
from tui.widgets.houses_pane import HousesPane
from tui.widgets.network_pane import NetworkPane
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
)


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
        Binding("ctrl+s", "save", "Lagre"),
        Binding("ctrl+e", "export", "Eksporter"),
        *(Binding(str(n), f"tab('{tab}')", show=False) for n, (tab, _) in enumerate(TABS, 1)),
    ]

    def __init__(self, user: SignedIn, case_file: CaseFile) -> None:
        super().__init__(id="case-screen")
        self.user = user
        self.case_file = case_file
        self.sub_title = case_file.case.title
        localize_bindings(
            self,
            user.texts,
            {
                "app.pop_screen": s.KEY_BACK,
                "worker_led": s.KEY_WORKER_LED,
                "invite": s.KEY_INVITE,
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
            "fv": lambda: FvPane(fv_view(case_file, texts), texts),
            "evaluation": lambda: EvaluationPane(evaluation_views(case_file, texts), texts),
            "transcripts": lambda: TranscriptsPane(
                conversations(case_file, services.conversations, flows, texts), texts
            ),
        }

    def compose(self) -> ComposeResult:
        texts = self.user.texts
        yield Header()
        yield FlagBanner(texts)
        with TabbedContent(id="tabs", initial="overview"):
            for n, (tab, label) in enumerate(TABS, 1):
                with TabPane(f"{n} {texts(label)}", id=tab):
                    yield VerticalScroll(id=f"{tab}-scroll")
        yield Footer()

    def on_mount(self) -> None:
        self.show_tab("overview")

    def show_tab(self, tab: str) -> None:
        scroll = self.query_one(f"#{tab}-scroll", VerticalScroll)
        if not scroll.children:
            scroll.mount(self.builders()[tab]())

    @on(TabbedContent.TabActivated, "#tabs")
    def _activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            self.show_tab(event.pane.id)
        self.refresh_bindings()

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
        panes = self.query_one(f"#{tab}-scroll", VerticalScroll).query(LazyPane)
        return panes.first() if panes else None

    def action_save(self) -> None:
        pane = self._active_pane()
        if isinstance(pane, PlanPane):
            pane.save()

    def action_export(self) -> None:
        pane = self._active_pane()
        if isinstance(pane, PlanPane | NetworkPane):
            pane.export()

    def action_worker_led(self) -> None:
        start_worker_led(self.app, self.user, self.case_file)

    def action_invite(self) -> None:
        from tui.screens.invite import InviteScreen

        self.app.push_screen(InviteScreen(self.user, self.case_file))

    def refresh_case(self) -> None:
        """Re-read the case after a meeting conversation and rebuild the tabs shown so far."""
        self.case_file = self.user.files.load(self.case_file.case)
        for tab, _ in TABS:
            scroll = self.query_one(f"#{tab}-scroll", VerticalScroll)
            if scroll.children:
                scroll.remove_children()
        active = self.query_one("#tabs", TabbedContent).active
        self.call_after_refresh(self.show_tab, active)
