"""The case list: search, filters, badges; Enter opens a case."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from companion.access import AccessDenied, sees_all_cases
from tui import strings as s
from tui.action_texts import KEY_NEW_CASE
from tui.context import SignedIn
from tui.idle import settle
from tui.keys import localize_bindings
from tui.viewmodels.case_file import CaseFile
from tui.viewmodels.cases import CaseRow, Filters
from tui.widgets.flag_banner import FlagBanner

NEXT_WIDTH = 17
MAX_ROWS = 300
"""The table shows at most this many matches; searching narrows a large list."""


class CasesScreen(Screen[None]):
    DEFAULT_CSS = """
    #search { margin: 1 1 0 1; }
    #case-status { padding: 0 1; color: $text-muted; height: 1; }
    #cases { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Søk", key_display="/"),
        Binding("1", "only_flags", "Bare flagg"),
        Binding("2", "only_new", "Bare nye", show=False),
        Binding("w", "worker_led", "Kjør samtale"),
        Binding("n", "new_case", "Ny sak"),
        Binding("r", "refresh", "Oppdater", show=False),
    ]

    def __init__(self, user: SignedIn) -> None:
        super().__init__(id="cases-screen")
        self.user = user
        self.filters = Filters()
        self.shown: list[CaseRow] = []
        self._fresh = True
        localize_bindings(
            self,
            user.texts,
            {
                "search": s.KEY_SEARCH,
                "only_flags": s.KEY_ONLY_FLAGS,
                "only_new": s.KEY_ONLY_NEW,
                "worker_led": s.KEY_WORKER_LED,
                "new_case": KEY_NEW_CASE,
                "refresh": s.KEY_REFRESH,
            },
        )

    def compose(self) -> ComposeResult:
        texts = self.user.texts
        yield Header()
        yield FlagBanner(texts)
        yield Input(placeholder=texts(s.CASES_SEARCH), id="search", compact=True)
        yield Static("", id="case-status", markup=False)
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        texts = self.user.texts
        table = self.query_one("#cases", DataTable)
        columns = [(s.COL_CASE, 0.36), (s.COL_PEOPLE, 0.3), (s.COL_BADGES, 0.34)]
        if sees_all_cases(self.user.viewer):
            columns = [
                (s.COL_CASE, 0.3),
                (s.COL_PEOPLE, 0.22),
                (s.COL_WORKER, 0.18),
                (s.COL_BADGES, 0.3),
            ]
        # Fit the terminal: the meeting column is fixed, the others share the rest.
        free = max(self.app.size.width - NEXT_WIDTH - 2 * (len(columns) + 1) - 2, 30)
        for label, share in columns:
            table.add_column(texts(label), width=int(free * share))
        table.add_column(texts(s.COL_NEXT), width=NEXT_WIDTH)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        # Not on the first showing: on_mount has just read the list (10,000 cases: ~0.1 s).
        if self.is_mounted and not self._fresh:
            self.reload()
        self._fresh = False

    def reload(self) -> None:
        """Read the cases again (badges change while the app runs)."""
        self.user.cases.load()
        self.show()
        self.call_after_refresh(settle)

    def show(self) -> None:
        rows = self.user.cases.filtered(self.filters)
        table = self.query_one("#cases", DataTable)
        selected = self.selected_id()
        table.clear()
        wide = sees_all_cases(self.user.viewer)
        for row in rows[:MAX_ROWS]:
            cells = [row.title, row.people, row.badges, row.next_meeting]
            if wide:
                cells.insert(2, row.worker)
            table.add_row(*cells, key=row.id)
        self.shown = rows
        if selected is not None and any(r.id == selected for r in rows[:MAX_ROWS]):
            table.move_cursor(row=table.get_row_index(selected))
        self._status(len(rows))

    def _status(self, shown: int) -> None:
        texts = self.user.texts
        total = len(self.user.cases.rows)
        parts = [texts(s.CASES_COUNT, shown=min(shown, MAX_ROWS), total=total)]
        names = [
            texts(m)
            for on_, m in (
                (self.filters.only_flags, s.FILTER_FLAGS),
                (self.filters.only_new, s.FILTER_NEW),
            )
            if on_
        ]
        if names:
            parts.append(texts(s.FILTER_ON, names=", ".join(names)))
        if sees_all_cases(self.user.viewer):
            figures = self.user.cases.figures(self.user.ctx.services.clock.now())
            parts.append(
                texts(
                    s.LEADER_FIGURES,
                    cases=figures.cases,
                    flags=figures.open_flags,
                    active=figures.active,
                )
            )
        if not total:
            parts = [texts(s.CASES_EMPTY)]
        self.query_one("#case-status", Static).update(" · ".join(parts))

    def selected_id(self) -> str | None:
        table = self.query_one("#cases", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return None if key.value is None else str(key.value)

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self.filters = Filters(event.value, self.filters.only_flags, self.filters.only_new)
        self.show()

    @on(Input.Submitted, "#search")
    def _to_table(self) -> None:
        self.query_one("#cases", DataTable).focus()

    @on(DataTable.RowSelected, "#cases")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_case(str(event.row_key.value))

    def _case_file(self, case_id: str) -> CaseFile | None:
        """The case, opened (checked and audited); None, and a notice, when refused."""
        try:
            return self.user.files.open(case_id)
        except AccessDenied:
            self.notify(self.user.texts(s.CASE_DENIED), severity="error")
            return None

    def open_case(self, case_id: str) -> None:
        from tui.screens.case import show_case

        if (case_file := self._case_file(case_id)) is not None:
            show_case(self.app, self.user, case_file)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_only_flags(self) -> None:
        f = self.filters
        self.filters = Filters(f.query, not f.only_flags, f.only_new)
        self.show()

    def action_only_new(self) -> None:
        f = self.filters
        self.filters = Filters(f.query, f.only_flags, not f.only_new)
        self.show()

    def action_refresh(self) -> None:
        self.reload()

    def action_new_case(self) -> None:
        """A new case with its participants; it opens once created."""
        from tui.screens.new_case import NewCaseScreen

        def created(case_id: str | None) -> None:
            if case_id is not None:
                self.reload()
                self.open_case(case_id)

        self.app.push_screen(NewCaseScreen(self.user), callback=created)

    def action_worker_led(self) -> None:
        case_id = self.selected_id()
        if case_id is None:
            return
        from tui.screens.case import start_worker_led

        if (case_file := self._case_file(case_id)) is not None:
            start_worker_led(self.app, self.user, case_file)
