"""What a caseworker does with a case beyond reading it: create a case and its participants,
set up Familieveiledning (course, home assignments with their reminders, meeting reminders, a
participant's reminder times) and send a flow to a participant's chat.

A staff service (its constructor takes ``viewer``), so ``tests/security/test_access_proof.py``
calls every public method as another caseworker and expects ``AccessDenied`` and no change.
Every method that reads or changes case data checks access with ``CaseGuard`` first (a refusal
is audited and raises ``AccessDenied``) and goes through the same core services as the CLI
(``Reminders``, ``send_flow``), which write the audit entries. Bad input raises ``ActionError``
with a message for the person (``companion.case_action_texts``), before anything is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar

from companion import case_action_texts as a
from companion import participants as people
from companion.access import CaseGuard, sees_all_cases
from companion.accounts import Viewer
from companion.case_action_texts import Message
from companion.ports import (
    Assignment,
    Case,
    Course,
    Meeting,
    Participant,
    ParticipantRole,
    Reminder,
    ReminderSettings,
)
from companion.reminders.plans import DEFAULT_PLAN, Before, ReminderPlan
from companion.reminders.service import ReminderError, Reminders, parse_local
from companion.reminders.timing import TimingError, parse_hhmm, zone
from companion.services import Services

MAX_TITLE = 80
MAX_NAME = 40
ROLES: tuple[ParticipantRole, ...] = ("youth", "parent", "child")
LANGUAGES = ("nb", "nn", "en")
When = Literal["default", "now", "none"]
"""An assignment's reminders: the default plan, the check-in now, or none."""
MEETING_SPLIT = re.compile(r"[,;\n]+")
T = TypeVar("T")


class ActionError(Exception):
    """The form cannot be saved as filled in; ``text(texts)`` says why, for a person."""

    def __init__(self, message: Message, **values: Any) -> None:
        super().__init__(message[1])
        self.message = message
        self.values = values

    def text(self, texts: Callable[..., str]) -> str:
        """The message filled in, through a front end's translator (``texts(message, **values)``)."""
        return texts(self.message, **self.values)


@dataclass(frozen=True)
class ComponentChoice:
    id: str
    name: str
    allowed: bool
    """False when the ordering rule of the course's pathway says «not yet»."""
    reason: str | None = None


@dataclass(frozen=True)
class AssignmentForm:
    participant_id: str
    meeting_no: int
    component: str
    variant: Literal["standard", "simpler", "edited"] = "standard"
    text: str = ""
    when: When = "default"
    force: bool = False


