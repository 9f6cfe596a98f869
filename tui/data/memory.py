"""The TUI's read model and plan drafts over the in-memory fakes (tests, no database)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from companion.flows.ports import IdFactory
from companion.memory_store import MemoryConversationStore, MemoryDirectoryStore
from companion.ports import Case, InboxStore
from tui.data.records import CaseSummary, StoredPlan


def _all_cases(directory: MemoryDirectoryStore) -> list[Case]:
    # The DirectoryStore port lists cases per caseworker only; a leader's list needs all of
    # them, which the fake keeps in one dictionary (the SQLite index queries the table).
    return list(directory._cases.values())


class MemoryCaseIndex:
    """``CaseIndex`` computed from the fakes on every call (fine for tests' handful of cases)."""

    def __init__(
        self,
        directory: MemoryDirectoryStore,
        conversations: MemoryConversationStore,
        inbox: InboxStore | None = None,
    ) -> None:
        self.directory = directory
        self.conversations = conversations
        self.inbox = inbox
        self._seen: dict[tuple[str, str], datetime] = {}

    def summaries(self, viewer_id: str, owner_id: str | None) -> list[CaseSummary]:
        cases = [c for c in _all_cases(self.directory) if owner_id in (None, c.caseworker_id)]
        flags = self.conversations.open_flags()
        rows = []
        for case in sorted(cases, key=lambda c: c.created_at):
            people = self.directory.participants_in_case(case.id)
            ids = {p.id for p in people}
            sessions = [s for p in people for s in self.conversations.sessions_for(p.id)]
            seen = self._seen.get((viewer_id, case.id))
            worker = self.directory.get_caseworker(case.caseworker_id)
            case_flags = [f for f in flags if f.participant_id in ids]
            rows.append(
                CaseSummary(
                    id=case.id,
                    title=case.title,
                    caseworker_id=case.caseworker_id,
                    caseworker_name=worker.display_name if worker else "?",
                    status=case.status,
                    created_at=case.created_at,
                    next_meeting_at=case.next_meeting_at,
                    participants=tuple(p.display_name for p in people),
                    last_activity=max((s.updated_at for s in sessions), default=None),
                    new_sessions=sum(1 for s in sessions if seen is None or s.updated_at > seen),
                    open_flags=len(case_flags),
                    high_flags=sum(1 for f in case_flags if f.severity == "high"),
                    unread_messages=self._unread(case.id),
                )
            )
        return rows

    def _unread(self, case_id: str) -> int:
        if self.inbox is None:
            return 0
        found = self.inbox.messages_in_case(case_id)
        return sum(1 for m in found if m.direction == "in" and m.read_at is None)

    def mark_seen(self, viewer_id: str, case_id: str, at: datetime) -> None:
        self._seen[(viewer_id, case_id)] = at


class MemoryPlanStore:
    """``PlanStore`` in a dictionary."""

    def __init__(self, ids: IdFactory) -> None:
        self.ids = ids
        self._plans: dict[tuple[str, str | None], StoredPlan] = {}

    def plan_for(self, case_id: str, participant_id: str | None) -> StoredPlan | None:
        return self._plans.get((case_id, participant_id))

    def save_plan(
        self,
        case_id: str,
        participant_id: str | None,
        data: dict[str, Any],
        by: str,
        at: datetime,
    ) -> StoredPlan:
        existing = self._plans.get((case_id, participant_id))
        plan_id = existing.id if existing else self.ids.new_id()
        plan = StoredPlan(plan_id, case_id, participant_id, data, by, at)
        self._plans[(case_id, participant_id)] = plan
        return plan
