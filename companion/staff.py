"""What a member of staff does with a case, with the access rule enforced here, not in a screen.

Every method takes ids, checks them with ``CaseGuard`` (a refusal is audited and raises
``AccessDenied``, the same for a missing id as for a forbidden one) and only then reads or
writes. The TUI's view-models call these; any other front end must too.

Rule for new staff services: a class in ``companion`` whose constructor takes ``viewer`` is a
staff service, and ``tests/security/test_access_proof.py`` refuses to pass until each of its
public methods is in the proof's call table (called on another caseworker's case and on a
missing id, expecting ``AccessDenied`` and no change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from companion.access import AccessDenied, CaseGuard
from companion.accounts import Viewer
from companion.consent_audit import audit_consents
from companion.flows import Session, Sprint
from companion.flows.inputs import Input
from companion.invites import CreatedInvite
from companion.participants import reachable_links
from companion.ports import Case, Consent, Flag, Participant, StoredResult
from companion.services import Services


@dataclass(frozen=True)
class PersonRecord:
    """One participant of a case with what their conversations produced."""

    participant: Participant
    sessions: tuple[Session, ...] = ()
    results: dict[str, list[StoredResult]] = field(default_factory=dict)
    consents: tuple[Consent, ...] = ()
    flags: tuple[Flag, ...] = ()
    """Open (unacknowledged) flags."""
    channels: tuple[str, ...] = ()
    """Channels the participant is reachable on."""

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


class StaffCases:
    """Case operations for one signed-in member of staff."""

    def __init__(self, services: Services, viewer: Viewer) -> None:
        self.services = services
        self.viewer = viewer
        self.guard = CaseGuard(services.directory, services.audit, viewer)

    def _audit(self, action: str, subject: str, details: Mapping[str, Any]) -> None:
        self.services.audit.append(self.viewer.username, action, subject, details)

    def open_case(self, case_id: str) -> Case:
        """The case, if the viewer may open it; the view is audited."""
        case = self.guard.case(case_id)
        self._audit("case.viewed", case.id, {"role": self.viewer.role})
        return case

    def participants(self, case_id: str) -> list[Participant]:
        return self.services.directory.participants_in_case(self.guard.case(case_id).id)

    def person(self, participant_id: str) -> PersonRecord:
        """A participant's sessions, results, consents, open flags and reachable channels."""
        participant, _case = self.guard.participant(participant_id)
        store = self.services.conversations
        return PersonRecord(
            participant=participant,
            sessions=tuple(store.sessions_for(participant.id)),
            results=store.results_for(participant.id),
            consents=tuple(store.consents_for(participant.id)),
            flags=tuple(store.open_flags(participant.id)),
            channels=tuple(
                link.channel for link in reachable_links(self.services.directory, participant.id)
            ),
        )

    def own_case(self, case_id: str) -> Case:
        """The case, if the viewer is its own caseworker (kontaktperson); else ``AccessDenied``.

        Drafting a plan, inviting someone or running a flow with them is the kontaktperson's
        work; a leader who may read the case does not do it in their name.
        """
        return self._require_own(self.guard.case(case_id))

    def _require_own(self, case: Case) -> Case:
        if case.caseworker_id != self.viewer.id:
            self._audit("case.denied", case.id, {"role": self.viewer.role, "needs": "own"})
            raise AccessDenied(case.id)
        return case

    def _own_participant(self, participant_id: str) -> tuple[Participant, Case]:
        participant, case = self.guard.participant(participant_id)
        return participant, self._require_own(case)

    def acknowledge_flag(self, flag_id: str) -> Flag:
        """Mark an open flag seen; only someone who may open its case may."""
        flag = next((f for f in self.services.conversations.open_flags() if f.id == flag_id), None)
        if flag is None or flag.participant_id is None:
            self.guard.deny(flag_id)
        _participant, case = self.guard.participant(flag.participant_id)
        self.services.conversations.acknowledge_flag(flag.id)
        self._audit("flag.acknowledged", flag.id, {"case": case.id, "severity": flag.severity})
        return flag

    def create_invite(self, participant_id: str) -> CreatedInvite:
        """A single-use invite for a participant of one's own case (audited by ``Invites``)."""
        participant, _case = self._own_participant(participant_id)
        return self.services.invites.create(participant.id, self.viewer.id)

    def run_flow(
        self,
        participant_id: str,
        flow_id: str,
        *,
        params: Mapping[str, Any] | None = None,
        results: Mapping[str, dict[str, Any]] | None = None,
    ) -> Sprint:
        """Worker-led mode: continue the participant's open session of the flow, or start one.

        ``results`` seed a new session (e.g. the latest HEVD for its follow-up flows).
        """
        from companion.flows.inputs import Command, CommandInput

        participant, case = self._own_participant(participant_id)
        flows = self.services.flows
        existing = flows.open_session(participant.id, flow_id)
        if existing is not None:
            sprint = flows.resume(existing.id, CommandInput(command=Command.CONTINUE))
        else:
            sprint = flows.start(
                flow_id,
                participant_id=participant.id,
                locale=participant.locale,
                params=params,
                results=results,
            )
        self._audit(
            "worker_led.started",
            case.id,
            {"flow": flow_id, "participant": participant.id, "session": sprint.session.id},
        )
        self._consents(participant.id, sprint)
        return sprint

    def _consents(self, participant_id: str, sprint: Sprint) -> None:
        audit_consents(
            self.services.audit,
            participant_id,
            sprint.session.id,
            sprint.events,
            self.viewer.username,
        )

    def answer(self, session_id: str, value: Input) -> Sprint:
        """One input typed by the kontaktperson into a session of their own case's participant."""
        session = self.services.conversations.get_session(session_id)
        if session is None or session.participant_id is None:
            self.guard.deny(session_id)
        participant, _case = self._own_participant(session.participant_id)
        sprint = self.services.flows.resume(session.id, value)
        self._consents(participant.id, sprint)
        return sprint

    def record_export(self, case_id: str, what: str, files: int) -> None:
        """Audit that case data left the system (a plan or report written to files)."""
        case = self.guard.case(case_id)
        self._audit("case.exported", case.id, {"what": what, "files": files})
