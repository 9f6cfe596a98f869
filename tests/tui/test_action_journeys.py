"""The caseworker's actions through the running app (headless Pilot): a new case with its
participants, and on the family's case (A): a course, a home assignment with its check-in
«now», a meeting reminder, reminder times and sending a flow; refusals keep what was typed."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static

from companion.flows.inputs import Command, choice, command, text
from companion.reminders import Reminders
from companion.reminders.dispatcher import Dispatcher
from tui.app import CompanionApp
from tui.screens.actions import (
    ActionsMenu,
    AssignmentScreen,
    CourseForm,
    MeetingForm,
    PrefsForm,
    SendFlowForm,
)
from tui.screens.case import CaseScreen
from tui.screens.cases import CasesScreen
from tui.screens.new_case import NewCaseScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def shown(app: CompanionApp) -> str:
    return "\n".join(str(w.content) for w in app.screen.query(Static).results(Static))


def result(app: CompanionApp) -> str:
    return str(app.screen.query_one("#result", Static).content)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def open_action(pilot, app: CompanionApp, steps_down: int) -> None:
    """On the family's case (found by Omar's name), A and the action ``steps_down`` down."""
    await pilot.press("slash")
    await type_text(pilot, "omar")
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, CaseScreen)
    assert app.screen.case_file.case.title.startswith("Familien Demo")
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, ActionsMenu)
    await pilot.press(*(["down"] * steps_down), "enter")
    await pilot.pause()


async def settle(pilot) -> None:
    """The case was read again: its tabs are rebuilt by a worker."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def stop_waiting(services, pid: str) -> None:
    """The demo data leaves a conversation waiting; end it (as the parent would)."""
    for session in services.conversations.sessions_for(pid):
        if session.is_resumable:
            services.flows.resume(session.id, command(Command.STOP))


async def test_create_a_case_with_participants_then_it_opens(make, services, ali) -> None:
    """N: a missing title is refused and nothing typed is lost; then the case is created with
    both participants and opens (I can invite them from there)."""
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseScreen)
        app.screen.query_one("#name", Input).value = "Line"
        app.screen.query_one("#role", Select).value = "parent"
        await pilot.click("#add")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "Mio"
        app.screen.query_one("#role", Select).value = "child"
        app.screen.query_one("#language", Select).value = "nn"
        await pilot.click("#create")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseScreen)
        assert result(app).startswith("Ikke lagret: saken trenger et navn")
        assert "• Line (forelder, bokmål)" in shown(app)
        assert "• Mio (barn, nynorsk)" in shown(app)
        await pilot.click("#title")
        await type_text(pilot, "Familien Test")
        await pilot.click("#create")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        case = app.screen.case_file.case
        assert (case.title, case.caseworker_id) == ("Familien Test", ali.id)
        found = [p.participant for p in app.screen.case_file.people]
        people = [(p.display_name, p.role, p.locale) for p in found]
        assert people == [("Line", "parent", "nb"), ("Mio", "child", "nn")]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert any(r.title == "Familien Test" for r in app.screen.shown)


async def test_give_an_assignment_now_and_see_the_check_in(make, services, people) -> None:
    """A → home assignment, «now»: the FV tab shows it is coming; once the dispatcher sent it,
    «ikke besvart ennå»; once Nadia answered, her words."""
    nadia = people["nadia"]
    services.directory.link_channel(nadia.id, "telegram", "1002")
    stop_waiting(services, nadia.id)
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await open_action(pilot, app, 0)
        assert isinstance(app.screen, AssignmentScreen)
        form = app.screen
        assert form.query_one("#meeting-no", Input).value == "1"
        form.query_one("#component", Select).value = "se_det_positive"
        await pilot.pause()
        assert form.query_one("#text").text.startswith("Legg merke til")  # type: ignore[attr-defined]
        form.query_one("#when", Select).value = "now"
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("6")
        await pilot.pause()
        assert "Møte 1 · Nadia (demo) · Se det positive og gi ros" in shown(app)
        assert "Oppfølgingen sendes" in shown(app)
        assert Dispatcher(Reminders(services), holder="test").tick().sent == 1
        app.screen.refresh_case()
        await settle(pilot)
        assert "Oppfølgingen er sendt, ikke besvart ennå" in shown(app)
        [session] = [s for s in services.conversations.sessions_for(nadia.id) if s.is_resumable]
        for value in (choice("yes"), text("Han lyste opp"), text("Å huske det"), text("Ros")):
            services.flows.resume(session.id, value)
        services.flows.resume(session.id, text("Nei"))
        app.screen.refresh_case()
        await settle(pilot)
        words = shown(app)
        assert "Oppfølgingen er besvart" in words
        assert "Gikk bra: «Han lyste opp»" in words


