"""The access-control proof: no staff service lets a caseworker into another caseworker's case.

Staff services are found by a rule, not a list: every class in the ``companion`` package whose
constructor takes a ``viewer`` (see ``companion/staff.py``). Every public method of each must be
in ``CALLS`` below (or in ``EXEMPT``, with the reason it touches no case data): a new method
makes ``test_every_staff_method_is_in_the_call_table`` fail until it is added here.

Each call is made as Eva (a caseworker) on Ali's case — the demo's Sara, who has sessions,
results, an open safety flag and a linked chat — and again with ids that do not exist. Each must
raise ``AccessDenied`` and leave every store as it was (only the refusal is audited).

``CaseActions.create_case`` has no case yet to be refused: its call is Eva creating a case in
Ali's name (``owner_id`` = Ali), which only a leader may do. Eva creating a case for herself is
not another caseworker's case, so it is not in the proof (tests/tui/test_actions.py covers it).
"""

from __future__ import annotations

import copy
import importlib
import inspect
import pkgutil
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import companion
from companion.access import AccessDenied, CaseGuard
from companion.accounts import Viewer
from companion.case_actions import AssignmentForm, CaseActions
from companion.case_messages import CaseMessages
from companion.case_notes import CaseNotes
from companion.config import Settings
from companion.data_rights import DataRights
from companion.demo_data import seed_demo
from companion.flows.fakes import FixedClock, SequentialIds
from companion.flows.inputs import Command, TextInput, command
from companion.reminders.service import reminder_store
from companion.services import Services, build_services, memory_services
from companion.staff import StaffCases


@dataclass(frozen=True)
class Target:
    """Ids in the victim's case (or ids that do not exist)."""

    case_id: str
    participant_id: str
    session_id: str
    flag_id: str
    owner_id: str
    """The case's caseworker (whose name a case would be created in)."""


Factory = Callable[[Services, Viewer], Any]
Call = Callable[[Any, Target], Any]

FACTORIES: dict[type, Factory] = {
    StaffCases: StaffCases,
    CaseGuard: lambda s, v: CaseGuard(s.directory, s.audit, v),
    CaseMessages: lambda s, v: CaseMessages(s.inbox_store, s.inbox, s.directory, s.audit, v),
    CaseNotes: lambda s, v: CaseNotes(s.notes, s.directory, s.audit, v),
    DataRights: DataRights,
    CaseActions: lambda s, v: CaseActions(s, v),
}

FV_MEETINGS = "2026-12-01 10:00, 2026-12-08 10:00"


