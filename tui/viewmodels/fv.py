"""Familieveiledning: «før neste møte» (each home assignment with its check-in as it stands),
check-ins week by week, and the weekly usefulness trend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from companion.access import Audience, field_visible
from companion.content.fv_catalogue import load_catalogue
from companion.ports import Course, Meeting
from companion.reminders.service import reminder_store
from companion.reminders.summary import AssignmentCheckin, CheckinState, before_next_meeting
from companion.services import Services
from tui import action_texts as a
from tui import strings as s
from tui.i18n import Message, Texts
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
class AssignmentLine:
    """One home assignment and what came back about it (never guessed)."""

    heading: str
    text: str
    state: CheckinState
    status: str
    """In words: answered, «ikke besvart ennå», «ikke besvart», when it is sent, why not sent."""
    answers: Checkin | None
    """The check-in's answers, when there are any."""


@dataclass(frozen=True)
class WeekScore:
    week: str
    mean: float


@dataclass(frozen=True)
class FvView:
    checkins: tuple[Checkin, ...]
    """Newest first."""
    assignments: tuple[AssignmentLine, ...] = ()
    """«Før neste møte»: every assignment with its check-in, the newest first."""
    weeks: tuple[WeekScore, ...] = ()
    """Oldest first."""
    spark: str = ""
    courses: tuple[str, ...] = ()
    """Each active course in words: pathway, meeting dates, fixed components given or not."""


def checkin_text(c: Checkin, texts: Texts) -> str:
    """A check-in in words, as the FV tab and the case report show it."""
    lines = [f"{texts(s.FV_WEEK, week=c.week)} · {c.name} · {c.component}"]
    if c.assignment:
        lines.append(f"  {c.assignment}")
    if c.tried:
        lines.append(f"  {texts(s.FV_TRIED, value=c.tried)}")
    for label, value in ((s.FV_WENT_WELL, c.went_well), (s.FV_WAS_HARD, c.was_hard)):
        if value:
            lines.append(f"  {texts(label)}: «{value}»")
    if c.answer:
        lines.append(f"  «{c.answer}»")
    if c.for_next_meeting:
        lines.append(f"  {texts(s.FV_FOR_NEXT)}: «{c.for_next_meeting}»")
    return "\n".join(lines)


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


STATES: Mapping[CheckinState, Message] = {
    "answered": a.B_ANSWERED,
    "partly": a.B_PARTLY,
    "waiting": a.B_WAITING,
    "unanswered": a.B_UNANSWERED,
    "none": a.B_NONE,
}
WHY: Mapping[str, Message] = {
    "no_consent": a.WHY_NO_CONSENT,
    "unreachable": a.WHY_UNREACHABLE,
    "stopped": a.WHY_STOPPED,
    "too_late": a.WHY_LATE,
    "downtime": a.WHY_LATE,
    "quiet_hours": a.WHY_QUIET,
    "busy": a.WHY_BUSY,
    "assignment_closed": a.WHY_CLOSED,
}


@dataclass(frozen=True)
class CourseFacts:
    """A participant's active course with its meetings (oldest first)."""

    course: Course
    meetings: tuple[Meeting, ...]


@dataclass(frozen=True)
class FvFacts:
    """What the reminder store knows about a case: per participant, the assignments with
    their check-ins (newest first) and the active course."""

    assignments: Mapping[str, Sequence[AssignmentCheckin]] = field(default_factory=dict)
    courses: Mapping[str, CourseFacts] = field(default_factory=dict)


def assignments_of(services: Services, case_file: CaseFile) -> FvFacts:
    """Read the case's courses, assignments and check-ins (the case was opened, so access has
    been checked); participants without any are left out."""
    store = reminder_store(services)
    found: dict[str, list[AssignmentCheckin]] = {}
    courses: dict[str, CourseFacts] = {}
    for person in case_file.people:
        pid = person.participant.id
        items = before_next_meeting(pid, store, services.conversations)
        if items:
            found[pid] = items
        active = [c for c in store.courses_for(pid) if c.status == "active"]
        if active:
            course = active[-1]
            meetings = [m for m in store.meetings_for(pid) if m.course_id == course.id]
            ordered = tuple(sorted(meetings, key=lambda m: m.starts_at))
            courses[pid] = CourseFacts(course, ordered)
    return FvFacts(found, courses)


def course_lines(case_file: CaseFile, facts: FvFacts, texts: Texts) -> tuple[str, ...]:
    """Per course: the pathway, the meeting dates, and the fixed components given (✓) or not
    yet (○) in their order; the rest of the pathway's suggestions."""
    catalogue = load_catalogue()
    names = {c.id: c.name for c in catalogue.components}
    out = []
    for person in case_file.people:
        found = facts.courses.get(person.participant.id)
        if found is None:
            continue
        try:
            pathway = catalogue.pathway(found.course.pathway)
        except KeyError:
            continue
        given = {
            x.assignment.component
            for x in facts.assignments.get(person.participant.id, ())
            if x.assignment.course_id == found.course.id
        }
        dates = texts.list([texts.date(m.starts_at.date()) for m in found.meetings]) or "—"
        fixed = "  ".join(f"{'✓' if c in given else '○'} {names.get(c, c)}" for c in pathway.fixed)
        lines = [
            texts(a.B_COURSE, name=person.name, pathway=pathway.name),
            f"  {texts(a.B_MEETINGS, dates=dates)}",
            f"  {texts(a.B_FIXED)}: {fixed}",
        ]
        if pathway.suggested:
            more = texts.list([names.get(c, c) for c in pathway.suggested])
            lines.append(f"  {texts(a.B_SUGGESTED)}: {more}")
        out.append("\n".join(lines))
    return tuple(out)


def _status(item: AssignmentCheckin, texts: Texts) -> str:
    if item.state == "scheduled":
        return texts(a.B_SCHEDULED, when=texts.datetime(item.due_at))
    if item.state == "not_sent":
        why = WHY.get(item.note or "", a.WHY_OTHER)
        return texts(a.B_NOT_SENT, why=texts(why))
    return texts(STATES[item.state])


def assignment_lines(
    case_file: CaseFile, found: Mapping[str, Sequence[AssignmentCheckin]], texts: Texts
) -> tuple[AssignmentLine, ...]:
    catalogue = load_catalogue()
    names = {c.id: c.name for c in catalogue.components}
    lines = []
    for person in case_file.people:
        for item in found.get(person.participant.id, ()):
            given = item.assignment
            component = names.get(given.component, given.component)
            answers = None
            if item.answers:
                params = {"component": component, "assignment": given.text}
                when = item.due_at or given.assigned_at
                answers = _checkin(
                    item.answers, params, when, person.name, case_file.audience, texts
                )
            heading = texts(
                a.B_ASSIGNMENT, no=given.meeting_no, name=person.name, component=component
            )
            lines.append(
                AssignmentLine(heading, given.text, item.state, _status(item, texts), answers)
            )
    return tuple(lines)


def fv_view(
    case_file: CaseFile,
    texts: Texts,
    facts: FvFacts | None = None,
) -> FvView:
    """The tab's content; ``facts`` (from ``assignments_of``) fills the course and «før neste
    møte»."""
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
    facts = facts or FvFacts()
    lines = assignment_lines(case_file, facts.assignments, texts)
    spark = sparkline([w.mean for w in weeks], 1, 7)
    courses = course_lines(case_file, facts, texts)
    return FvView(tuple(checkins), lines, weeks, spark, courses)
