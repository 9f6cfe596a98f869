"""Worker-led mode: choose whom and which flow, then type what the person says."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from companion.access import AccessDenied
from tui import strings as s
from tui.context import SignedIn
from tui.keys import localize_bindings
from tui.viewmodels.case_file import CaseFile, Person
from tui.viewmodels.worker_led import FlowChoice, Said, Turn, WorkerLed, flow_choices
from tui.widgets.flag_banner import FlagBanner


def parse_param(raw: str, default: Any) -> Any:
    """A typed param value: booleans from true/false, everything else as text."""
    if isinstance(default, bool):
        return raw.strip().lower() in ("true", "ja", "1", "yes")
    return raw


class FlowPicker(ModalScreen[None]):
    """Whom the meeting is with and which flow to run."""

    DEFAULT_CSS = """
    FlowPicker { align: center middle; }
    #picker { width: 70; height: auto; max-height: 90%; border: round $primary;
              background: $surface; padding: 1 2; }
    #picker Select { margin-bottom: 1; }
    #params Input { margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Avbryt")]

    def __init__(self, user: SignedIn, case_file: CaseFile) -> None:
        super().__init__(id="flow-picker")
        self.user = user
        self.case_file = case_file
        self.choices: list[FlowChoice] = []
        localize_bindings(self, user.texts, {"app.pop_screen": s.WL_CANCEL})

    def compose(self) -> ComposeResult:
        t = self.user.texts
        people = [(p.name, p.participant.id) for p in self.case_file.people]
        # In a meeting the conversation is most often with a child (De tre husene).
        first = next(
            (p for p in self.case_file.people if p.participant.role == "child"),
            self.case_file.people[0] if self.case_file.people else None,
        )
        with Vertical(id="picker"):
            yield Label(t(s.WL_PICK_TITLE), classes="heading")
            yield Label(t(s.WL_PARTICIPANT))
            yield Select(
                people,
                id="person",
                allow_blank=False,
                value=first.participant.id if first else Select.BLANK,
            )
            yield Label(t(s.WL_FLOW))
            yield Select[str]([], id="flow", allow_blank=True)
            yield Vertical(id="params")
            with Horizontal(classes="buttons"):
                yield Button(t(s.WL_START), variant="primary", id="start")
                yield Button(t(s.WL_CANCEL), id="cancel")

    def on_mount(self) -> None:
        self._fill_flows()

    def _person(self) -> Person | None:
        value = self.query_one("#person", Select).value
        return self.case_file.person(str(value)) if isinstance(value, str) else None

    def _fill_flows(self) -> None:
        person = self._person()
        self.choices = (
            flow_choices(self.user.ctx.services, person, self.user.texts) if person else []
        )
        flow = self.query_one("#flow", Select)
        flow.set_options((c.title, c.id) for c in self.choices)
        if self.choices:
            preferred = next((c for c in self.choices if c.id == "tre_hus"), self.choices[0])
            flow.value = preferred.id

    def _choice(self) -> FlowChoice | None:
        value = self.query_one("#flow", Select).value
        return next((c for c in self.choices if c.id == value), None)

    @on(Select.Changed, "#person")
    def _person_changed(self) -> None:
        self._fill_flows()

    @on(Select.Changed, "#flow")
    async def _flow_changed(self) -> None:
        box = self.query_one("#params", Vertical)
        await box.remove_children()
        choice = self._choice()
        if choice is None:
            return
        fields: list[Label | Input] = []
        for name, default in choice.params.items():
            value = str(default).lower() if isinstance(default, bool) else str(default)
            fields += [Label(name), Input(value, id=f"param-{name}")]
        await box.mount_all(fields)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        person, choice = self._person(), self._choice()
        if person is None or choice is None:
            self.notify(self.user.texts(s.WL_NO_FLOWS), severity="warning")
            return
        params = {
            name: parse_param(self.query_one(f"#param-{name}", Input).value, default)
            for name, default in choice.params.items()
        }
        try:
            meeting = WorkerLed(self.user.ctx.services, self.user.viewer, self.case_file, person)
        except AccessDenied:
            self.notify(self.user.texts(s.CASE_DENIED), severity="error")
            return
        self.app.switch_screen(WorkerLedScreen(self.user, meeting, choice, params))


