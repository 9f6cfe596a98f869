"""Opening a case: the access check, the audit entry, and everything its tabs show."""

from __future__ import annotations

from dataclasses import dataclass, field

from companion.access import AccessDenied, Audience, audience_of, may_open
from companion.accounts import Viewer
from companion.flows import Session
from companion.ports import Case, Consent, Flag, Participant, StoredResult
from companion.services import Services
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
        case = self.services.directory.get_case(case_id)
        if case is None or not may_open(self.viewer, case):
            self._audit("case.denied", case_id)
            raise AccessDenied(case_id)
        self._audit("case.viewed", case_id)
        self.data.cases.mark_seen(self.viewer.id, case_id, self.services.clock.now())
        return self.load(case)

    def load(self, case: Case) -> CaseFile:
        """Read the case's participants and results (``open`` has checked access)."""
        store = self.services.conversations
        participants = self.services.directory.participants_in_case(case.id)
        people = tuple(
            Person(
                participant=p,
                sessions=tuple(store.sessions_for(p.id)),
                results=store.results_for(p.id),
                consents=tuple(store.consents_for(p.id)),
                flags=tuple(store.open_flags(p.id)),
                channels=tuple(
                    link.channel
                    for link in self.services.directory.links_for(p.id)
                    if link.unreachable_at is None
                ),
            )
            for p in participants
        )
        return CaseFile(case=case, audience=audience_of(self.viewer, case), people=people)

    def _audit(self, action: str, case_id: str) -> None:
        self.services.audit.append(
            self.viewer.username, action, case_id, {"role": self.viewer.role}
        )
