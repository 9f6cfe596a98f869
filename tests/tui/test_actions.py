"""The caseworker's actions without the app: create a case and participants, Familieveiledning
(course, assignment with reminders, meeting reminders, reminder times), send a flow, and
«før neste møte» showing each check-in as it stands."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from companion.access import AccessDenied
from companion.accounts import Viewer
from companion.case_actions import ActionError, AssignmentForm, CaseActions
from companion.flows.inputs import Command, choice, command, text
from companion.ports import Participant
from companion.reminders import Reminders
from companion.reminders.dispatcher import Dispatcher
from companion.services import Services
from tui import action_texts as a
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile, CaseFiles
from tui.viewmodels.fv import assignments_of, fv_view

OSLO = ZoneInfo("Europe/Oslo")
MEETINGS = "2026-11-24 10:00, 2026-12-01 10:00\n2026-12-08 10:00"


def texts(services: Services) -> Texts:
    return Texts(services.engine.localizer, "nb")


def actions(services: Services, viewer: Viewer) -> CaseActions:
    return CaseActions(services, viewer)


def family_case(services: Services, viewer: Viewer) -> CaseFile:
    from tui.data import open_tui_data

    data = open_tui_data(services)
    case_id = next(
        r.id for r in data.cases.summaries(viewer.id, None) if r.title.startswith("Familien")
    )
    return CaseFiles(services, data, viewer).open(case_id)


def fv_lines(services: Services, viewer: Viewer) -> list[str]:
    case_file = family_case(services, viewer)
    view = fv_view(case_file, texts(services), assignments_of(services, case_file))
    return [f"{x.heading} | {x.status}" for x in view.assignments]


def local(when: object) -> str:
    assert hasattr(when, "astimezone")
    return when.astimezone(OSLO).strftime("%Y-%m-%d %H:%M")


def link(services: Services, person: Participant, chat: str = "1002") -> None:
    services.directory.link_channel(person.id, "telegram", chat)


def test_a_course_and_an_assignment_with_the_default_reminders(services, ali, people) -> None:
    """Struktur i hverdagen with three meetings; the ordering rule refuses «Gode beskjeder»
    first (nothing stored); the first fixed component gets the day-after reminder at the
    family's 18:00 and the check-in two days before the next meeting."""
    nadia = people["nadia"]
    act = actions(services, ali)
    course, meetings = act.set_up_course(
        nadia.id, "struktur_i_hverdagen", MEETINGS, place="Familiens hus", remind="1d, 2h"
    )
    assert course.pathway == "struktur_i_hverdagen"
    assert [local(m.starts_at) for m in meetings][0] == "2026-11-24 10:00"
    choices = {c.id: c for c in act.components(nadia.id, 1)}
    assert choices["forutsigbar_hverdag_rutiner"].allowed
    assert not choices["gode_beskjeder"].allowed
    form = AssignmentForm(nadia.id, 1, "gode_beskjeder")
    with pytest.raises(ActionError) as refused:
        act.give_assignment(form)
    assert refused.value.message == a.E_ORDER
    assert "Før «Fremme samarbeid med gode beskjeder» gjenstår" in refused.value.text(
        texts(services)
    )
    assert Reminders(services).store.assignments_for(nadia.id) == []
    assignment, reminders = act.give_assignment(
        AssignmentForm(nadia.id, 1, "forutsigbar_hverdag_rutiner")
    )
    assert assignment.variant == "standard"
    assert [(r.kind, local(r.due_at)) for r in reminders] == [
        ("assignment", "2026-11-25 18:00"),
        ("checkin", "2026-11-29 18:00"),
    ]
    assert act.next_meeting_no(nadia.id) == 2
    case_file = family_case(services, ali)
    [course_text] = fv_view(case_file, texts(services), assignments_of(services, case_file)).courses
    assert course_text.splitlines()[0] == "Nadia (demo): «Struktur i hverdagen»"
    assert "✓ Skape en forutsigbar hverdag med rutiner  ○ Følge opp barnet" in course_text
    assert "Møter: 24.11.2026, 01.12.2026 og 08.12.2026" in course_text
    mine = [e for e in services.audit.entries() if e.actor == "ali.demo"]
    assert {"reminders.course", "reminders.assignment"} <= {e.action for e in mine}


