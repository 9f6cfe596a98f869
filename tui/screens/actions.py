"""A: the case's actions: Familieveiledning (course, home assignment with reminders, meeting
reminder, reminder times), send a flow, add a participant. Each is a small form over
``CaseActions``; a form that cannot be saved says why and keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from companion.access import AccessDenied
from tui import action_texts as a
from tui import strings as s
from tui.context import SignedIn
from tui.i18n import Message, Texts
from tui.keys import localize_bindings
from tui.viewmodels.actions import (
    LANGUAGES,
    ROLES,
    ActionError,
    AssignmentForm,
    CaseActions,
    When,
    meeting_summary,
)
from tui.viewmodels.case_file import CaseFile, Person
from tui.viewmodels.worker_led import flow_choices

ROLE_NAMES: dict[str, Message] = {
    "youth": s.PART_YOUTH,
    "parent": s.PART_PARENT,
    "child": s.PART_CHILD,
}
LANGUAGE_NAMES: dict[str, Message] = {"nb": a.LANG_NB, "nn": a.LANG_NN, "en": a.LANG_EN}
FORM_CSS = """
{name} {{ align: center middle; }}
{name} > VerticalScroll {{ width: 90%; max-width: 96; height: auto; max-height: 95%;
    border: round $primary; background: $surface; padding: 0 2; }}
{name} Label {{ margin-top: 1; color: $text-muted; }}
{name} Select, {name} Input {{ width: 1fr; }}
{name} Input {{ background: $boost; }}
{name} .heading {{ text-style: bold; }}
{name} TextArea {{ height: 5; }}
{name} #result {{ margin-top: 1; }}
"""


class ActionForm(ModalScreen[bool]):
    """A form: ``fields()`` to fill in, ``save()`` returns the confirmation (or raises
    ``ActionError``). Dismissed with True once something was stored."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Avbryt"),
        Binding("ctrl+s", "save", "Lagre", priority=True),
    ]
    TITLE_TEXT: Message = a.ACTIONS_TITLE
    SAVE_TEXT: Message = a.F_SAVE

    def __init__(self, user: SignedIn, case_file: CaseFile) -> None:
        super().__init__(classes="action-form")
        self.user = user
        self.case_file = case_file
        self.actions = CaseActions(user.ctx.services, user.viewer)
        localize_bindings(self, user.texts, {"cancel": a.F_CANCEL, "save": a.F_SAVE})

    @property
    def t(self) -> Texts:
        return self.user.texts

    def fields(self) -> Iterable[Widget]:
        return ()

    def save(self) -> str:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(self.t(self.TITLE_TEXT, case=self.case_file.case.title), classes="heading")
            yield from self.fields()
            with Horizontal(classes="buttons"):
                yield Button(self.t(self.SAVE_TEXT), variant="primary", id="save", compact=True)
                yield Button(self.t(a.F_CANCEL), id="cancel", compact=True)
            yield Static("", id="result", markup=False)

    def people(self, only: Iterable[str] = ()) -> list[Person]:
        roles = set(only)
        return [p for p in self.case_file.people if not roles or p.participant.role in roles]

    def who(self, only: Iterable[str] = ()) -> Iterable[Widget]:
        found = self.people(only) or self.people()
        yield Label(self.t(a.F_WHO))
        yield Select(
            [(p.name, p.participant.id) for p in found],
            id="who",
            allow_blank=False,
            compact=True,
        )

    def person_id(self) -> str:
        return str(self.query_one("#who", Select).value)

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        result = self.query_one("#result", Static)
        try:
            done = self.save()
        except ActionError as error:
            message = self.t(a.F_NOT_SAVED, reason=error.text(self.t))
            result.update(message)
            self.notify(message, severity="error")
            return
        except AccessDenied:
            result.update(self.t(s.CASE_DENIED))
            self.notify(self.t(s.CASE_DENIED), severity="error")
            return
        result.update(done)
        self.notify(done)
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class CourseForm(ActionForm):
    DEFAULT_CSS = FORM_CSS.format(name="CourseForm")
    TITLE_TEXT = a.C_TITLE

    def fields(self) -> Iterable[Widget]:
        yield from self.who(("parent",))
        yield Label(self.t(a.C_PATHWAY))
        yield Select(self.actions.pathways(), id="pathway", allow_blank=False, compact=True)
        yield Label(self.t(a.C_MEETINGS))
        yield Input(id="meetings", compact=True, placeholder="2026-12-01 10:00, 2026-12-15 10:00")
        yield Label(self.t(a.C_PLACE))
        yield Input(id="place", compact=True)
        yield Label(self.t(a.C_REMIND))
        yield Input("1d, 2h", id="remind", compact=True)

    def save(self) -> str:
        pathway = str(self.query_one("#pathway", Select).value)
        course, meetings = self.actions.set_up_course(
            self.person_id(),
            pathway,
            self.value("#meetings"),
            place=self.value("#place"),
            remind=self.value("#remind"),
        )
        name = {i: n for n, i in self.actions.pathways()}.get(course.pathway, pathway)
        return str(self.t(a.C_DONE, pathway=name, count=len(meetings)))


