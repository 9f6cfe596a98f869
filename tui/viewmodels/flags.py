"""Safety flags: the open ones the viewer may see, and acknowledging one (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from companion.access import AccessDenied, may_open
from companion.accounts import Viewer
from companion.ports import Case, Flag, Participant
from companion.services import Services
from tui import strings as s
from tui.i18n import Texts


@dataclass(frozen=True)
class FlagItem:
    id: str
    case_id: str
    case_title: str
    name: str
    severity: str
    reason: str
    trigger: str
    at: datetime

    @property
    def high(self) -> bool:
        return self.severity == "high"


class Flags:
    """Open flags as one viewer may see them (a caseworker: own cases; a leader: all)."""

    def __init__(self, services: Services, viewer: Viewer) -> None:
        self.services = services
        self.viewer = viewer
        self._people: dict[str, Participant | None] = {}

    def _person(self, participant_id: str | None) -> Participant | None:
        if participant_id is None:
            return None
        if participant_id not in self._people:
            self._people[participant_id] = self.services.directory.get_participant(participant_id)
        return self._people[participant_id]

    def _visible(self, flag: Flag, cases: dict[str, Case | None]) -> FlagItem | None:
        person = self._person(flag.participant_id)
        if person is None:
            return None
        if person.case_id not in cases:
            cases[person.case_id] = self.services.directory.get_case(person.case_id)
        case = cases[person.case_id]
        if case is None or not may_open(self.viewer, case):
            return None
        return FlagItem(
            id=flag.id,
            case_id=case.id,
            case_title=case.title,
            name=person.display_name,
            severity=flag.severity,
            reason=flag.reason,
            trigger=flag.trigger or "",
            at=flag.at,
        )

    def open_flags(self) -> list[FlagItem]:
        """Open flags the viewer may see, high ones first, oldest first within each."""
        cases: dict[str, Case | None] = {}
        items = [self._visible(f, cases) for f in self.services.conversations.open_flags()]
        found = [i for i in items if i is not None]
        return sorted(found, key=lambda i: (not i.high, i.at))

    def acknowledge(self, flag_id: str) -> None:
        """Mark the flag seen; raise ``AccessDenied`` if the viewer may not see it."""
        item = next((i for i in self.open_flags() if i.id == flag_id), None)
        if item is None:
            raise AccessDenied(flag_id)
        self.services.conversations.acknowledge_flag(flag_id)
        self.services.audit.append(
            self.viewer.username,
            "flag.acknowledged",
            flag_id,
            {"case": item.case_id, "severity": item.severity},
        )


def describe(item: FlagItem, texts: Texts) -> str:
    """``Sara (demo) · Sak · 05.01.2026 09:00 · høy · Ordene: «…»``."""
    severity = texts(s.SEVERITY_HIGH if item.high else s.SEVERITY_LOW)
    reason = texts(s.FLAG_REASON_SAFETY) if item.reason == "safety_path" else item.reason
    words = f" · {texts(s.FLAG_TRIGGER, words=item.trigger)}" if item.trigger else ""
    when = texts.datetime(item.at)
    return f"{item.name} · {item.case_title} · {when} · {severity}: {reason}{words}"
