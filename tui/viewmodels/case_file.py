"""Opening a case: the access check, the audit entry, and everything its tabs show."""

from __future__ import annotations

from dataclasses import dataclass, field

from companion.access import Audience, audience_of
from companion.accounts import Viewer
from companion.flows import Session
from companion.ports import Case, Consent, Flag, Participant, StoredResult
from companion.services import Services
from companion.staff import StaffCases
from tui.data import TuiData


@dataclass(frozen=True)
class Person:
    """One participant with what their conversations produced."""

    participant: Participant
    sessions: tuple[Session, ...] = ()
    results: dict[str, list[StoredResult]] = field(default_factory=dict)
    consents: tuple[Consent, ...] = ()
    flags: tuple[Flag, ...] = ()
    """Open (unacknowledged) flags."""
    channels: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.participant.display_name

    def latest(self, name: str) -> StoredResult | None:
        """The most recently updated result called ``name``."""
        found = self.results.get(name) or []
        return max(found, key=lambda r: r.updated_at) if found else None

    def all_of(self, name: str) -> list[StoredResult]:
        """Every stored result called ``name``, oldest first."""
        return sorted(self.results.get(name) or [], key=lambda r: r.updated_at)


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
        records = [staff.person(p.id) for p in staff.participants(case.id)]
        people = tuple(
            Person(
                participant=r.participant,
                sessions=r.sessions,
                results=r.results,
                consents=r.consents,
                flags=r.flags,
                channels=r.channels,
            )
            for r in records
        )
        return CaseFile(case=case, audience=audience_of(self.viewer, case), people=people)
