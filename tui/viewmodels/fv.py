"""Familieveiledning: home-assignment check-ins week by week, and the weekly usefulness trend."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from companion.access import Audience, field_visible
from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile
from tui.viewmodels.sparkline import sparkline

TRIED = {
    "yes": s.TRIED_YES,
    "partly": s.TRIED_PARTLY,
    "not_yet": s.TRIED_NOT_YET,
    "did_not_fit": s.TRIED_DID_NOT_FIT,
}
WEEKLY_RATINGS = (
    "respect",
    "cooperation",
    "shared_understanding",
    "talk_what_matters",
    "asked_opinion",
    "helpful",
    "could_influence",
)


@dataclass(frozen=True)
class Checkin:
    week: str
    name: str
    component: str
    assignment: str
    tried: str
    went_well: str
    was_hard: str
    answer: str
    for_next_meeting: str


@dataclass(frozen=True)
class WeekScore:
    week: str
    mean: float


@dataclass(frozen=True)
class FvView:
    checkins: tuple[Checkin, ...]
    """Newest first."""
    weeks: tuple[WeekScore, ...]
    """Oldest first."""
    spark: str


def week_label(when: datetime) -> str:
    year, week, _ = when.isocalendar()
    return f"{year}-{week:02d}"


def _text(data: Mapping[str, Any], field: str, audience: Audience) -> str:
    value = data.get(field)
    return str(value) if value is not None and field_visible(data, field, audience) else ""


def _checkin(
    data: Mapping[str, Any],
    params: Mapping[str, Any],
    when: datetime,
    name: str,
    a: Audience,
    texts: Texts,
) -> Checkin:
    tried = data.get("tried")
    return Checkin(
        week=week_label(when),
        name=name,
        component=str(params.get("component") or ""),
        assignment=str(params.get("assignment") or ""),
        tried=texts(TRIED[tried]) if tried in TRIED and field_visible(data, "tried", a) else "",
        went_well=_text(data, "went_well", a),
        was_hard=_text(data, "was_hard", a),
        answer=_text(data, "component_answer", a),
        for_next_meeting=_text(data, "for_next_meeting", a),
    )


def _mean(data: Mapping[str, Any], audience: Audience) -> float | None:
    values = [
        data[f]
        for f in WEEKLY_RATINGS
        if isinstance(data.get(f), int | float) and field_visible(data, f, audience)
    ]
    return sum(values) / len(values) if values else None


def fv_view(case_file: CaseFile, texts: Texts) -> FvView:
    checkins: list[Checkin] = []
    by_week: dict[str, list[float]] = {}
    for person in case_file.people:
        params = {session.id: session.params for session in person.sessions}
        for result in person.all_of("checkin"):
            checkins.append(
                _checkin(
                    result.data,
                    params.get(result.session_id, {}),
                    result.updated_at,
                    person.name,
                    case_file.audience,
                    texts,
                )
            )
        for result in person.all_of("weekly"):
            mean = _mean(result.data, case_file.audience)
            if mean is not None:
                by_week.setdefault(week_label(result.updated_at), []).append(mean)
    weeks = tuple(WeekScore(w, sum(v) / len(v)) for w, v in sorted(by_week.items()))
    checkins.sort(key=lambda c: c.week, reverse=True)
    return FvView(tuple(checkins), weeks, sparkline([w.mean for w in weeks], 1, 7))