def test_edited_and_simpler_texts_and_forcing_the_order(services, ali, people) -> None:
    nadia = people["nadia"]
    act = actions(services, ali)
    act.set_up_course(nadia.id, "struktur_i_hverdagen", MEETINGS)
    with pytest.raises(ActionError) as empty:
        act.give_assignment(AssignmentForm(nadia.id, 1, "vaere_sammen", variant="edited"))
    assert empty.value.message == a.E_NO_TEXT
    edited, _ = act.give_assignment(
        AssignmentForm(
            nadia.id,
            1,
            "vaere_sammen",
            variant="edited",
            text="Lek med Omar i ti minutter.",
            force=True,
            when="none",
        )
    )
    assert (edited.variant, edited.text) == ("edited", "Lek med Omar i ti minutter.")
    standard, simpler = act.assignment_texts("se_det_positive")
    given, none = act.give_assignment(
        AssignmentForm(nadia.id, 2, "se_det_positive", variant="simpler", force=True, when="none")
    )
    assert given.text == simpler != standard
    assert none == []


def test_bad_input_is_refused_with_a_reason_and_stores_nothing(services, ali, people) -> None:
    nadia = people["nadia"]
    act = actions(services, ali)
    cases = [
        (lambda: act.set_up_course(nadia.id, "struktur_i_hverdagen", "neste tirsdag"), a.E_DATE),
        (lambda: act.set_up_course(nadia.id, "struktur_i_hverdagen", " , "), a.E_NO_MEETINGS),
        (lambda: act.schedule_meeting(nadia.id, "2026-12-01 10:00", before="i morgen"), a.E_BEFORE),
        (lambda: act.schedule_meeting(nadia.id, "2020-01-01 10:00"), a.E_PAST),
        (lambda: act.set_preferences(nadia.id, time="kl 6", quiet="21:00-08:00", timezone="Europe/Oslo"), a.E_TIME),
        (lambda: act.set_preferences(nadia.id, time="18:00", quiet="21:00-08:00", timezone="Mars/Base"), a.E_ZONE),
        (lambda: act.give_assignment(AssignmentForm(nadia.id, 0, "vaere_sammen")), a.E_MEETING_NO),
    ]  # fmt: skip
    for call, message in cases:
        with pytest.raises(ActionError) as refused:
            call()
        assert refused.value.message == message
        assert refused.value.text(texts(services))
    store = Reminders(services).store
    assert store.courses_for(nadia.id) == []
    assert store.meetings_for(nadia.id) == []
    assert store.reminders_for(nadia.id) == []
    assert store.reminder_settings(nadia.id).preferred_time == "18:00"


def test_meeting_reminders_and_reminder_times(services, ali, people) -> None:
    """A meeting with reminders the day before and two hours before; a later preferred time
    and other quiet hours are stored."""
    nadia = people["nadia"]
    act = actions(services, ali)
    meeting, reminders = act.schedule_meeting(
        nadia.id, "2026-12-02 14:00", place="Kontoret", before="1d, 2h"
    )
    assert meeting.place == "Kontoret"
    assert [local(r.due_at) for r in reminders] == ["2026-12-01 14:00", "2026-12-02 12:00"]
    saved = act.set_preferences(nadia.id, time="19:30", quiet="22:00-07:00", timezone="Europe/Oslo")
    assert (saved.preferred_time, saved.quiet_start, saved.quiet_end) == ("19:30", "22:00", "07:00")
    assert act.preferences(nadia.id).preferred_time == "19:30"


def test_another_caseworkers_case_is_refused_and_audited(services, eva, people) -> None:
    nadia = people["nadia"]
    act = actions(services, eva)
    calls = [
        lambda: act.set_up_course(nadia.id, "struktur_i_hverdagen", MEETINGS),
        lambda: act.give_assignment(AssignmentForm(nadia.id, 1, "vaere_sammen")),
        lambda: act.schedule_meeting(nadia.id, "2026-12-02 14:00"),
        lambda: act.set_preferences(nadia.id, time="19:00", quiet="21:00-08:00", timezone="UTC"),
        lambda: act.send_flow(nadia.id, "ukesjekk"),
        lambda: act.add_participant(nadia.case_id, "child", "Lille", "nb"),
    ]
    for call in calls:
        with pytest.raises(AccessDenied):
            call()
    denied = [e for e in services.audit.entries() if e.action == "case.denied"]
    assert len(denied) == len(calls) and {e.actor for e in denied} == {"eva.demo"}
    assert Reminders(services).store.reminders_for(nadia.id) == []
    assert len(services.directory.participants_in_case(nadia.case_id)) == 2


