"""Snapshots of the actions at 80×24 and 120×40: the menu, the home-assignment form, a new
case, and «før neste møte» with one check-in answered and one not answered yet."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from companion.case_actions import AssignmentForm, CaseActions
from companion.flows.inputs import Command, choice, command, text
from companion.reminders import Reminders
from companion.reminders.dispatcher import Dispatcher

SIZES = [(80, 24), (120, 40)]
FAMILY = ("slash", "o", "m", "a", "r", "enter", "enter")


def _keys(*keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        for field in pilot.app.screen.query(Input).results(Input):
            field.cursor_blink = False
        for area in pilot.app.screen.query(TextArea).results(TextArea):
            area.cursor_blink = False
        await pilot.pause()

    return run_before


SCREENS = {
    "actions_menu": (*FAMILY, "a"),
    "assignment_form": (*FAMILY, "a", "enter"),
    "new_case": ("n",),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_action_screen(snap_compare, make, screen: str, size: tuple[int, int]) -> None:
    app = make(login_as="ali.demo", poll_seconds=60)
    assert snap_compare(app, terminal_size=size, run_before=_keys(*SCREENS[screen]))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_before_next_meeting(
    snap_compare, make, services, people, ali, size: tuple[int, int]
) -> None:
    """A course; meeting 1's check-in answered, meeting 2's sent and not answered yet."""
    nadia = people["nadia"]
    services.directory.link_channel(nadia.id, "telegram", "1002")
    for session in services.conversations.sessions_for(nadia.id):
        if session.is_resumable:
            services.flows.resume(session.id, command(Command.STOP))
    act = CaseActions(services, ali)
    meetings = "2026-11-23 08:00, 2026-11-30 10:00, 2026-12-07 10:00"
    act.set_up_course(nadia.id, "samarbeid_konflikt_foreldre_barn", meetings)
    dispatcher = Dispatcher(Reminders(services), holder="test")
    act.give_assignment(AssignmentForm(nadia.id, 1, "se_det_positive", when="now"))
    dispatcher.tick()
    [first] = [s for s in services.conversations.sessions_for(nadia.id) if s.is_resumable]
    for value in (
        choice("yes"),
        text("Han lyste opp"),
        text("Huske det"),
        text("Ros"),
        text("Nei"),
    ):
        services.flows.resume(first.id, value)
    act.give_assignment(AssignmentForm(nadia.id, 2, "gode_beskjeder", when="now"))
    dispatcher.tick()
    app = make(login_as="ali.demo", poll_seconds=60)
    assert snap_compare(app, terminal_size=size, run_before=_keys(*FAMILY, "6"))
