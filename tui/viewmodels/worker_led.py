"""Worker-led mode: the kontaktperson runs a flow in a meeting and types what the person says.

The conversation is an ordinary persisted session of the participant (``services.flows``), so
its answers, results, consents and flags are stored exactly as if they had used the bot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from companion.access import AccessDenied
from companion.accounts import Viewer
from companion.flows import Sprint
from companion.flows import events as ev
from companion.flows.inputs import ChoiceInput, Command, CommandInput, Input, TextInput
from companion.services import Services
from companion.staff import StaffCases
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile, Person
from tui.viewmodels.transcripts import flow_title

SEEDED_RESULTS: Mapping[str, tuple[str, ...]] = {
    "hevd_status": ("hevd",),
    "hevd_goals": ("hevd",),
}
"""Flows that continue from an earlier result of the same participant."""
NOT_OFFERED = frozenset({"safety"})
"""Runs by itself when needed; never started from the menu."""

Kind = Literal["bot", "you", "hint", "note", "flag", "end"]


@dataclass(frozen=True)
class Said:
    kind: Kind
    text: str


@dataclass(frozen=True)
class Turn:
    said: tuple[Said, ...]
    question: ev.QuestionAsked | None
    finished: bool


@dataclass(frozen=True)
class FlowChoice:
    id: str
    title: str
    params: Mapping[str, Any]
    """Param names with their defaults."""


def flow_choices(services: Services, person: Person, texts: Texts) -> list[FlowChoice]:
    """Flows written for the participant's role, by title."""
    choices = []
    for flow_id, flow in services.content.flows.items():
        if flow_id in NOT_OFFERED or person.participant.role not in flow.audience:
            continue
        title = flow_title(services.content.flows, flow_id, texts.localizer, texts.locale)
        params = {name: p.default for name, p in flow.params.items()}
        choices.append(FlowChoice(flow_id, title, params))
    return sorted(choices, key=lambda c: c.title.casefold())


def _said(event: Any) -> list[Said]:
    if isinstance(event, ev.MessageCreated | ev.QuestionAsked):
        return [Said("bot", event.text)]
    if isinstance(event, ev.InputRejected):
        return [Said("hint", event.text)]
    if isinstance(event, ev.NoticeShown):
        return [Said("note", event.text)]
    if isinstance(event, ev.FlagRaised):
        return [Said("flag", f"⚠ {event.severity}: {event.reason}")]
    if isinstance(event, ev.FlowEnded):
        return [Said("bot", event.text)] if event.text else []
    return []


class WorkerLed:
    """One meeting conversation with one participant."""

    def __init__(
        self, services: Services, viewer: Viewer, case_file: CaseFile, person: Person
    ) -> None:
        if case_file.person(person.participant.id) is None:
            raise AccessDenied(case_file.case.id)
        self.staff = StaffCases(services, viewer)
        self.staff.own_case(case_file.case.id)  # the kontaktperson's work only (audited refusal)
        self.services = services
        self.viewer = viewer
        self.case_file = case_file
        self.person = person
        self.session_id: str | None = None
        self.question: ev.QuestionAsked | None = None

    def start(self, flow_id: str, params: Mapping[str, Any] | None = None) -> Turn:
        """Continue the participant's open conversation of this flow, or start one."""
        seeded = {}
        for name in SEEDED_RESULTS.get(flow_id, ()):
            latest = self.person.latest(name)
            if latest is not None:
                seeded[name] = dict(latest.data)
        sprint = self.staff.run_flow(  # checks access and audits
            self.person.participant.id, flow_id, params=params, results=seeded
        )
        self.session_id = sprint.session.id
        return self._turn(sprint, ())

    def say(self, text: str) -> Turn:
        """The participant's words, typed by the kontaktperson."""
        return self._send(TextInput(text=text), Said("you", text))

    def press(self, values: tuple[str, ...], labels: str) -> Turn:
        return self._send(ChoiceInput(values=values), Said("you", labels))

    def command(self, command: Command) -> Turn:
        return self._send(CommandInput(command=command), Said("you", f"/{command.value}"))

    def _send(self, value: Input, echo: Said) -> Turn:
        if self.session_id is None:
            raise RuntimeError("start the conversation first")
        return self._turn(self.staff.answer(self.session_id, value), (echo,))

    def _turn(self, sprint: Sprint, before: tuple[Said, ...]) -> Turn:
        said = [*before]
        for event in sprint.events:
            said.extend(_said(event))
        finished = not sprint.session.is_resumable
        self.question = None if finished else (sprint.question or self.question)
        return Turn(tuple(said), self.question, finished)