class CaseActions:
    """The signed-in viewer's actions on cases; one instance per viewer."""

    def __init__(
        self, services: Services, viewer: Viewer, reminders: Reminders | None = None
    ) -> None:
        self.services = services
        self.viewer = viewer
        self.guard = CaseGuard(services.directory, services.audit, viewer)
        self._reminders = reminders

    # Private, so the proof's call table is the whole surface: a public ``Reminders`` here
    # would be a way round the guard.
    @property
    def _service(self) -> Reminders:
        if self._reminders is None:
            self._reminders = Reminders(self.services)
        return self._reminders

    @property
    def _actor(self) -> str:
        return self.viewer.username

    def _acting_on(self, participant_id: str) -> tuple[Participant, Case]:
        """The participant, if the viewer is their case's own caseworker (kontaktperson).

        Setting up a course, giving assignments, scheduling and sending flows is the
        kontaktperson's work: a leader who may read the case does not act in their name (the
        same rule as ``StaffCases.own_case``).
        """
        participant, case = self.guard.participant(participant_id)
        if case.caseworker_id != self.viewer.id:
            self.guard.deny(participant_id)
        return participant, case

    # --- cases and participants ---------------------------------------------------------------

    def create_case(self, title: str, owner_id: str | None = None) -> Case:
        """A new case owned by the viewer; only a leader may create one for someone else."""
        clean = " ".join(title.split())
        if not clean or len(clean) > MAX_TITLE:
            raise ActionError(a.E_TITLE, max=MAX_TITLE)
        owner = owner_id or self.viewer.id
        # Only people who work with cases create them or own them (an admin sees no case
        # data), and only a leader for someone else; an unknown owner gets the same refusal.
        if self.viewer.role not in ("caseworker", "leader"):
            self.guard.deny(owner)
        if owner != self.viewer.id and not sees_all_cases(self.viewer):
            self.guard.deny(owner)
        found = self.services.directory.get_caseworker(owner)
        if found is None or found.role == "admin":
            self.guard.deny(owner)
        case = self.services.directory.add_case(owner, clean)
        self.services.audit.append(self._actor, "case.created", case.id, {"owner": owner})
        return case

    def add_participant(
        self, case_id: str, role: str, name: str, locale: str = "nb"
    ) -> Participant:
        """A youth, parent or child in the case, known by a first name or alias."""
        if self.guard.case(case_id).caseworker_id != self.viewer.id:
            self.guard.deny(case_id)
        clean = " ".join(name.split())
        if not clean or len(clean) > MAX_NAME:
            raise ActionError(a.E_NAME, max=MAX_NAME)
        if role not in ROLES or locale not in LANGUAGES:
            raise ActionError(a.E_OTHER, detail=f"{role}/{locale}")
        found = next(r for r in ROLES if r == role)
        participant = self.services.directory.add_participant(case_id, found, clean, locale)
        details = {"participant_id": participant.id, "role": role, "locale": locale}
        self.services.audit.append(self._actor, "participant.added", case_id, details)
        return participant

    # --- Familieveiledning --------------------------------------------------------------------

    def pathways(self) -> list[tuple[str, str]]:
        """(name, id) of the catalogue's pathways."""
        return [(p.name, p.id) for p in self._service.catalogue.pathways]

    def course_of(self, participant_id: str) -> Course | None:
        self.guard.participant(participant_id)
        return self._service.course_of(participant_id)

    def set_up_course(
        self,
        participant_id: str,
        pathway: str,
        meetings: str,
        *,
        place: str = "",
        remind: str = "",
    ) -> tuple[Course, list[Meeting]]:
        """The course with its meetings (dates as typed, in the participant's time zone)."""
        self._acting_on(participant_id)
        parts = [m.strip() for m in MEETING_SPLIT.split(meetings) if m.strip()]
        if not parts:
            raise ActionError(a.E_NO_MEETINGS)
        when = [self._when(participant_id, m) for m in parts]
        before = self._before(remind)
        return self._call(
            lambda: self._service.set_up_course(
                participant_id,
                pathway,
                when,
                created_by=self._actor,
                place=place.strip() or None,
                meeting_before=before,
            )
        )

    def components(self, participant_id: str, meeting_no: int) -> list[ComponentChoice]:
        """The catalogue's components, each marked whether the ordering rule allows it now."""
        self.guard.participant(participant_id)
        catalogue = self._service.catalogue
        course = self._service.course_of(participant_id)
        done = []
        if course is not None:
            done = [
                x.component
                for x in self._service.store.assignments_for(participant_id)
                if x.course_id == course.id and x.meeting_no < meeting_no
            ]
        choices = []
        for component in sorted(catalogue.components, key=lambda c: c.number):
            reason = catalogue.check_order(done, component.id, course.pathway) if course else None
            choices.append(ComponentChoice(component.id, component.name, reason is None, reason))
        return choices

    def assignment_texts(self, component: str) -> tuple[str, str]:
        """The component's assignment and its simpler variant (to fill the editable text)."""
        found = self._service.catalogue.component(component)
        return found.assignment, found.simpler

    def next_meeting_no(self, participant_id: str) -> int:
        """The meeting the next assignment is given at: one after the last given, or the first."""
        self.guard.participant(participant_id)
        given = [x.meeting_no for x in self._service.store.assignments_for(participant_id)]
        return max(given, default=0) + 1

    def give_assignment(self, form: AssignmentForm) -> tuple[Assignment, list[Reminder]]:
        """The home assignment with its reminder plan («now»: the check-in goes out at once)."""
        self._acting_on(form.participant_id)
        if not 1 <= form.meeting_no <= 16:
            raise ActionError(a.E_MEETING_NO)
        if not form.component:
            raise ActionError(a.E_NO_COMPONENT)
        if form.variant == "edited" and not form.text.strip():
            raise ActionError(a.E_NO_TEXT)
        plan = {
            "default": DEFAULT_PLAN,
            "now": ReminderPlan(checkin_now=True),
            "none": ReminderPlan(day_after=False, checkin_days_before=None),
        }[form.when]
        return self._call(
            lambda: self._service.give_assignment(
                form.participant_id,
                form.meeting_no,
                form.component,
                variant="simpler" if form.variant == "simpler" else "standard",
                text=form.text if form.variant == "edited" else None,
                plan=plan,
                force=form.force,
                actor=self._actor,
            ),
            order=True,
        )

    def schedule_meeting(
        self, participant_id: str, at: str, *, place: str = "", before: str = "1d, 2h"
    ) -> tuple[Meeting, list[Reminder]]:
        """A meeting with reminders before it (e.g. the day before and two hours before)."""
        self._acting_on(participant_id)
        starts = self._when(participant_id, at)
        if starts <= self.services.clock.now():
            raise ActionError(a.E_PAST, value=at.strip())
        found = self._before(before)
        return self._call(
            lambda: self._service.schedule_meeting(
                participant_id,
                starts,
                place=place.strip() or None,
                before=found,
                actor=self._actor,
            )
        )

    def preferences(self, participant_id: str) -> ReminderSettings:
        self.guard.participant(participant_id)
        return self._service.store.reminder_settings(participant_id)

    def set_preferences(
        self, participant_id: str, *, time: str, quiet: str, timezone: str
    ) -> ReminderSettings:
        """Preferred time, quiet hours (``21:00-08:00``; equal ends: none) and time zone."""
        self._acting_on(participant_id)
        parse = self._hhmm
        parse(time)
        start, _, end = quiet.partition("-")
        parse(start)
        parse(end or start)
        try:
            zone(timezone.strip())
        except TimingError:
            raise ActionError(a.E_ZONE, value=timezone.strip()) from None
        return self._call(
            lambda: self._service.set_preferences(
                participant_id,
                preferred_time=time,
                quiet_hours=(start, end or start),
                timezone=timezone.strip(),
                actor=self._actor,
            )
        )

    # --- sending a flow -----------------------------------------------------------------------

    def send_flow(self, participant_id: str, flow_id: str) -> str:
        """Start the flow for the participant; the bot delivers it. Returns the session id."""
        participant, _ = self._acting_on(participant_id)
        refusal = self._refusal(participant)
        if refusal is not None:
            raise ActionError(refusal, name=participant.display_name)
        s = self.services
        flow = s.engine.flows.get(flow_id)
        if flow is None or participant.role not in flow.audience:
            raise ActionError(a.E_OTHER, detail=flow_id)
        try:
            sprint = people.send_flow(
                participant_id,
                flow_id,
                engine=s.engine,
                directory=s.directory,
                conversations=s.conversations,
                audit=s.audit,
                actor=self._actor,
            )
        except people.SendError as error:  # a change since the check above
            raise ActionError(a.E_AS_GIVEN, reason=str(error)) from None
        return sprint.session.id

    def send_refusal(self, participant_id: str) -> Message | None:
        """Why a flow cannot be sent to the participant now (the checks of ``send_flow``)."""
        participant, _ = self.guard.participant(participant_id)
        return self._refusal(participant)

    def _refusal(self, participant: Participant) -> Message | None:
        s = self.services
        if not people.has_consent(s.conversations, participant.id):
            return a.S_NO_CONSENT
        if participant.messages_stopped:
            return a.S_STOPPED
        if not people.reachable_links(s.directory, participant.id):
            return a.S_NO_CHAT
        if s.conversations.open_session(participant.id) is not None:
            return a.S_BUSY
        return None

    # --- parsing ------------------------------------------------------------------------------

    def _when(self, participant_id: str, text: str) -> datetime:
        tz = self._service.store.reminder_settings(participant_id).timezone
        try:
            return parse_local(text, tz)
        except TimingError:
            raise ActionError(a.E_DATE, value=text.strip()) from None

    @staticmethod
    def _hhmm(text: str) -> None:
        try:
            parse_hhmm(text)
        except TimingError:
            raise ActionError(a.E_TIME, value=text.strip()) from None

    @staticmethod
    def _before(text: str) -> list[Before]:
        found = []
        for part in MEETING_SPLIT.split(text.replace(" ", ",")):
            if part.strip():
                try:
                    found.append(Before.parse(part))
                except TimingError:
                    raise ActionError(a.E_BEFORE, value=part.strip()) from None
        return found

    @staticmethod
    def _call(do: Callable[[], T], *, order: bool = False) -> T:
        """Run a ``Reminders`` call; its refusals become ``ActionError`` (nothing was stored:
        each call is one transaction)."""
        try:
            result = do()
        except ReminderError as error:
            message = a.E_ORDER if order and "«" in str(error) else a.E_AS_GIVEN
            raise ActionError(message, reason=str(error)) from None
        except TimingError as error:
            raise ActionError(a.E_OTHER, detail=str(error)) from None
        return result