def test_create_a_case_for_oneself_and_add_participants(services, ali, kari, eva) -> None:
    """A caseworker creates cases for themself only; a leader may create one for a caseworker."""
    act = actions(services, ali)
    case = act.create_case("  Familien   Test ")
    assert (case.title, case.caseworker_id) == ("Familien Test", ali.id)
    parent = act.add_participant(case.id, "parent", "Line", "nn")
    assert (parent.role, parent.locale, parent.display_name) == ("parent", "nn", "Line")
    for bad in ("", " " * 3, "x" * 81):
        with pytest.raises(ActionError):
            act.create_case(bad)
    with pytest.raises(ActionError):
        act.add_participant(case.id, "parent", "", "nb")
    with pytest.raises(ActionError):
        act.add_participant(case.id, "uncle", "Per", "nb")
    with pytest.raises(AccessDenied):
        act.create_case("Eva sin sak", owner_id=eva.id)
    made = actions(services, kari).create_case("Fordelt sak", owner_id=eva.id)
    assert made.caseworker_id == eva.id
    assert [p.display_name for p in services.directory.participants_in_case(case.id)] == ["Line"]
    created = [e for e in services.audit.entries() if e.action == "case.created"]
    assert [e.actor for e in created] == ["ali.demo", "kari.demo"]


def test_send_a_flow_says_why_not_and_then_sends(services, ali, people) -> None:
    """Without a chat the reason is given in words; linked, the flow goes to the outbox."""
    nadia = people["nadia"]
    act = actions(services, ali)
    with pytest.raises(ActionError) as refused:
        act.send_flow(nadia.id, "ukesjekk")
    assert refused.value.message == a.S_NO_CHAT
    assert "Nadia (demo) er ikke koblet til chatten" in refused.value.text(texts(services))
    link(services, nadia)
    for session in services.conversations.sessions_for(nadia.id):
        if session.is_resumable:  # the demo data leaves one waiting
            with pytest.raises(ActionError) as busy:
                act.send_flow(nadia.id, "ukesjekk")
            assert busy.value.message == a.S_BUSY
            services.flows.resume(session.id, command(Command.STOP))
            break
    with pytest.raises(ActionError):
        act.send_flow(nadia.id, "hevd")  # a flow for youths
    session_id = act.send_flow(nadia.id, "ukesjekk")
    [item] = [i for i in services.outbox.items("telegram") if i.chat_id == "1002"]
    assert item.payload
    sent = [e for e in services.audit.entries() if e.action == "flow.sent"]
    assert sent[-1].actor == "ali.demo" and sent[-1].details["session_id"] == session_id


def test_before_next_meeting_shows_a_check_in_as_it_stands(services, ali, people) -> None:
    """«Now»: scheduled → sent, not answered yet → answered with the answers; a check-in that
    ended without answers says so."""
    nadia = people["nadia"]
    link(services, nadia)
    act = actions(services, ali)
    for session in services.conversations.sessions_for(nadia.id):
        if session.is_resumable:
            services.flows.resume(session.id, command(Command.STOP))
    act.give_assignment(AssignmentForm(nadia.id, 1, "se_det_positive", when="now"))
    [line] = fv_lines(services, ali)
    assert line.startswith("Møte 1 · Nadia (demo) · Se det positive og gi ros")
    assert "Oppfølgingen sendes" in line
    report = Dispatcher(Reminders(services), holder="test").tick()
    assert report.sent == 1
    [line] = fv_lines(services, ali)
    assert line.endswith("Oppfølgingen er sendt, ikke besvart ennå")
    [session] = [s for s in services.conversations.sessions_for(nadia.id) if s.is_resumable]
    for value in (choice("partly"), text("Han smilte"), text("Å huske det"), text("Han ryddet")):
        services.flows.resume(session.id, value)
    services.flows.resume(session.id, text("Nei"))
    case_file = family_case(services, ali)
    view = fv_view(case_file, texts(services), assignments_of(services, case_file))
    [answered] = view.assignments
    assert answered.status == "Oppfølgingen er besvart"
    assert answered.answers is not None
    assert (answered.answers.tried, answered.answers.went_well) == ("delvis", "Han smilte")
    act.give_assignment(AssignmentForm(nadia.id, 2, "gode_beskjeder", when="now"))
    Dispatcher(Reminders(services), holder="test").tick()
    [second] = [s for s in services.conversations.sessions_for(nadia.id) if s.is_resumable]
    services.flows.resume(second.id, command(Command.STOP))
    newest, _ = fv_lines(services, ali)
    assert newest.endswith("Oppfølgingen ble sendt, men ikke besvart")
