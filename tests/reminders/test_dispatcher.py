"""Time travel with an injected clock: a Familieveiledning course across DST, downtime, quiet
hours, check-ins, cancellation and settings; on the fakes and on SQLite alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.flows.inputs import choice, text
from companion.ports import Participant, Reminder
from companion.reminders import ReminderPlan, Timing
from companion.reminders.dispatcher import Policy
from companion.reminders.summary import before_next_meeting
from tests.reminders.support import OSLO, World, family, oslo, world

KINDS = ["memory", "sqlite"]
MONDAYS_AROUND_SPRING = [oslo(2026, 3, d, 10) for d in (16, 23, 30)] + [oslo(2026, 4, 6, 10)]
MONDAYS_AROUND_AUTUMN = [oslo(2026, 10, 12, 10), oslo(2026, 10, 19, 10), oslo(2026, 10, 26, 10)]


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(w: World, until: datetime, step: timedelta = timedelta(minutes=30)) -> None:
    """Tick every ``step`` from now until ``until`` (a dispatcher that is always up)."""
    while w.clock.now() < until:
        w.at(w.clock.now() + step)


def sent(w: World, participant: Participant) -> list[Reminder]:
    found = w.reminders.store.reminders_for(participant.id, status="sent")
    return sorted(found, key=lambda r: r.handled_at or r.due_at)


def local(when: datetime | None) -> str:
    assert when is not None
    return when.astimezone(OSLO).strftime("%a %d.%m %H:%M %Z")


@pytest.fixture
def course(kind: str, tmp_path: Path) -> Iterator[tuple[World, Participant]]:
    w = world(kind, tmp_path, oslo(2026, 3, 16, 12))
    nadia = family(w.services)
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
    )
    yield w, nadia
    if w.services.db is not None:
        w.services.db.close()


def test_a_course_across_the_spring_dst_change_keeps_the_familys_clock_time(
    course: tuple[World, Participant],
) -> None:
    """Reminders at 18:00 Oslo time the day after each meeting and check-ins two days before
    the next, before and after the clocks go forward on 29 March (UTC shifts, local does not)."""
    w, nadia = course
    w.reminders.give_assignment(nadia.id, 1, "vaere_sammen")
    run(w, oslo(2026, 3, 23, 12))
    w.reminders.give_assignment(nadia.id, 2, "bekrefte_folelser_fire_steg")
    run(w, oslo(2026, 3, 30, 12))
    w.reminders.give_assignment(nadia.id, 3, "bekrefte_folelser_utdyping")
    run(w, oslo(2026, 4, 6, 9))
    assert [(r.kind, local(r.handled_at)) for r in sent(w, nadia)] == [
        ("assignment", "Tue 17.03 18:00 CET"),
        ("checkin", "Sat 21.03 18:00 CET"),
        ("assignment", "Tue 24.03 18:00 CET"),
        ("checkin", "Sat 28.03 18:00 CET"),
        ("assignment", "Tue 31.03 18:00 CEST"),
        ("checkin", "Sat 04.04 18:00 CEST"),
    ]
    utc_hours = [r.handled_at.astimezone(UTC).hour for r in sent(w, nadia) if r.handled_at]
    assert utc_hours == [17, 17, 17, 17, 16, 16]
    assert [i.kind for i in w.outbox()] == ["text", "events"] * 3
    assert "tirsdag 24. mars" not in w.texts()[1]
    assert "mandag 23. mars" in w.texts()[1]


def test_the_autumn_change_too(kind: str, tmp_path: Path) -> None:
    """Clocks go back on 25 October: 18:00 stays 18:00 for the family."""
    w = world(kind, tmp_path, oslo(2026, 10, 19, 12))
    nadia = family(w.services)
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_AUTUMN, created_by="kari"
    )
    w.reminders.give_assignment(nadia.id, 2, "vaere_sammen", force=True)
    run(w, oslo(2026, 10, 26, 9))
    assert [(r.kind, local(r.handled_at)) for r in sent(w, nadia)] == [
        ("assignment", "Tue 20.10 18:00 CEST"),
        ("checkin", "Sat 24.10 18:00 CEST"),
    ]
    w.reminders.give_assignment(nadia.id, 3, "vaere_sammen", force=True)
    run(w, oslo(2026, 10, 28, 9))
    last = sent(w, nadia)[-1]
    assert local(last.handled_at) == "Tue 27.10 18:00 CET"


def test_downtime_inside_the_grace_window_is_sent_older_is_recorded_as_missed(
    kind: str, tmp_path: Path
) -> None:
    """Down from 17:00 to 20:00: the 18:00 reminder goes out at 20:00 (grace 6 h). Down until
    the next morning: it is recorded as missed, never sent late."""
    for back, expected in ((oslo(2026, 3, 17, 20), "sent"), (oslo(2026, 3, 18, 9), "missed")):
        w = world(kind, tmp_path / expected, oslo(2026, 3, 16, 12))
        nadia = family(w.services)
        w.reminders.set_up_course(
            nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
        )
        w.reminders.give_assignment(nadia.id, 1, "vaere_sammen")
        w.at(oslo(2026, 3, 17, 17))
        w.at(back)
        [reminder] = [
            r for r in w.reminders.store.reminders_for(nadia.id) if r.kind == "assignment"
        ]
        assert reminder.status == expected
        assert reminder.note == ("enqueued" if expected == "sent" else "downtime")
        assert len(w.texts()) == (1 if expected == "sent" else 0)


def test_never_sent_late_at_night_deferred_to_the_morning(kind: str, tmp_path: Path) -> None:
    """Due 20:30, back at 21:30 (inside the grace window, but quiet): it waits until 08:00 the
    next morning, which is already summer time (the night of 28–29 March)."""
    w = world(kind, tmp_path, oslo(2026, 3, 23, 12))
    nadia = family(w.services)
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
    )
    w.reminders.set_preferences(nadia.id, preferred_time="20:30")
    w.reminders.give_assignment(
        nadia.id, 2, "vaere_sammen", force=True, plan=ReminderPlan(day_after=False)
    )
    [checkin] = w.reminders.store.reminders_for(nadia.id)
    assert local(checkin.due_at) == "Sat 28.03 20:30 CET"
    w.at(oslo(2026, 3, 28, 21, 30))
    [checkin] = w.reminders.store.reminders_for(nadia.id)
    assert (checkin.status, checkin.note) == ("pending", "quiet_hours")
    assert checkin.due_at == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    assert local(checkin.due_at) == "Sun 29.03 08:00 CEST"
    for night in (oslo(2026, 3, 28, 23), oslo(2026, 3, 29, 3), oslo(2026, 3, 29, 7, 59)):
        w.at(night)
    assert w.outbox() == []
    w.at(checkin.due_at)
    [checkin] = w.reminders.store.reminders_for(nadia.id)
    assert checkin.status == "sent"
    assert [d.status for d in w.reminders.store.deliveries_for(checkin.id)] == [
        "deferred",
        "sent",
    ]


def test_a_meeting_reminder_that_cannot_wait_for_the_morning_is_missed(
    kind: str, tmp_path: Path
) -> None:
    """A 07:30 meeting: its reminder was moved to 20:45 the evening before; if the dispatcher
    is down then and back at 21:30, the morning is too late: missed, not sent at night."""
    w = world(kind, tmp_path, oslo(2026, 5, 1, 12))
    nadia = family(w.services)
    w.reminders.schedule_meeting(nadia.id, oslo(2026, 5, 5, 7, 30), place="Kontoret")
    day_before, two_hours = w.reminders.store.reminders_for(nadia.id)
    assert local(day_before.due_at) == "Mon 04.05 08:00 CEST"  # 07:30 is quiet
    reminder = two_hours
    assert local(reminder.due_at) == "Mon 04.05 20:45 CEST"
    w.at(oslo(2026, 5, 4, 21, 30))
    found = w.reminders.store.get_reminder(reminder.id)
    assert found is not None
    assert (found.status, found.note) == ("missed", "quiet_hours")


def test_no_reminder_is_ever_sent_in_the_quiet_hours(kind: str, tmp_path: Path) -> None:
    """Many families with random preferred times and a dispatcher that is down at random:
    every reminder that went out did so between 08:00 and 21:00 local time."""
    import random

    rng = random.Random(7)
    w = world(kind, tmp_path, oslo(2026, 3, 16, 12))
    families = []
    for n in range(6):
        parent = family(w.services, f"P{n}", chat=1000 + n)
        w.reminders.set_up_course(
            parent.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
        )
        w.reminders.set_preferences(
            parent.id, preferred_time=f"{rng.randint(6, 23):02d}:{rng.choice([0, 30]):02d}"
        )
        w.reminders.give_assignment(parent.id, 1, "vaere_sammen")
        w.reminders.schedule_meeting(parent.id, oslo(2026, 3, 25, rng.randint(8, 15)))
        families.append(parent)
    while w.clock.now() < oslo(2026, 3, 30, 9):
        step = timedelta(minutes=rng.choice([10, 30, 60, 180, 420]))
        w.clock.advance(step)
        if rng.random() < 0.8:
            w.at(w.clock.now())
    handled = [r for p in families for r in sent(w, p)]
    assert len(handled) >= 6
    for reminder in handled:
        assert reminder.handled_at is not None
        assert 8 <= reminder.handled_at.astimezone(OSLO).hour < 21, local(reminder.handled_at)


def test_each_reminder_is_enqueued_once_however_often_the_dispatcher_ticks(
    kind: str, tmp_path: Path
) -> None:
    w = world(kind, tmp_path, oslo(2026, 3, 16, 12))
    nadia = family(w.services)
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
    )
    w.reminders.give_assignment(nadia.id, 1, "vaere_sammen")
    for _ in range(3):
        w.at(oslo(2026, 3, 17, 18, 5))
    assert len(w.outbox()) == 1
    assert w.services.outbox.processed(f"reminder:{sent(w, nadia)[0].idempotency_key}")


def test_the_check_in_answers_land_on_the_assignment(kind: str, tmp_path: Path) -> None:
    """The check-in starts ``fv_checkin`` with the assignment's text, component and question;
    its answers show in «før neste møte»; an unanswered one shows as waiting, never guessed."""
    w = world(kind, tmp_path, oslo(2026, 3, 16, 12))
    nadia = family(w.services)
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
    )
    first, _ = w.reminders.give_assignment(nadia.id, 1, "vaere_sammen", variant="simpler")
    [before] = before_next_meeting(nadia.id, w.reminders.store, w.services.conversations)
    assert before.state == "scheduled"
    run(w, oslo(2026, 3, 21, 18, 30))
    [before] = before_next_meeting(nadia.id, w.reminders.store, w.services.conversations)
    assert before.state == "waiting" and before.answers == {}
    session = w.services.conversations.get_session(before.session_id or "")
    assert session is not None
    assert session.params["assignment"] == first.text == first.simpler_text
    assert session.params["component"] == "Være sammen"
    assert session.params["question"].startswith("Hva gjorde barnet")
    flows = w.services.channel_flows
    sprint = flows.resume(session, choice("yes"))
    for words in ("Hun lo mye", "Å finne tid", "Hun bestemte leken", "Nei"):
        sprint = flows.resume(sprint.session, text(words))
    assert sprint.session.status == "completed"
    [before] = before_next_meeting(nadia.id, w.reminders.store, w.services.conversations)
    assert before.state == "answered"
    assert before.answers["tried"] == "yes"
    assert before.answers["went_well"] == "Hun lo mye"
    assigned = w.reminders.store.assignment_for_session(sprint.session.id)
    assert assigned is not None and assigned.id == first.id

    second, _ = w.reminders.give_assignment(nadia.id, 2, "bekrefte_folelser_fire_steg")
    run(w, oslo(2026, 3, 28, 19))
    w.services.channel_flows.resume(
        w.services.conversations.open_session(nadia.id),  # type: ignore[arg-type]
        text("stopp"),
    )
    newest, older = before_next_meeting(nadia.id, w.reminders.store, w.services.conversations)
    assert newest.assignment.id == second.id
    assert (newest.state, dict(newest.answers)) == ("unanswered", {})
    assert older.state == "answered"


def test_a_check_in_waits_while_another_conversation_is_going_on(kind: str, tmp_path: Path) -> None:
    w = world(kind, tmp_path, oslo(2026, 3, 16, 12))
    nadia = family(w.services)
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
    )
    w.reminders.give_assignment(nadia.id, 1, "vaere_sammen", plan=ReminderPlan(day_after=False))
    w.clock.set(oslo(2026, 3, 21, 17, 50))
    w.services.channel_flows.start("ukesjekk", participant_id=nadia.id, locale="nb")
    w.at(oslo(2026, 3, 21, 18))
    [checkin] = w.reminders.store.reminders_for(nadia.id)
    assert (checkin.status, checkin.note) == ("pending", "busy")
    assert local(checkin.due_at) == "Sat 21.03 18:30 CET"
    w.at(oslo(2026, 3, 21, 20, 30))
    [checkin] = w.reminders.store.reminders_for(nadia.id)
    assert checkin.status == "sent"


def test_rules_at_send_time_skip_or_cancel(kind: str, tmp_path: Path) -> None:
    """Stopped → skipped; no consent → skipped; unreachable → skipped; closed assignment and
    cancelled meeting → cancelled. Nothing is enqueued for any of them."""
    w = world(kind, tmp_path, oslo(2026, 3, 16, 12))
    d = w.services.directory
    stopped = family(w.services, "A", chat=1)
    d.update_participant(stopped.id, messages_stopped=True)
    unconsented = family(w.services, "B", chat=2, consent=False)
    blocked = family(w.services, "C", chat=3)
    d.set_reachable("telegram", "3", False)
    closed = family(w.services, "D", chat=4)
    cancelled = family(w.services, "E", chat=5)
    for parent in (stopped, unconsented, blocked, closed):
        w.reminders.give_assignment(parent.id, 1, "vaere_sammen")
    meeting, _ = w.reminders.schedule_meeting(cancelled.id, oslo(2026, 3, 20, 12))
    [assignment] = w.reminders.store.assignments_for(closed.id)
    assert w.reminders.store.close_assignment(assignment.id)
    assert w.reminders.store.cancel_meeting(meeting.id)
    run(w, oslo(2026, 3, 25, 12))
    outcomes = {
        p.display_name: sorted({(r.status, r.note) for r in w.reminders.store.reminders_for(p.id)})
        for p in (stopped, unconsented, blocked, closed, cancelled)
    }
    assert outcomes == {
        "A": [("skipped", "stopped")],
        "B": [("skipped", "no_consent")],
        "C": [("skipped", "unreachable")],
        "D": [("cancelled", "assignment_closed")],
        "E": [("cancelled", "meeting_cancelled")],
    }
    assert w.outbox() == []


def test_changing_the_preferred_time_moves_pending_reminders(kind: str, tmp_path: Path) -> None:
    w = world(kind, tmp_path, oslo(2026, 3, 16, 12))
    nadia = family(w.services)
    w.reminders.set_up_course(
        nadia.id, "forsta_barnet_bedre", MONDAYS_AROUND_SPRING, created_by="kari"
    )
    w.reminders.give_assignment(nadia.id, 1, "vaere_sammen")
    w.reminders.set_preferences(nadia.id, preferred_time="07:15")
    assert [local(r.due_at) for r in w.reminders.store.reminders_for(nadia.id)] == [
        "Tue 17.03 08:00 CET",  # 07:15 is in the quiet hours
        "Sat 21.03 08:00 CET",
    ]
    w.reminders.set_preferences(nadia.id, preferred_time="12:00", quiet_hours=("22:00", "07:00"))
    assert [local(r.due_at) for r in w.reminders.store.reminders_for(nadia.id)] == [
        "Tue 17.03 12:00 CET",
        "Sat 21.03 12:00 CET",
    ]
    w.reminders.set_preferences(nadia.id, timezone="America/New_York")
    ny = Timing.of(w.reminders.store.reminder_settings(nadia.id))
    assert [
        ny.local(r.due_at).strftime("%H:%M") for r in w.reminders.store.reminders_for(nadia.id)
    ] == [
        "12:00",
        "12:00",
    ]


def test_a_caseworkers_now_is_sent_at_once_even_at_night(kind: str, tmp_path: Path) -> None:
    """The demo's «reminder now»: the check-in goes out at the next tick (an explicit choice)."""
    w = world(kind, tmp_path, oslo(2026, 3, 16, 22, 30))
    nadia = family(w.services)
    w.reminders.give_assignment(nadia.id, 1, "vaere_sammen", plan=ReminderPlan(checkin_now=True))
    report = w.at(oslo(2026, 3, 16, 22, 30))
    assert report.sent == 1
    assert [i.kind for i in w.outbox()] == ["events"]


def test_a_failing_reminder_does_not_stop_the_others(kind: str, tmp_path: Path) -> None:
    w = world(kind, tmp_path, oslo(2026, 3, 16, 12), policy=Policy(batch=10))
    a = family(w.services, "A", chat=1)
    b = family(w.services, "B", chat=2)
    for parent in (a, b):
        w.reminders.give_assignment(parent.id, 1, "vaere_sammen")
    original = w.dispatcher._text

    def broken(r, participant, timing):
        if participant.id == a.id:
            raise RuntimeError("a bug")
        return original(r, participant, timing)

    w.dispatcher._text = broken  # type: ignore[method-assign]
    report = w.at(oslo(2026, 3, 17, 18))
    assert report.outcomes == {"error": 1, "sent": 1}
    [failed] = [r for r in w.reminders.store.reminders_for(a.id) if r.kind == "assignment"]
    assert (failed.status, failed.note) == ("pending", "error:RuntimeError")
    assert len(w.outbox()) == 1
