"""The Overview tab: participants with consent and channel, a timeline, and what is due."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from companion.flows import Flow
from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile, Person
from tui.viewmodels.transcripts import STATUS, flow_title

ROLES = {"youth": s.PART_YOUTH, "parent": s.PART_PARENT, "child": s.PART_CHILD}


@dataclass(frozen=True)
class ParticipantLine:
    name: str
    role: str
    language: str
    channel: str
    consent: str


@dataclass(frozen=True)
class Event:
    at: datetime
    when: str
    text: str


@dataclass(frozen=True)
class OverviewView:
    title: str
    next_meeting: str
    participants: tuple[ParticipantLine, ...]
    due: tuple[str, ...]
    timeline: tuple[Event, ...]
    """Newest first."""


def _consent(person: Person, texts: Texts) -> str:
    if not person.consents:
        return texts(s.OV_CONSENT_NONE)
    last = person.consents[-1]
    message = s.OV_CONSENT_YES if last.granted else s.OV_CONSENT_NO
    return texts(message, when=texts.date(last.at))


def _channel(person: Person, texts: Texts) -> str:
    linked = texts(s.OV_LINKED) if "telegram" in person.channels else texts(s.OV_NOT_LINKED)
    return f"{linked}, {texts(s.OV_VOICE)}" if person.participant.voice else linked


def _events(person: Person, flows: Mapping[str, Flow], texts: Texts) -> list[Event]:
    loc, locale = texts.localizer, texts.locale
    events = []
    for session in person.sessions:
        status = texts(STATUS[session.status]) if session.status in STATUS else session.status
        title = flow_title(flows, session.flow_id, loc, locale)
        text = texts(s.EV_SESSION, name=person.name, flow=title, status=status)
        events.append(Event(session.updated_at, texts.datetime(session.updated_at), text))
    for flag in person.flags:
        severity = texts(s.SEVERITY_HIGH if flag.severity == "high" else s.SEVERITY_LOW)
        text = texts(s.EV_FLAG, name=person.name, severity=severity)
        events.append(Event(flag.at, texts.datetime(flag.at), text))
    for consent in person.consents:
        answer = texts(s.YES if consent.granted else s.NO)
        text = texts(s.EV_CONSENT, name=person.name, answer=answer)
        events.append(Event(consent.at, texts.datetime(consent.at), text))
    return events


def overview(case_file: CaseFile, flows: Mapping[str, Flow], texts: Texts) -> OverviewView:
    loc, locale = texts.localizer, texts.locale
    participants, due, timeline = [], [], []
    for person in case_file.people:
        p = person.participant
        participants.append(
            ParticipantLine(
                name=person.name,
                role=texts(ROLES[p.role]) if p.role in ROLES else p.role,
                language=p.locale,
                channel=_channel(person, texts),
                consent=_consent(person, texts),
            )
        )
        for session in person.sessions:
            if session.is_resumable:
                title = flow_title(flows, session.flow_id, loc, locale)
                when = texts.date(session.created_at)
                due.append(texts(s.OV_WAITING, name=person.name, flow=title, when=when))
        timeline.extend(_events(person, flows, texts))
    meeting = case_file.case.next_meeting_at
    timeline.sort(key=lambda e: e.at, reverse=True)
    return OverviewView(
        title=case_file.case.title,
        next_meeting=texts(s.OV_NEXT_MEETING, when=texts.datetime(meeting))
        if meeting
        else texts(s.OV_NO_MEETING),
        participants=tuple(participants),
        due=tuple(due) or (texts(s.OV_NOTHING_DUE),),
        timeline=tuple(timeline),
    )
