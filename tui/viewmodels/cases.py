"""The case list: which cases the viewer may list, their badges, search and filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from companion.access import case_owner_filter
from companion.accounts import Viewer
from tui import strings as s
from tui.data.ports import CaseIndex
from tui.data.records import CaseSummary
from tui.i18n import Texts


@dataclass(frozen=True)
class CaseRow:
    """One row as the table shows it."""

    id: str
    title: str
    people: str
    worker: str
    badges: str
    next_meeting: str
    high_flags: int
    new: int
    haystack: str
    """Lower-case text the search looks in."""


@dataclass(frozen=True)
class Filters:
    query: str = ""
    only_flags: bool = False
    only_new: bool = False


def badges(summary: CaseSummary, texts: Texts) -> str:
    parts = []
    if summary.open_flags:
        parts.append(texts(s.BADGE_FLAG, count=summary.open_flags))
    if summary.new_sessions:
        parts.append(texts(s.BADGE_NEW, count=summary.new_sessions))
    if summary.unread_messages:
        parts.append(texts(s.BADGE_UNREAD, count=summary.unread_messages))
    return "  ".join(parts)


def to_row(summary: CaseSummary, texts: Texts) -> CaseRow:
    people = ", ".join(summary.participants)
    meeting = summary.next_meeting_at
    return CaseRow(
        id=summary.id,
        title=summary.title,
        people=people,
        worker=summary.caseworker_name,
        badges=badges(summary, texts),
        next_meeting=texts.datetime(meeting) if meeting else "",
        high_flags=summary.high_flags,
        new=summary.new_sessions,
        haystack=f"{summary.title}\n{people}\n{summary.caseworker_name}".casefold(),
    )


def _order(summary: CaseSummary) -> tuple[int, int, str, str]:
    # Open high flags first, then cases with new answers, then by next meeting and title.
    meeting = summary.next_meeting_at.isoformat() if summary.next_meeting_at else "9999"
    return (-summary.high_flags, -min(summary.new_sessions, 1), meeting, summary.title.casefold())


def filter_rows(rows: Sequence[CaseRow], filters: Filters) -> list[CaseRow]:
    """Rows whose text holds every word of the query, and that pass the toggles."""
    words = filters.query.casefold().split()
    return [
        row
        for row in rows
        if all(word in row.haystack for word in words)
        and (not filters.only_flags or row.high_flags)
        and (not filters.only_new or row.new)
    ]


@dataclass(frozen=True)
class LeaderFigures:
    """Aggregate, non-identifying counts for a leader."""

    cases: int
    open_flags: int
    active: int


class CaseList:
    """Loads the viewer's cases and turns them into rows."""

    def __init__(self, index: CaseIndex, viewer: Viewer, texts: Texts) -> None:
        self.index = index
        self.viewer = viewer
        self.texts = texts
        self.summaries: list[CaseSummary] = []
        self.rows: list[CaseRow] = []

    def load(self) -> list[CaseRow]:
        allowed, owner = case_owner_filter(self.viewer)
        found = self.index.summaries(self.viewer.id, owner) if allowed else []
        self.summaries = sorted(found, key=_order)
        self.rows = [to_row(summary, self.texts) for summary in self.summaries]
        return self.rows

    def filtered(self, filters: Filters) -> list[CaseRow]:
        return filter_rows(self.rows, filters)

    def figures(self, now: datetime) -> LeaderFigures:
        since = now - timedelta(days=14)
        return LeaderFigures(
            cases=len(self.summaries),
            open_flags=sum(c.open_flags for c in self.summaries),
            active=sum(1 for c in self.summaries if c.last_activity and c.last_activity >= since),
        )