CALLS: dict[tuple[type, str], Call] = {
    (StaffCases, "open_case"): lambda o, t: o.open_case(t.case_id),
    (StaffCases, "participants"): lambda o, t: o.participants(t.case_id),
    (StaffCases, "person"): lambda o, t: o.person(t.participant_id),
    (StaffCases, "own_case"): lambda o, t: o.own_case(t.case_id),
    (StaffCases, "acknowledge_flag"): lambda o, t: o.acknowledge_flag(t.flag_id),
    (StaffCases, "create_invite"): lambda o, t: o.create_invite(t.participant_id),
    (StaffCases, "run_flow"): lambda o, t: o.run_flow(t.participant_id, "hevd"),
    (StaffCases, "answer"): lambda o, t: o.answer(t.session_id, TextInput(text="hei")),
    (StaffCases, "record_export"): lambda o, t: o.record_export(t.case_id, "report", 2),
    (CaseGuard, "case"): lambda o, t: o.case(t.case_id),
    (CaseGuard, "participant"): lambda o, t: o.participant(t.participant_id),
    (CaseGuard, "deny"): lambda o, t: o.deny(t.case_id),
    (CaseMessages, "thread"): lambda o, t: o.thread(t.case_id),
    (CaseMessages, "mark_read"): lambda o, t: o.mark_read(t.case_id),
    (CaseMessages, "reply"): lambda o, t: o.reply(t.participant_id, "Hei, dette er Eva"),
    (CaseNotes, "notes"): lambda o, t: o.notes(t.case_id),
    (CaseNotes, "add"): lambda o, t: o.add(t.case_id, t.participant_id, "s/hevd", "Eva var her"),
    (DataRights, "withdraw_consent"): lambda o, t: o.withdraw_consent(t.participant_id),
    (DataRights, "confirm_deletion"): lambda o, t: o.confirm_deletion(t.participant_id),
    (CaseActions, "create_case"): lambda o, t: o.create_case("Alis nye sak", owner_id=t.owner_id),
    (CaseActions, "add_participant"): lambda o, t: o.add_participant(t.case_id, "child", "Lille"),
    (CaseActions, "course_of"): lambda o, t: o.course_of(t.participant_id),
    (CaseActions, "set_up_course"): lambda o, t: o.set_up_course(
        t.participant_id, "struktur_i_hverdagen", FV_MEETINGS, place="Kontoret", remind="1d"
    ),
    (CaseActions, "components"): lambda o, t: o.components(t.participant_id, 1),
    (CaseActions, "next_meeting_no"): lambda o, t: o.next_meeting_no(t.participant_id),
    (CaseActions, "give_assignment"): lambda o, t: o.give_assignment(
        AssignmentForm(t.participant_id, 1, "vaere_sammen", when="now", force=True)
    ),
    (CaseActions, "schedule_meeting"): lambda o, t: o.schedule_meeting(
        t.participant_id, "2026-12-02 14:00", place="Kontoret"
    ),
    (CaseActions, "preferences"): lambda o, t: o.preferences(t.participant_id),
    (CaseActions, "set_preferences"): lambda o, t: o.set_preferences(
        t.participant_id, time="19:00", quiet="22:00-07:00", timezone="UTC"
    ),
    (CaseActions, "send_flow"): lambda o, t: o.send_flow(t.participant_id, "ukesjekk"),
    (CaseActions, "send_refusal"): lambda o, t: o.send_refusal(t.participant_id),
}

EXEMPT: dict[tuple[type, str], str] = {
    (CaseMessages, "may_read"): "a predicate on a Case the caller already holds; reads no data",
    (CaseActions, "pathways"): "the Familieveiledning catalogue's pathway names; no case data",
    (CaseActions, "assignment_texts"): "a catalogue component's standard texts; no case data",
}

MISSING = Target(
    "no-such-case", "no-such-participant", "no-such-session", "no-such-flag", "no-such-caseworker"
)
_SEEDED: list[Services] = []


def staff_services() -> list[type]:
    """Every class in ``companion`` whose constructor takes ``viewer``."""
    found: dict[str, type] = {}
    for module_info in pkgutil.walk_packages(companion.__path__, "companion."):
        if module_info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(module_info.name)
        except ImportError:  # an optional extra (voice models …) that is not installed
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            try:
                parameters = inspect.signature(cls.__init__).parameters
            except (TypeError, ValueError):
                continue
            if "viewer" in parameters:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


def public_methods(cls: type) -> list[str]:
    return sorted(
        name
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and (inspect.isfunction(member) or isinstance(member, property))
    )


ALL_CALLS = sorted(CALLS, key=lambda key: (key[0].__name__, key[1]))


def test_the_rule_finds_the_staff_services() -> None:
    """The discovery works (it would pass vacuously if it found nothing)."""
    found = staff_services()
    assert {StaffCases, CaseGuard, CaseMessages, DataRights, CaseActions} <= set(found)


def test_every_staff_method_is_in_the_call_table() -> None:
    """A public method of a staff service that is not in CALLS or EXEMPT fails the proof."""
    missing = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in staff_services()
        for name in public_methods(cls)
        if (cls, name) not in CALLS and (cls, name) not in EXEMPT
    ]
    unbuilt = [cls.__qualname__ for cls in staff_services() if cls not in FACTORIES]
    assert missing == [], f"add these to CALLS in {__file__}: {missing}"
    assert unbuilt == [], f"add a factory for these to FACTORIES: {unbuilt}"
    stale = [f"{cls.__qualname__}.{name}" for cls, name in CALLS if name not in public_methods(cls)]
    assert stale == [], f"CALLS names methods that no longer exist: {stale}"


