"""``companion reminders …``: run the dispatcher alone, and set up courses, assignments, meeting
reminders and a participant's timing until the TUI does it.

Dates and times are wall-clock times in the participant's time zone (``2026-03-24T10:00``).
Parsers are registered cheaply; each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
from typing import Any

HELP = "home-assignment and meeting reminders (Familieveiledning)"


def add_parsers(commands: Any) -> None:
    """Register ``companion reminders`` on the CLI's sub-parsers."""
    parser = commands.add_parser("reminders", help=HELP)
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    run = actions.add_parser("run", help="run the dispatcher alone (the bot runs it by default)")
    run.add_argument("--once", action="store_true", help="one tick, then exit")
    run.add_argument("--interval", type=float, default=5.0, help="seconds between ticks")

    course = actions.add_parser("course", help="set up a course: pathway and meeting dates")
    course.add_argument("participant")
    course.add_argument("--pathway", required=True, help="e.g. struktur_i_hverdagen")
    course.add_argument(
        "--meeting", action="append", required=True, metavar="WHEN", help="repeat per meeting"
    )
    course.add_argument("--place", help="where the meetings are")
    course.add_argument(
        "--remind", action="append", default=[], metavar="BEFORE", help="meeting reminders: 1d, 2h"
    )
    course.add_argument("--caseworker", default="cli", help="who sets it up (for the audit log)")

    assign = actions.add_parser("assign", help="give a home assignment and schedule reminders")
    assign.add_argument("participant")
    assign.add_argument("--meeting-no", type=int, required=True, help="the meeting it was given at")
    assign.add_argument("--component", required=True, help="e.g. se_det_positive")
    variant = assign.add_mutually_exclusive_group()
    variant.add_argument("--simpler", action="store_true", help="the simpler variant")
    variant.add_argument("--text", help="the assignment in your own words")
    assign.add_argument("--time", help="the day-after reminder at HH:MM (default: theirs)")
    assign.add_argument("--checkin-time", help="the check-in at HH:MM (default: theirs)")
    assign.add_argument("--checkin-days", type=int, default=2, help="days before the next meeting")
    assign.add_argument("--no-reminder", action="store_true", help="no day-after reminder")
    assign.add_argument("--no-checkin", action="store_true", help="no check-in")
    assign.add_argument("--now", action="store_true", help="send the check-in now instead")
    assign.add_argument("--force", action="store_true", help="give it despite the order rule")
    assign.add_argument("--caseworker", default="cli")

    meeting = actions.add_parser("meeting", help="a meeting with reminders before it")
    meeting.add_argument("participant")
    meeting.add_argument("--at", required=True, metavar="WHEN")
    meeting.add_argument("--place")
    meeting.add_argument(
        "--before", action="append", default=[], metavar="BEFORE", help="1d, 1d@18:00, 2h …"
    )
    meeting.add_argument("--caseworker", default="cli")

    prefs = actions.add_parser("prefs", help="a participant's reminder time, quiet hours, zone")
    prefs.add_argument("participant")
    prefs.add_argument("--time", help="preferred time HH:MM")
    prefs.add_argument("--quiet", help="quiet hours HH:MM-HH:MM (equal: none)")
    prefs.add_argument("--timezone", help="e.g. Europe/Oslo")
    prefs.add_argument("--caseworker", default="cli")

    listing = actions.add_parser("list", help="a participant's reminders")
    listing.add_argument("participant")

    summary = actions.add_parser("summary", help="«før neste møte»: assignments and check-ins")
    summary.add_argument("participant")

    for sub in (run, course, assign, meeting, prefs, listing, summary):
        sub.set_defaults(func=cmd_reminders)


def cmd_reminders(args: argparse.Namespace) -> int:
    from companion.chat_commands import ChatCommandError
    from companion.config import load_settings
    from companion.reminders.commands import run_command
    from companion.reminders.service import ReminderError
    from companion.reminders.timing import TimingError

    try:
        return run_command(args, load_settings())
    except (ReminderError, TimingError) as error:
        raise ChatCommandError(str(error)) from None
