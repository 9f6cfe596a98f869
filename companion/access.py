"""Who may see what: a caseworker sees only their own cases, a leader sees all of them.

Inside a case, result fields follow the participant's own choice (``_visibility``): a field is
shown to the kontaktperson, or to the leader, only if that audience was chosen. A field without
a choice is for the kontaktperson only (docs/content.md, «Visibility of side fields»).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NoReturn

from companion.accounts import Viewer
from companion.ports import AuditLog, Case, DirectoryStore, Participant

Audience = Literal["kontaktperson", "leader"]


class AccessDenied(PermissionError):
    """The viewer may not open this case (or it does not exist: the same answer for both)."""


def sees_all_cases(viewer: Viewer) -> bool:
    return viewer.role == "leader"


def may_open(viewer: Viewer, case: Case | None) -> bool:
    """A caseworker may open their own cases; a leader any case; an admin none."""
    if case is None:
        return False
    if viewer.role == "leader":
        return True
    return viewer.role == "caseworker" and case.caseworker_id == viewer.id


def case_owner_filter(viewer: Viewer) -> tuple[bool, str | None]:
    """(may list cases at all, owner to filter by: None for all)."""
    if viewer.role == "leader":
        return True, None
    if viewer.role == "caseworker":
        return True, viewer.id
    return False, None


def audience_of(viewer: Viewer, case: Case) -> Audience:
    """A case's own caseworker reads as kontaktperson; anyone else allowed in, as leader."""
    return "kontaktperson" if case.caseworker_id == viewer.id else "leader"


def field_visible(result: Mapping[str, Any], field: str, audience: Audience) -> bool:
    """Whether ``audience`` may see ``result[field]`` under the participant's choice."""
    choices = result.get("_visibility")
    if not isinstance(choices, Mapping) or field not in choices:
        return audience == "kontaktperson"
    chosen = choices[field]
    return isinstance(chosen, list | tuple) and audience in chosen


class CaseGuard:
    """The service layer's access check: every staff operation on case data goes through it.

    ``case``/``participant`` return the record only when ``viewer`` may open its case and raise
    ``AccessDenied`` otherwise — the same answer for a missing record as for a forbidden one, so
    a caseworker cannot probe which ids exist. Refusals are written to the audit log.
    """

    def __init__(self, directory: DirectoryStore, audit: AuditLog, viewer: Viewer) -> None:
        self.directory = directory
        self.audit = audit
        self.viewer = viewer

    def case(self, case_id: str) -> Case:
        case = self.directory.get_case(case_id)
        if not may_open(self.viewer, case):
            self.deny(case_id)
        assert case is not None  # may_open is False for None
        return case

    def participant(self, participant_id: str) -> tuple[Participant, Case]:
        participant = self.directory.get_participant(participant_id)
        case = self.directory.get_case(participant.case_id) if participant else None
        if participant is None or not may_open(self.viewer, case):
            self.deny(participant_id)
        assert participant is not None and case is not None
        return participant, case

    def deny(self, subject: str) -> NoReturn:
        """Refuse (audited) without looking anything up: for ids that led nowhere."""
        self.audit.append(self.viewer.username, "case.denied", subject, {"role": self.viewer.role})
        raise AccessDenied(subject)
