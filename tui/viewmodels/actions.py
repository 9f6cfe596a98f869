"""The TUI's side of a caseworker's actions: the service itself (``CaseActions``, with its access
checks and input rules) is in the core, ``companion.case_actions``, so the access-control proof
covers it; this adds only what the screens need to show its results."""

from __future__ import annotations

from collections.abc import Sequence

from companion.case_actions import LANGUAGES as LANGUAGES
from companion.case_actions import MAX_NAME as MAX_NAME
from companion.case_actions import MAX_TITLE as MAX_TITLE
from companion.case_actions import ROLES as ROLES
from companion.case_actions import ActionError as ActionError
from companion.case_actions import AssignmentForm as AssignmentForm
from companion.case_actions import CaseActions as CaseActions
from companion.case_actions import ComponentChoice as ComponentChoice
from companion.case_actions import When as When
from companion.ports import Reminder
from companion.reminders.timing import zone
from tui import action_texts as a
from tui.i18n import Texts


def meeting_summary(texts: Texts, reminders: Sequence[Reminder], tz: str) -> str:
    """«tir. 1. des. 09:00, …» for the confirmation after saving."""
    if not reminders:
        return texts(a.A_NO_REMINDERS)
    return texts.list([texts.datetime(r.due_at.astimezone(zone(tz))) for r in reminders])