def _services() -> Services:
    """A fresh copy of demo-seeded in-memory services (seeding once keeps the proof quick)."""
    if not _SEEDED:
        clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), timedelta(seconds=1))
        seeded = memory_services(Settings(), clock=clock, ids=SequentialIds())
        seed_demo(seeded)
        _SEEDED.append(seeded)
    return copy.deepcopy(_SEEDED[0])


def _viewer(services: Services, username: str) -> Viewer:
    found = services.directory.get_caseworker_by_username(username)
    assert found is not None
    return Viewer.of(found)


def _victim(services: Services) -> Target:
    """Ali's Sara: a case with a session, results, an open high flag and a chat link."""
    ali = _viewer(services, "ali.demo")
    sara = next(
        p
        for case in services.directory.cases_for_caseworker(ali.id)
        for p in services.directory.participants_in_case(case.id)
        if p.display_name.startswith("Sara")
    )
    sessions = services.conversations.sessions_for(sara.id)
    flags = services.conversations.open_flags(sara.id)
    assert sessions and flags, "the demo must give Sara sessions and an open flag"
    return Target(sara.case_id, sara.id, sessions[-1].id, flags[0].id, ali.id)


def fingerprint(services: Services, target: Target) -> Any:
    """Everything a call could change, except the audit entries of refusals."""
    directory, store = services.directory, services.conversations
    people = directory.participants_in_case(target.case_id)
    fv = reminder_store(services)  # courses, meetings, assignments, reminders, timing
    return (
        directory.get_case(target.case_id),
        directory.list_caseworkers(),
        [directory.cases_for_caseworker(c.id) for c in directory.list_caseworkers()],
        people,
        [fv.reminder_settings(p.id) for p in people],
        [fv.courses_for(p.id) for p in people],
        [fv.meetings_for(p.id) for p in people],
        [fv.assignments_for(p.id) for p in people],
        fv.reminders_for(),
        [directory.invites_for(p.id) for p in people],
        [directory.links_for(p.id) for p in people],
        [store.sessions_for(p.id) for p in people],
        [store.results_for(p.id) for p in people],
        [store.consents_for(p.id) for p in people],
        store.open_flags(),
        services.outbox.items(),
        services.inbox_store.messages_in_case(target.case_id),
        services.notes.notes_in_case(target.case_id),
        [e for e in services.audit.entries() if not e.action.endswith(".denied")],
    )


@pytest.mark.parametrize("missing", [False, True], ids=["foreign", "missing"])
@pytest.mark.parametrize("key", ALL_CALLS, ids=lambda k: f"{k[0].__name__}.{k[1]}")
def test_a_caseworker_cannot_reach_another_caseworkers_case(
    key: tuple[type, str], missing: bool
) -> None:
    services = _services()
    victim = _victim(services)
    target = MISSING if missing else victim
    eva = _viewer(services, "eva.demo")
    before = fingerprint(services, victim)
    denials = len(services.audit.entries())
    cls, _name = key
    with pytest.raises(AccessDenied):
        CALLS[key](FACTORIES[cls](services, eva), target)
    assert fingerprint(services, victim) == before
    refusals = services.audit.entries()[denials:]
    assert refusals and all(e.action.endswith(".denied") for e in refusals)
    assert all(e.actor == "eva.demo" for e in refusals)


@pytest.mark.parametrize("key", ALL_CALLS, ids=lambda k: f"{k[0].__name__}.{k[1]}")
def test_an_admin_reaches_no_case_either(key: tuple[type, str]) -> None:
    """Admins manage accounts and see no case data, through any staff service."""
    services = _services()
    victim = _victim(services)
    it = Viewer.of(services.directory.add_caseworker("it.admin", "IT", "admin", "!"))
    before = fingerprint(services, victim)
    with pytest.raises(AccessDenied):
        CALLS[key](FACTORIES[key[0]](services, it), victim)
    assert fingerprint(services, victim) == before