VARIANTS: tuple[tuple[Message, str], ...] = (
    (a.A_STANDARD, "standard"),
    (a.A_SIMPLER, "simpler"),
    (a.A_EDITED, "edited"),
)
WHENS: tuple[tuple[Message, When], ...] = (
    (a.A_DEFAULT, "default"),
    (a.A_NOW, "now"),
    (a.A_NONE, "none"),
)


class AssignmentScreen(ActionForm):
    """The home assignment: a component (the ordering rule shown and enforced), its text as
    given, simpler or edited, and when the reminders come (the default plan, now, or none)."""

    DEFAULT_CSS = FORM_CSS.format(name="AssignmentScreen")
    TITLE_TEXT = a.A_TITLE

    def fields(self) -> Iterable[Widget]:
        t = self.t
        yield from self.who(("parent",))
        yield Label(t(a.A_MEETING_NO))
        yield Input(id="meeting-no", compact=True, type="integer")
        yield Label(t(a.A_COMPONENT))
        yield Select[str]([], id="component", allow_blank=True, compact=True)
        yield Label(t(a.A_VARIANT))
        yield Select(
            [(t(m), v) for m, v in VARIANTS], id="variant", allow_blank=False, compact=True
        )
        yield Label(t(a.A_TEXT))
        yield TextArea(id="text", soft_wrap=True)
        yield Label(t(a.A_WHEN))
        yield Select([(t(m), v) for m, v in WHENS], id="when", allow_blank=False, compact=True)
        yield Checkbox(t(a.A_FORCE), id="force", compact=True)

    def on_mount(self) -> None:
        self._fill()

    def _meeting_no(self) -> int:
        raw = self.value("#meeting-no").strip()
        return int(raw) if raw.isdigit() else 0

    def _fill(self) -> None:
        """The next meeting's number and the components the ordering rule allows now."""
        pid = self.person_id()
        box = self.query_one("#meeting-no", Input)
        if not box.value:
            box.value = str(self.actions.next_meeting_no(pid))
        self._fill_components()

    def _fill_components(self) -> None:
        choices = self.actions.components(self.person_id(), self._meeting_no() or 1)
        options = [
            (c.name if c.allowed else self.t(a.A_NOT_YET, name=c.name), c.id) for c in choices
        ]
        select = self.query_one("#component", Select)
        select.set_options(options)
        first = next((c for c in choices if c.allowed), None)
        if first is not None:
            select.value = first.id

    @on(Select.Changed, "#who")
    def _who(self) -> None:
        if self.is_mounted:
            self.query_one("#meeting-no", Input).value = ""
            self._fill()

    @on(Input.Changed, "#meeting-no")
    def _meeting(self) -> None:
        if self._meeting_no():
            self._fill_components()

    @on(Select.Changed, "#component")
    @on(Select.Changed, "#variant")
    def _text(self) -> None:
        component = self.query_one("#component", Select).value
        variant = self.query_one("#variant", Select).value
        if not isinstance(component, str) or variant == "edited":
            return
        standard, simpler = self.actions.assignment_texts(component)
        self.query_one("#text", TextArea).text = simpler if variant == "simpler" else standard

    def save(self) -> str:
        component = self.query_one("#component", Select).value
        variant = self.query_one("#variant", Select).value
        text = self.query_one("#text", TextArea).text
        if isinstance(component, str) and variant != "edited":
            standard, simpler = self.actions.assignment_texts(component)
            if text.strip() and text.strip() not in (standard.strip(), simpler.strip()):
                variant = "edited"  # the caseworker changed the words: theirs are given
        when = self.query_one("#when", Select).value
        form = AssignmentForm(
            participant_id=self.person_id(),
            meeting_no=self._meeting_no(),
            component=component if isinstance(component, str) else "",
            variant=_variant(variant),
            text=text,
            when=_when(when),
            force=self.query_one("#force", Checkbox).value,
        )
        _, reminders = self.actions.give_assignment(form)
        zone = self.actions.preferences(form.participant_id).timezone
        return str(self.t(a.A_DONE, reminders=meeting_summary(self.t, reminders, zone)))


