"""The tiltaksplan draft editor: one Hovedmål at a time, with its three Delmål.

Fields, as in the template (003:3477-3525): Hovedmål, Varighet; per Delmål: Delmål, Tiltak,
Hvem må inn, BVs oppgaver, Ungdommens oppgaver, Tidspunkt for evaluering.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static, Tab, Tabs

from tui import strings as s
from tui.i18n import Message, Texts
from tui.viewmodels.plan import DELMAL_FIELDS, MAX_DELMAL, MAX_HOVEDMAL, Plan
from tui.viewmodels.plan_editor import PlanDraft, PlanEditor
from tui.widgets.text import LazyPane, heading, muted, para

DELMAL_LABELS: dict[str, Message] = {
    "text": s.PLAN_DELMAL,
    "tiltak": s.PLAN_TILTAK,
    "hvem_ma_inn": s.PLAN_HVEM,
    "bv_oppgaver": s.PLAN_BV,
    "ungdommens_oppgaver": s.PLAN_UNGDOM,
    "tidspunkt_for_evaluering": s.PLAN_EVALUERING,
}


def _row(label: str, input_id: str) -> Horizontal:
    return Horizontal(
        Label(label, classes="field-label", markup=False),
        Input(id=input_id, compact=True, classes="field"),
        classes="field-row",
    )


class PlanForm(Widget):
    """The inputs of one Hovedmål; ``show(n)`` loads slot n, ``store()`` writes it back."""

    DEFAULT_CSS = """
    PlanForm { height: auto; }
    .field-row { height: 1; }
    .field-label { width: 26; color: $text-muted; }
    .field { width: 1fr; }
    """

    def __init__(self, plan: Plan, texts: Texts) -> None:
        super().__init__(id="plan-form")
        self.plan = plan
        self.texts = texts
        self.current = 0

    def compose(self) -> ComposeResult:
        t = self.texts
        yield _row(t(s.PLAN_HOVEDMAL), "plan-hovedmal")
        yield _row(t(s.PLAN_VARIGHET), "plan-varighet")
        yield Static("", id="plan-theme", classes="muted", markup=False)
        for d in range(MAX_DELMAL):
            yield heading(t(s.PLAN_DELMAL_N, n=d + 1))
            for name in DELMAL_FIELDS:
                yield _row(t(DELMAL_LABELS[name]), f"plan-d{d}-{name}")

    def on_mount(self) -> None:
        self.show(0)

    def _input(self, input_id: str) -> Input:
        return self.query_one(f"#{input_id}", Input)

    def show(self, n: int) -> None:
        self.current = n
        goal = self.plan.hovedmal[n]
        self._input("plan-hovedmal").value = goal.text
        self._input("plan-varighet").value = goal.varighet
        theme = self.texts(s.PLAN_THEME_HINT, theme=goal.theme) if goal.theme else ""
        self.query_one("#plan-theme", Static).update(theme)
        for d, delmal in enumerate(goal.delmal):
            for name in DELMAL_FIELDS:
                self._input(f"plan-d{d}-{name}").value = getattr(delmal, name)

    def store(self) -> Plan:
        goal = self.plan.hovedmal[self.current]
        goal.text = self._input("plan-hovedmal").value
        goal.varighet = self._input("plan-varighet").value
        for d, delmal in enumerate(goal.delmal):
            for name in DELMAL_FIELDS:
                setattr(delmal, name, self._input(f"plan-d{d}-{name}").value)
        return self.plan


class PlanPane(LazyPane):
    """The editor with its Hovedmål tabs and the save and export buttons."""

    def __init__(self, editor: PlanEditor, texts: Texts, export_dir: Path) -> None:
        super().__init__(id="plan-pane")
        self.editor = editor
        self.texts = texts
        self.export_dir = export_dir
        self.draft: PlanDraft | None = None

    def build(self) -> list[Widget]:
        t = self.texts
        if self.editor.person is None:
            return [muted(t(s.PLAN_NO_YOUTH))]
        if not self.editor.editable:
            # A leader (or anyone but the case's own kontaktperson) reads, never drafts.
            return [muted(t(s.PLAN_OWNER_ONLY))]
        self.draft = self.editor.load()
        person = self.editor.person
        tabs = Tabs(
            *(Tab(t(s.PLAN_HOVEDMAL_N, n=n + 1), id=f"goal-{n}") for n in range(MAX_HOVEDMAL)),
            id="goal-tabs",
        )
        buttons = Horizontal(
            Button(t(s.KEY_SAVE) + " (Ctrl+S)", id="plan-save", compact=True),
            Button(t(s.KEY_EXPORT) + " (Ctrl+E)", id="plan-export", compact=True),
            classes="buttons",
        )
        return [
            heading(t(s.PLAN_FOR, name=person.name if person else "")),
            para(self.editor.describe(self.draft), "muted"),
            tabs,
            PlanForm(self.draft.plan, t),
            buttons,
        ]

    @property
    def form(self) -> PlanForm:
        return self.query_one(PlanForm)

    @on(Tabs.TabActivated, "#goal-tabs")
    def _goal(self, event: Tabs.TabActivated) -> None:
        if self.loaded and event.tab.id:
            self.form.store()
            self.form.show(int(event.tab.id.split("-")[1]))

    @on(Button.Pressed, "#plan-save")
    def _save_pressed(self) -> None:
        self.save()

    @on(Button.Pressed, "#plan-export")
    def _export_pressed(self) -> None:
        self.export()

    def save(self) -> None:
        if self.draft is None:
            return
        self.editor.save(self.form.store())
        self.notify(self.texts(s.PLAN_SAVED))

    def export(self) -> None:
        if self.draft is None:
            return
        plan = self.form.store()
        self.editor.save(plan)
        paths = self.editor.export(plan, self.export_dir)
        self.notify(self.texts(s.PLAN_EXPORTED, paths=", ".join(str(p) for p in paths)))
