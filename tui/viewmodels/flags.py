"""Flags: the open ones the viewer may see, acknowledging one (audited), confirming a deletion.

The words that raised a safety flag are for the case's own caseworker only. A leader sees
another caseworker's flag only once it is high, unacknowledged and older than
``flag_escalation_hours`` (so it is not left lying), and then without the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from companion.access import AccessDenied, may_open
from companion.accounts import Viewer
from companion.data_rights import DataRights, audio_directory
from companion.participants import DELETION_REASON, UNREACHABLE_REASON
from companion.ports import Case, Flag, Participant
from companion.services import Services
from companion.staff import StaffCases
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
    participant_id: str = ""
    escalated: bool = False
    """Shown to a leader because the case's caseworker has not acknowledged it in time."""

    @property
    def high(self) -> bool:
        return self.severity == "high"

    @property
    def deletion(self) -> bool:
        return self.reason == DELETION_REASON


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
        own = case.caseworker_id == self.viewer.id
        escalated = False
        if not own:
            hours = self.services.settings.flag_escalation_hours
            late = self.services.clock.now() - flag.at >= timedelta(hours=hours)
            if flag.severity != "high" or not late:
                return None
            escalated = True
        return FlagItem(
            id=flag.id,
            case_id=case.id,
            case_title=case.title,
            name=person.display_name,
            severity=flag.severity,
            reason=flag.reason,
            trigger=(flag.trigger or "") if own else "",
            at=flag.at,
            participant_id=person.id,
            escalated=escalated,
        )

    def open_flags(self) -> list[FlagItem]:
        """Open flags the viewer may see, high ones first, oldest first within each."""
        cases: dict[str, Case | None] = {}
        items = [self._visible(f, cases) for f in self.services.conversations.open_flags()]
        found = [i for i in items if i is not None]
        return sorted(found, key=lambda i: (not i.high, i.at))

    def acknowledge(self, flag_id: str) -> None:
        """Mark the flag seen; raise ``AccessDenied`` if the viewer may not see it."""
        StaffCases(self.services, self.viewer).acknowledge_flag(flag_id)  # checks and audits

    def confirm_deletion(self, flag_id: str) -> dict[str, int]:
        """Erase the data of the person whose deletion request this flag is (access-checked
        and audited in ``DataRights``); raise ``AccessDenied`` for any other flag."""
        item = next((i for i in self.open_flags() if i.id == flag_id), None)
        if item is None or not item.deletion:
            raise AccessDenied(flag_id)
        audio = audio_directory(self.services.settings)
        rights = DataRights(self.services, self.viewer, audio_dir=audio)
        return rights.confirm_deletion(item.participant_id)


_REASONS = {
    "safety_path": s.FLAG_REASON_SAFETY,
    DELETION_REASON: s.FLAG_REASON_DELETION,
    UNREACHABLE_REASON: s.FLAG_REASON_UNREACHABLE,
}


def describe(item: FlagItem, texts: Texts, escalation_hours: float = 24) -> str:
    """``Sara (demo) · Sak · 05.01.2026 09:00 · høy · Ordene: «…»``."""
    severity = texts(s.SEVERITY_HIGH if item.high else s.SEVERITY_LOW)
    known = _REASONS.get(item.reason)
    reason = texts(known) if known else item.reason
    words = f" · {texts(s.FLAG_TRIGGER, words=item.trigger)}" if item.trigger else ""
    if item.escalated:
        words += f" · {texts(s.FLAG_ESCALATED, hours=f'{escalation_hours:g}')}"
    when = texts.datetime(item.at)
    return f"{item.name} · {item.case_title} · {when} · {severity}: {reason}{words}"