def _variant(value: object) -> Literal["standard", "simpler", "edited"]:
    return "simpler" if value == "simpler" else "edited" if value == "edited" else "standard"


def _when(value: object) -> When:
    return "now" if value == "now" else "none" if value == "none" else "default"


class MeetingForm(ActionForm):
    DEFAULT_CSS = FORM_CSS.format(name="MeetingForm")
    TITLE_TEXT = a.M_TITLE

    def fields(self) -> Iterable[Widget]:
        yield from self.who()
        yield Label(self.t(a.M_AT))
        yield Input(id="at", compact=True, placeholder="2026-12-01 10:00")
        yield Label(self.t(a.M_PLACE))
        yield Input(id="place", compact=True)
        yield Label(self.t(a.M_BEFORE))
        yield Input("1d, 2h", id="before", compact=True)

    def save(self) -> str:
        pid = self.person_id()
        _, reminders = self.actions.schedule_meeting(
            pid, self.value("#at"), place=self.value("#place"), before=self.value("#before")
        )
        zone = self.actions.preferences(pid).timezone
        return str(self.t(a.M_DONE, reminders=meeting_summary(self.t, reminders, zone)))


class PrefsForm(ActionForm):
    DEFAULT_CSS = FORM_CSS.format(name="PrefsForm")
    TITLE_TEXT = a.P_TITLE

    def fields(self) -> Iterable[Widget]:
        yield from self.who()
        yield Label(self.t(a.P_TIME))
        yield Input(id="time", compact=True)
        yield Label(self.t(a.P_QUIET))
        yield Input(id="quiet", compact=True)
        yield Label(self.t(a.P_ZONE))
        yield Input(id="zone", compact=True)

    def on_mount(self) -> None:
        self._load()

    @on(Select.Changed, "#who")
    def _load(self) -> None:
        found = self.actions.preferences(self.person_id())
        self.query_one("#time", Input).value = found.preferred_time
        self.query_one("#quiet", Input).value = f"{found.quiet_start}-{found.quiet_end}"
        self.query_one("#zone", Input).value = found.timezone

    def save(self) -> str:
        saved = self.actions.set_preferences(
            self.person_id(),
            time=self.value("#time"),
            quiet=self.value("#quiet"),
            timezone=self.value("#zone"),
        )
        quiet = f"{saved.quiet_start}–{saved.quiet_end}"
        return str(self.t(a.P_DONE, time=saved.preferred_time, quiet=quiet, zone=saved.timezone))


