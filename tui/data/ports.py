"""What the TUI needs from storage beyond the core ports: a case index and tiltaksplan drafts.

The core ports answer per participant; the case list needs every case with its badge counts in
one query (10,000 cases must list in well under a second), so the TUI owns this read model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from tui.data.records import CaseSummary, StoredPlan


class CaseIndex(Protocol):
    """Cases with the counts behind the list's badges."""

    def summaries(self, viewer_id: str, owner_id: str | None) -> list[CaseSummary]:
        """Cases of ``owner_id`` (every case when None); «new» is relative to ``viewer_id``."""
        ...

    def mark_seen(self, viewer_id: str, case_id: str, at: datetime) -> None:
        """Remember that ``viewer_id`` has seen the case's answers up to ``at``."""
        ...


class PlanStore(Protocol):
    """Tiltaksplan drafts, one per case and participant."""

    def plan_for(self, case_id: str, participant_id: str | None) -> StoredPlan | None: ...

    def save_plan(
        self,
        case_id: str,
        participant_id: str | None,
        data: dict[str, Any],
        by: str,
        at: datetime,
    ) -> StoredPlan: ...
