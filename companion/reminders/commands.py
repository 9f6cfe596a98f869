"""What each ``companion reminders`` command does (imported when one runs)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import datetime

from companion.config import Settings
from companion.ports import Reminder
from companion.reminders.dispatcher import Dispatcher
from companion.reminders.plans import DEFAULT_MEETING_BEFORE, Before, ReminderPlan
from companion.reminders.runner import run_blocking
from companion.reminders.service import Reminders, parse_local
from companion.reminders.summary import before_next_meeting
from companion.reminders.timing import Timing, parse_hhmm
from companion.services import build_services


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    services = build_services(settings)
    try:
        reminders = Reminders(services)
        handler = {
            "run": _run,
            "course": _course,
            "assign": _assign,
            "meeting": _meeting,
            "prefs": _prefs,
            "list": _list,
            "summary": _summary,
        }[args.action]
        return handler(reminders, args)
    finally:
        services.db.close()


def _when(reminders: Reminders, participant_id: str, text: str) -> datetime:
    zone = reminders.store.reminder_settings(participant_id).timezone
    return parse_local(text, zone)


def _show(timing: Timing, when: datetime | None) -> str:
    return "—" if when is None else timing.local(when).strftime("%a %Y-%m-%d %H:%M %Z")


def _print_reminders(reminders: Reminders, participant_id: str, found: Sequence[Reminder]) -> None:
    timing = reminders.timing(participant_id)
    for r in found:
        print(f"  {r.kind:<10} {_show(timing, r.due_at):<28} {r.status:<9} {r.note or ''}")


def _run(reminders: Reminders, args: argparse.Namespace) -> int:
    dispatcher = Dispatcher(reminders)
    print(f"reminder dispatcher {dispatcher.holder}: ticking every {args.interval:g} s")
    sent = run_blocking(dispatcher, interval=args.interval, once=args.once)
    print(f"stopped; {sent} reminder(s) handed to the outbox")
    return 0


def _course(reminders: Reminders, args: argparse.Namespace) -> int:
    meetings = [_when(reminders, args.participant, m) for m in args.meeting]
    before = [Before.parse(b) for b in args.remind]
    course, made = reminders.set_up_course(
        args.participant,
        args.pathway,
        meetings,
        created_by=args.caseworker,
        place=args.place,
        meeting_before=before,
    )
    timing = reminders.timing(args.participant)
    print(f"course {course.id} ({course.pathway}) with {len(made)} meetings:")
    for meeting in made:
        print(f"  {meeting.meeting_no}. {_show(timing, meeting.starts_at)}  ({meeting.id})")
    return 0


def _assign(reminders: Reminders, args: argparse.Namespace) -> int:
    plan = ReminderPlan(
        day_after=not args.no_reminder,
        day_after_time=parse_hhmm(args.time) if args.time else None,
        checkin_days_before=None if args.no_checkin else args.checkin_days,
        checkin_time=parse_hhmm(args.checkin_time) if args.checkin_time else None,
        checkin_now=args.now,
    )
    assignment, scheduled = reminders.give_assignment(
        args.participant,
        args.meeting_no,
        args.component,
        variant="simpler" if args.simpler else "standard",
        text=args.text,
        plan=plan,
        force=args.force,
        actor=args.caseworker,
    )
    print(f"assignment {assignment.id} ({assignment.component}, {assignment.variant}):")
    print(f"  {assignment.text}")
    _print_reminders(reminders, args.participant, scheduled)
    if not scheduled:
        print("  (no reminders: no good time before the next meeting)")
    return 0


def _meeting(reminders: Reminders, args: argparse.Namespace) -> int:
    before = [Before.parse(b) for b in args.before] or list(DEFAULT_MEETING_BEFORE)
    meeting, scheduled = reminders.schedule_meeting(
        args.participant,
        _when(reminders, args.participant, args.at),
        place=args.place,
        before=before,
        actor=args.caseworker,
    )
    timing = reminders.timing(args.participant)
    print(f"meeting {meeting.id} {_show(timing, meeting.starts_at)} {meeting.place or ''}")
    _print_reminders(reminders, args.participant, scheduled)
    return 0


def _prefs(reminders: Reminders, args: argparse.Namespace) -> int:
    quiet = None
    if args.quiet:
        start, _, end = args.quiet.partition("-")
        quiet = (start, end or start)
    settings = reminders.set_preferences(
        args.participant,
        preferred_time=args.time,
        quiet_hours=quiet,
        timezone=args.timezone,
        actor=args.caseworker,
    )
    print(
        f"participant {args.participant}: reminders at {settings.preferred_time}, quiet "
        f"{settings.quiet_start}-{settings.quiet_end}, {settings.timezone}"
    )
    return 0


def _list(reminders: Reminders, args: argparse.Namespace) -> int:
    reminders.participant(args.participant)
    _print_reminders(reminders, args.participant, reminders.store.reminders_for(args.participant))
    return 0


def _summary(reminders: Reminders, args: argparse.Namespace) -> int:
    reminders.participant(args.participant)
    timing = reminders.timing(args.participant)
    found = before_next_meeting(args.participant, reminders.store, reminders.services.conversations)
    if not found:
        print("no assignments")
    for item in found:
        a = item.assignment
        print(f"meeting {a.meeting_no}: {a.component}: {item.state} ({_show(timing, item.due_at)})")
        for name, value in item.answers.items():
            print(f"  {name}: {value}")
        if item.state == "not_sent" and item.note:
            print(f"  not sent: {item.note}")
    return 0