class SendFlowForm(ActionForm):
    """A flow written for the participant's role, started in their chat (the bot delivers)."""

    DEFAULT_CSS = FORM_CSS.format(name="SendFlowForm")
    TITLE_TEXT = a.S_TITLE
    SAVE_TEXT = a.S_SEND
    titles: dict[str, str]

    def fields(self) -> Iterable[Widget]:
        yield from self.who()
        yield Label(self.t(a.S_FLOW))
        yield Select[str]([], id="flow", allow_blank=True, compact=True)

    def on_mount(self) -> None:
        self._flows()

    @on(Select.Changed, "#who")
    def _flows(self) -> None:
        person = self.case_file.person(self.person_id())
        services = self.user.ctx.services
        choices = flow_choices(services, person, self.t) if person else []
        self.titles = {c.id: c.title for c in choices}
        select = self.query_one("#flow", Select)
        select.set_options((c.title, c.id) for c in choices)
        if choices:
            select.value = choices[0].id

    def save(self) -> str:
        pid, flow = self.person_id(), self.query_one("#flow", Select).value
        if not isinstance(flow, str):
            raise ActionError(a.E_OTHER, detail="—")
        self.actions.send_flow(pid, flow)
        person = self.case_file.person(pid)
        name = person.name if person else ""
        return str(self.t(a.S_DONE, flow=self.titles.get(flow, flow), name=name))


class ParticipantForm(ActionForm):
    DEFAULT_CSS = FORM_CSS.format(name="ParticipantForm")
    TITLE_TEXT = a.ACT_PARTICIPANT

    def fields(self) -> Iterable[Widget]:
        yield from participant_fields(self.t)

    def save(self) -> str:
        name = self.value("#name")
        role = str(self.query_one("#role", Select).value)
        language = str(self.query_one("#language", Select).value)
        added = self.actions.add_participant(self.case_file.case.id, role, name, language)
        return str(self.t(a.NEW_ADDED, name=added.display_name))


def participant_fields(t: Texts) -> Iterable[Widget]:
    """Name (first name or alias), role and language of a new participant."""
    yield Label(t(a.NEW_NAME))
    yield Input(id="name", compact=True)
    yield Label(t(a.NEW_ROLE))
    yield Select([(t(ROLE_NAMES[r]), r) for r in ROLES], id="role", allow_blank=False, compact=True)
    yield Label(t(a.NEW_LANGUAGE))
    yield Select(
        [(t(LANGUAGE_NAMES[x]), x) for x in LANGUAGES],
        id="language",
        allow_blank=False,
        compact=True,
    )


MENU: tuple[tuple[str, Message, type[ActionForm]], ...] = (
    ("assign", a.ACT_ASSIGN, AssignmentScreen),
    ("course", a.ACT_COURSE, CourseForm),
    ("meeting", a.ACT_MEETING, MeetingForm),
    ("prefs", a.ACT_PREFS, PrefsForm),
    ("send", a.ACT_SEND, SendFlowForm),
    ("participant", a.ACT_PARTICIPANT, ParticipantForm),
)


class ActionsMenu(ModalScreen[None]):
    """The list of actions; Enter opens one. After a save the case is read again."""

    DEFAULT_CSS = """
    ActionsMenu { align: center middle; }
    #actions { width: 70; height: auto; max-height: 90%; border: round $primary;
               background: $surface; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Tilbake")]

    def __init__(
        self, user: SignedIn, case_file: CaseFile, on_saved: Callable[[], None] | None = None
    ) -> None:
        super().__init__(id="actions-menu")
        self.user = user
        self.case_file = case_file
        self.on_saved = on_saved
        localize_bindings(self, user.texts, {"app.pop_screen": s.KEY_BACK})

    def compose(self) -> ComposeResult:
        t = self.user.texts
        options = [Option(t(label), id=key) for key, label, _ in MENU]
        menu = OptionList(*options, id="actions")
        menu.border_title = t(a.ACTIONS_TITLE, case=self.case_file.case.title)
        yield menu

    def on_mount(self) -> None:
        self.query_one("#actions", OptionList).focus()

    @on(OptionList.OptionSelected, "#actions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.open(str(event.option.id))

    def open(self, key: str) -> None:
        """Replace the menu with the chosen form."""
        form = next(f for k, _, f in MENU if k == key)
        if not self.case_file.people and key != "participant":
            self.notify(self.user.texts(a.F_NOBODY), severity="warning")
            return
        on_saved = self.on_saved

        def saved(stored: bool | None) -> None:
            if stored and on_saved is not None:
                on_saved()

        app = self.app
        app.pop_screen()
        app.push_screen(form(self.user, self.case_file), callback=saved)