def test_the_owner_gets_through_the_same_calls() -> None:
    """The proof is not vacuous: Ali, the case's own caseworker, is let in by the reads."""
    services = _services()
    target = _victim(services)
    staff = StaffCases(services, _viewer(services, "ali.demo"))
    assert staff.open_case(target.case_id).id == target.case_id
    assert staff.person(target.participant_id).flags
    assert staff.create_invite(target.participant_id).code
    staff.acknowledge_flag(target.flag_id)
    assert services.conversations.open_flags(target.participant_id) == []
    actions = [e.action for e in services.audit.entries()]
    assert {"case.viewed", "invite.created", "flag.acknowledged"} <= set(actions)


CASE_ACTION_WRITES = [
    "create_case",
    "add_participant",
    "set_up_course",
    "give_assignment",
    "schedule_meeting",
    "set_preferences",
    "send_flow",
]


@pytest.mark.parametrize("name", CASE_ACTION_WRITES)
def test_the_fingerprint_sees_what_the_owners_case_actions_change(name: str) -> None:
    """Ali's own call goes through and changes the fingerprint: a refusal that «changes
    nothing» above is checked against stores these calls really write (cases, participants,
    courses, meetings, assignments, reminders, timing, outbox)."""
    services = _services()
    target = _victim(services)
    ali = _viewer(services, "ali.demo")
    # A flow is only sent to a linked chat with no conversation in progress.
    services.directory.link_channel(target.participant_id, "telegram", "1001")
    for session in services.conversations.sessions_for(target.participant_id):
        if session.is_resumable:
            services.flows.resume(session.id, command(Command.STOP))
    before = fingerprint(services, target)
    CALLS[(CaseActions, name)](CaseActions(services, ali), target)
    assert fingerprint(services, target) != before


def test_the_owner_reads_through_case_actions() -> None:
    services = _services()
    target = _victim(services)
    actions = CaseActions(services, _viewer(services, "ali.demo"))
    assert actions.course_of(target.participant_id) is None
    assert actions.next_meeting_no(target.participant_id) == 1
    assert any(c.allowed for c in actions.components(target.participant_id, 1))
    assert actions.preferences(target.participant_id).participant_id == target.participant_id


def test_a_leader_reads_but_does_not_act_in_the_kontaktpersons_name() -> None:
    services = _services()
    target = _victim(services)
    kari = _viewer(services, "kari.demo")
    staff = StaffCases(services, kari)
    actions = CaseActions(services, kari)
    assert staff.open_case(target.case_id).id == target.case_id
    assert staff.person(target.participant_id).participant.id == target.participant_id
    assert actions.preferences(target.participant_id).participant_id == target.participant_id
    before = fingerprint(services, target)
    p = target.participant_id
    for act in (
        lambda: staff.create_invite(p),
        lambda: staff.run_flow(p, "hevd"),
        lambda: staff.answer(target.session_id, TextInput(text="hei")),
        lambda: staff.own_case(target.case_id),
        lambda: actions.add_participant(target.case_id, "parent", "Per"),
        lambda: actions.set_up_course(p, "standard", "2026-12-01 10:00"),
        lambda: actions.schedule_meeting(p, "2026-12-01 10:00"),
        lambda: actions.set_preferences(p, time="18:00", quiet="21:00-08:00", timezone="UTC"),
        lambda: actions.send_flow(p, "hevd"),
        lambda: actions.give_assignment(AssignmentForm(p, 1, "x")),
    ):
        with pytest.raises(AccessDenied):
            act()
    assert fingerprint(services, target) == before


def test_the_proof_holds_on_an_encrypted_database(tmp_path: Path) -> None:
    """Every call again, on SQLCipher: refusals change nothing, so one database serves all."""
    settings = Settings(db_path=tmp_path / "c.db", db_key=secrets.token_hex(32))
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), timedelta(seconds=1))
    services = build_services(settings, clock=clock, ids=SequentialIds(), migrate_now=True)
    seed_demo(services)
    victim = _victim(services)
    eva = _viewer(services, "eva.demo")
    for key in ALL_CALLS:
        for target in (victim, MISSING):
            before = fingerprint(services, victim)
            with pytest.raises(AccessDenied):
                CALLS[key](FACTORIES[key[0]](services, eva), target)
            assert fingerprint(services, victim) == before, key
    services.db.conn.close()