class WorkerLedScreen(Screen[None]):
    """The conversation: prompts above, the flow's buttons, and a line to type the words."""

    DEFAULT_CSS = """
    #log { height: 1fr; padding: 0 1; }
    #log .you { color: $accent; text-style: bold; margin-bottom: 1; }
    #log .hint, #log .note { color: $warning; }
    #log .flag { color: $error; text-style: bold; }
    #choices { height: auto; padding: 0 1; }
    #choices Button { margin-right: 1; }
    #choices Button.-chosen { background: $success; }
    #say { margin: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "Tilbake")]

    def __init__(
        self, user: SignedIn, meeting: WorkerLed, choice: FlowChoice, params: dict[str, Any]
    ) -> None:
        super().__init__(id="worker-led")
        self.user = user
        self.meeting = meeting
        self.choice = choice
        self.params = params
        self.chosen: set[str] = set()
        self.sub_title = user.texts(s.WL_TITLE, name=meeting.person.name)
        localize_bindings(self, user.texts, {"leave": s.KEY_BACK})

    def compose(self) -> ComposeResult:
        t = self.user.texts
        yield Header()
        yield FlagBanner(t)
        yield Static(t(s.WL_NOTE, name=self.meeting.person.name), classes="muted", markup=False)
        yield VerticalScroll(id="log")
        yield Horizontal(id="choices")
        yield Input(placeholder=t(s.WL_TYPE, name=self.meeting.person.name), id="say")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.meeting.start(self.choice.id, self.params))
        self.query_one("#say", Input).focus()

    def show(self, turn: Turn) -> None:
        log = self.query_one("#log", VerticalScroll)
        log.mount_all(self._line(said) for said in turn.said)
        if turn.finished:
            log.mount(Static(self.user.texts(s.WL_DONE), classes="note", markup=False))
            self.query_one("#say", Input).disabled = True
        log.scroll_end(animate=False)
        self._buttons(turn)

    @staticmethod
    def _line(said: Said) -> Static:
        text = f"› {said.text}" if said.kind == "you" else said.text
        return Static(text, classes=said.kind, markup=False)

    def _buttons(self, turn: Turn) -> None:
        box = self.query_one("#choices", Horizontal)
        box.remove_children()
        self.chosen = set()
        question = turn.question
        if question is None or turn.finished:
            return
        # Named, not id'd: the previous turn's buttons may still be on their way out.
        box.mount_all(
            Button(b.label, name=str(n), compact=True) for n, b in enumerate(question.buttons)
        )
        if question.multiple:
            ok = self.user.texts(s.WL_OK)
            box.mount(Button(ok, name="ok", variant="primary", compact=True))

    @on(Input.Submitted, "#say")
    def _say(self, event: Input.Submitted) -> None:
        words = event.value.strip()
        if not words:
            return
        event.input.value = ""
        self.show(self.meeting.say(words))

    @on(Button.Pressed, "#choices Button")
    def _pressed(self, event: Button.Pressed) -> None:
        question = self.meeting.question
        name = event.button.name or ""
        if question is None:
            return
        if name == "ok":
            values = tuple(b.value for b in question.buttons if b.value in self.chosen)
            if values:
                labels = ", ".join(b.label for b in question.buttons if b.value in self.chosen)
                self.show(self.meeting.press(values, labels))
            return
        button = question.buttons[int(name)]
        if question.multiple:
            self.chosen ^= {button.value}
            event.button.set_class(button.value in self.chosen, "-chosen")
            return
        self.show(self.meeting.press((button.value,), button.label))

    def action_leave(self) -> None:
        self.app.pop_screen()
        below = self.app.screen
        refresh = getattr(below, "refresh_case", None)
        if callable(refresh):
            refresh()
