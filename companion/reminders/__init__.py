"""Home-assignment and meeting reminders for Familieveiledning: a restart-safe scheduler.

- ``Reminders`` (``service``): set up a course, give an assignment with its reminder plan,
  schedule meeting reminders, change a participant's timing, snooze;
- ``Dispatcher`` (``dispatcher``): hands due reminders to the outbox, exactly once in effect,
  under a database lease (the guarantees are in its module docstring);
- ``timing``: wall-clock times, quiet hours and DST; ``plans``: the default plans;
- ``ReminderChat`` (``chat``): «senere», «stopp», «start» from the chat;
- ``before_next_meeting`` (``summary``): each assignment with its check-in answers.

Runs inside the bot (``companion.reminders.telegram``) or alone (``companion reminders run``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.reminders.plans import (
        DEFAULT_MEETING_BEFORE,
        DEFAULT_PLAN,
        Before,
        ReminderPlan,
    )
    from companion.reminders.service import ReminderError, Reminders, reminder_store
    from companion.reminders.timing import Timing, TimingError

_HOMES = {
    "DEFAULT_MEETING_BEFORE": "plans",
    "DEFAULT_PLAN": "plans",
    "Before": "plans",
    "ReminderPlan": "plans",
    "ReminderError": "service",
    "Reminders": "service",
    "reminder_store": "service",
    "Timing": "timing",
    "TimingError": "timing",
}


def __getattr__(name: str) -> Any:
    """Lazy re-exports: ``companion reminders --help`` should not load the engine."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'companion.reminders' has no attribute {name!r}")
    return getattr(import_module(f"companion.reminders.{home}"), name)


__all__ = [
    "DEFAULT_MEETING_BEFORE",
    "DEFAULT_PLAN",
    "Before",
    "ReminderError",
    "ReminderPlan",
    "Reminders",
    "Timing",
    "TimingError",
    "reminder_store",
]