async def test_the_ordering_rule_in_the_form(make, services, people) -> None:
    """With a course, a component that must wait is marked «ikke ennå» and refused unless the
    box is ticked; the form stays with the reason."""
    nadia = people["nadia"]
    Reminders(services).set_up_course(
        nadia.id, "struktur_i_hverdagen", [services.clock.now()], created_by="test"
    )
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await open_action(pilot, app, 0)
        form = app.screen
        assert isinstance(form, AssignmentScreen)
        assert form.query_one("#component", Select).value == "forutsigbar_hverdag_rutiner"
        form.query_one("#component", Select).value = "tydelige_regler"
        await pilot.click("#save")
        await pilot.pause()
        assert app.screen is form
        assert "tas de faste komponentene først" in result(app)
        form.query_one("#force").value = True  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
    [given] = Reminders(services).store.assignments_for(nadia.id)
    assert given.component == "tydelige_regler"


async def test_set_up_a_course_refusing_a_bad_date_first(make, services, people) -> None:
    nadia = people["nadia"]
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await open_action(pilot, app, 1)
        form = app.screen
        assert isinstance(form, CourseForm)
        form.query_one("#pathway", Select).value = "forsta_barnet_bedre"
        meetings = form.query_one("#meetings", Input)
        meetings.value = "2026-12-01 10:00, neste uke"
        await pilot.click("#save")
        await pilot.pause()
        assert app.screen is form and meetings.value == "2026-12-01 10:00, neste uke"
        assert result(app) == (
            "Ikke lagret: «neste uke» er ikke en dato og tid (f.eks. 2026-12-01 10:00)."
        )
        meetings.value = "2026-12-01 10:00, 2026-12-08 10:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), result(app)
    [course] = Reminders(services).store.courses_for(nadia.id)
    assert course.pathway == "forsta_barnet_bedre"
    assert len(Reminders(services).store.meetings_for(nadia.id)) == 2


async def test_a_meeting_reminder_and_reminder_times(make, services, people) -> None:
    nadia = people["nadia"]
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await open_action(pilot, app, 2)
        form = app.screen
        assert isinstance(form, MeetingForm)
        form.query_one("#at", Input).value = "2026-12-02 14:00"
        form.query_one("#place", Input).value = "Kontoret"
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        prefs = app.screen
        assert isinstance(prefs, PrefsForm)
        assert prefs.query_one("#quiet", Input).value == "21:00-08:00"
        prefs.query_one("#time", Input).value = "19:30"
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
    store = Reminders(services).store
    [meeting] = store.meetings_for(nadia.id)
    assert meeting.place == "Kontoret"
    assert len([r for r in store.reminders_for(nadia.id) if r.kind == "meeting"]) == 2
    assert store.reminder_settings(nadia.id).preferred_time == "19:30"


async def test_send_a_flow_from_the_case(make, services, people) -> None:
    """Not linked: the reason in words; linked: the weekly check goes to her chat."""
    nadia = people["nadia"]
    stop_waiting(services, nadia.id)
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await open_action(pilot, app, 4)
        form = app.screen
        assert isinstance(form, SendFlowForm)
        flows = form.query_one("#flow", Select)
        flows.value = "ukesjekk"
        await pilot.click("#save")
        await pilot.pause()
        assert "Nadia (demo) er ikke koblet til chatten ennå" in result(app)
        services.directory.link_channel(nadia.id, "telegram", "1002")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), result(app)
    [session] = [s for s in services.conversations.sessions_for(nadia.id) if s.is_resumable]
    assert session.flow_id == "ukesjekk"
    assert [i.chat_id for i in services.outbox.items("telegram")] == ["1002"]


async def test_the_actions_are_in_the_command_palette(make) -> None:
    """Ctrl+P «Ny sak» on the case list; «Handlinger» on a case."""
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "Ny sak")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseScreen)
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Handlinger")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionsMenu)
