"""What the TUI's own read models return: plain frozen records, never rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list, with the counts its badges show."""

    id: str
    title: str
    caseworker_id: str
    caseworker_name: str
    status: str
    created_at: datetime
    next_meeting_at: datetime | None = None
    participants: tuple[str, ...] = ()
    """Display names (first names or aliases) of the case's participants."""
    last_activity: datetime | None = None
    """When any participant's conversation last changed."""
    new_sessions: int = 0
    """Conversations with answers the viewer has not seen (changed since they last opened it)."""
    open_flags: int = 0
    high_flags: int = 0
    unread_messages: int = 0


@dataclass(frozen=True)
class StoredPlan:
    """A tiltaksplan draft as saved by a caseworker."""

    id: str
    case_id: str
    participant_id: str | None
    data: dict[str, Any] = field(default_factory=dict)
    """``{"hovedmal": [{text, varighet, delmal: [{text, tiltak, …}]}]}`` (see ``viewmodels.plan``)."""
    updated_by: str = ""
    updated_at: datetime | None = None
