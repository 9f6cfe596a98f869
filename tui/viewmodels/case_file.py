"""Opening a case: the access check, the audit entry, and everything its tabs show."""

from __future__ import annotations

from dataclasses import dataclass

from companion.access import Audience, audience_of
from companion.accounts import Viewer
from companion.ports import Case
from companion.services import Services
from companion.staff import PersonRecord, StaffCases
from tui.data import TuiData

Person = PersonRecord
"""One participant with what their conversations produced (the core's record)."""


@dataclass(frozen=True)
class CaseFile:
    """A case as one viewer may see it."""

    case: Case
    audience: Audience
    people: tuple[Person, ...]

    def person(self, participant_id: str) -> Person | None:
        return next((p for p in self.people if p.participant.id == participant_id), None)


class CaseFiles:
    """The only way the TUI reads a case: checks access and writes the audit log."""

    def __init__(self, services: Services, data: TuiData, viewer: Viewer) -> None:
        self.services = services
        self.data = data
        self.viewer = viewer

    def open(self, case_id: str) -> CaseFile:
        """The case, if the viewer may open it; raise ``AccessDenied`` otherwise."""
        case = StaffCases(self.services, self.viewer).open_case(case_id)  # checks and audits
        self.data.cases.mark_seen(self.viewer.id, case_id, self.services.clock.now())
        return self.load(case)

    def load(self, case: Case) -> CaseFile:
        """Read the case's participants and results through the core, which checks access."""
        staff = StaffCases(self.services, self.viewer)
        people = tuple(staff.person(p.id) for p in staff.participants(case.id))
        return CaseFile(case=case, audience=audience_of(self.viewer, case), people=people)
