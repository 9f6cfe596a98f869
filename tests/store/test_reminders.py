"""Reminder store contract: courses, meetings, assignments, reminders, the lease; the same on
the fake, plain SQLite and SQLCipher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from companion.flows.fakes import SequentialIds
from companion.memory_store import MemoryDirectoryStore, MemoryInboxStore, MemoryReminderStore
from companion.ports import (
    NewReminder,
    Participant,
    ReminderSettings,
    ReminderStore,
    UnknownReference,
)
from companion.store import migrate, open_database
from companion.store.migrations import migrations
from companion.store.reminders import SqliteReminderStore
from tests.store.support import Stores

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(stores: Stores) -> ReminderStore:
    ids = SequentialIds("m")
    if stores.db is None:
        assert isinstance(stores.directory, MemoryDirectoryStore)
        assert isinstance(stores.inbox, MemoryInboxStore)
        return MemoryReminderStore(
            clock=stores.clock, ids=ids, directory=stores.directory, inbox=stores.inbox
        )
    return SqliteReminderStore(stores.db, clock=stores.clock, ids=ids)


def parent(stores: Stores, name: str = "Nadia") -> Participant:
    directory = stores.directory
    kari = directory.get_caseworker_by_username("kari") or directory.add_caseworker(
        "kari", "Kari", "caseworker", "x"
    )
    case = directory.add_case(kari.id, f"Familien {name}")
    return directory.add_participant(case.id, "parent", name)


def new(participant_id: str, key: str, due: datetime, **fields: Any) -> NewReminder:
    return NewReminder(
        participant_id=participant_id, kind="assignment", due_at=due, idempotency_key=key, **fields
    )


def test_settings_default_until_set(stores: Stores, store: ReminderStore) -> None:
    nadia = parent(stores)
    assert store.reminder_settings(nadia.id) == ReminderSettings(participant_id=nadia.id)
    stored = store.set_reminder_settings(
        ReminderSettings(participant_id=nadia.id, preferred_time="19:30", timezone="UTC")
    )
    assert stored.updated_at is not None
    assert store.reminder_settings(nadia.id) == stored
    with pytest.raises(UnknownReference):
        store.set_reminder_settings(ReminderSettings(participant_id="nobody"))


def test_meetings_keep_the_cases_next_meeting_up_to_date(
    stores: Stores, store: ReminderStore
) -> None:
    nadia = parent(stores)
    course = store.add_course(nadia.case_id, nadia.id, "struktur_i_hverdagen", "kari")
    assert store.get_course(course.id) == course
    assert store.courses_for(nadia.id) == [course]
    later = store.add_meeting(
        nadia.case_id, nadia.id, T0 + timedelta(days=14), course_id=course.id, meeting_no=2
    )
    first = store.add_meeting(
        nadia.case_id, nadia.id, T0 + timedelta(days=7), course_id=course.id, meeting_no=1
    )
    assert [m.id for m in store.meetings_for(nadia.id)] == [first.id, later.id]
    case = stores.directory.get_case(nadia.case_id)
    assert case is not None and case.next_meeting_at == first.starts_at
    store.schedule([new(nadia.id, "m1", T0 + timedelta(days=6), meeting_id=first.id)])
    assert store.cancel_meeting(first.id)
    assert not store.cancel_meeting(first.id)
    case = stores.directory.get_case(nadia.case_id)
    assert case is not None and case.next_meeting_at == later.starts_at
    [reminder] = store.reminders_for(nadia.id)
    assert (reminder.status, reminder.note) == ("cancelled", "meeting_cancelled")
    with pytest.raises(UnknownReference):
        store.add_meeting("no-case", None, T0)


def test_assignments_link_their_check_in_and_show_as_open(
    stores: Stores, store: ReminderStore
) -> None:
    nadia = parent(stores)
    assignment = store.add_assignment(
        nadia.case_id,
        nadia.id,
        1,
        "vaere_sammen",
        "Ti minutter sammen",
        simpler_text="Fem minutter",
        variant="standard",
    )
    assert store.get_assignment(assignment.id) == assignment
    assert stores.inbox.open_assignments(nadia.id) == [assignment]
    store.link_checkin(assignment.id, "session-1")
    linked = store.assignment_for_session("session-1")
    assert linked is not None and linked.checkin_session_id == "session-1"
    store.schedule([new(nadia.id, "a1", T0, assignment_id=assignment.id)])
    assert store.close_assignment(assignment.id)
    assert not store.close_assignment(assignment.id)
    assert stores.inbox.open_assignments(nadia.id) == []
    assert [a.status for a in store.assignments_for(nadia.id)] == ["closed"]
    [reminder] = store.reminders_for(assignment_id=assignment.id)
    assert reminder.status == "cancelled"


def test_scheduling_is_idempotent_by_key(stores: Stores, store: ReminderStore) -> None:
    nadia = parent(stores)
    first = store.schedule([new(nadia.id, "k1", T0), new(nadia.id, "k2", T0, payload={"a": 1})])
    again = store.schedule([new(nadia.id, "k2", T0 + timedelta(days=1)), new(nadia.id, "k3", T0)])
    assert again[0] == first[1], "the stored reminder, unchanged"
    assert [r.idempotency_key for r in store.reminders_for(nadia.id)] == ["k1", "k2", "k3"]
    assert first[1].payload == {"a": 1}
    with pytest.raises(UnknownReference):
        store.schedule([new("nobody", "k9", T0)])


def test_due_reminders_are_pending_and_due_oldest_first(
    stores: Stores, store: ReminderStore
) -> None:
    nadia = parent(stores)
    made = store.schedule([new(nadia.id, f"k{h}", T0 + timedelta(hours=h)) for h in (3, 1, 2, 5)])
    now = T0 + timedelta(hours=3)
    assert [r.idempotency_key for r in store.due_reminders(now)] == ["k1", "k2", "k3"]
    assert [r.idempotency_key for r in store.due_reminders(now, limit=2)] == ["k1", "k2"]
    assert store.next_due() == T0 + timedelta(hours=1)
    assert store.finish(made[1].id, "sent", note="enqueued")
    assert not store.finish(made[1].id, "missed"), "only a pending reminder can finish"
    assert [r.idempotency_key for r in store.due_reminders(now)] == ["k2", "k3"]
    assert store.defer(made[2].id, T0 + timedelta(hours=4), "quiet_hours")
    assert [r.idempotency_key for r in store.due_reminders(now)] == ["k3"]
    assert not store.defer(made[1].id, T0, "x")
    done = store.get_reminder(made[1].id)
    assert done is not None and done.status == "sent" and done.handled_at is not None
    assert [(d.attempt, d.status, d.note) for d in store.deliveries_for(made[2].id)] == [
        (1, "deferred", "quiet_hours")
    ]
    assert [d.status for d in store.deliveries_for(made[1].id)] == ["sent"]
    with pytest.raises(ValueError, match="timezone"):
        store.due_reminders(datetime(2026, 1, 5, 9))


def test_finish_records_the_check_in_session(stores: Stores, store: ReminderStore) -> None:
    nadia = parent(stores)
    [reminder] = store.schedule([new(nadia.id, "c1", T0)])
    assert store.finish(reminder.id, "sent", note="enqueued", session_id="s1")
    found = store.get_reminder(reminder.id)
    assert found is not None and found.session_id == "s1"
    assert store.reminders_for(status="sent") == [found]


def test_the_lease_is_held_renewed_expires_and_is_released(
    stores: Stores, store: ReminderStore
) -> None:
    ttl = timedelta(seconds=60)
    assert store.acquire_lease("d", "one", ttl)
    taken = store.get_lease("d")
    assert taken is not None and taken.holder == "one"
    assert not store.acquire_lease("d", "two", ttl)
    stores.clock.advance(timedelta(seconds=30))
    assert store.acquire_lease("d", "one", ttl), "renewed by its holder"
    renewed = store.get_lease("d")
    assert renewed is not None
    assert renewed.acquired_at == taken.acquired_at
    assert renewed.expires_at > taken.expires_at
    stores.clock.advance(timedelta(seconds=45))
    assert not store.acquire_lease("d", "two", ttl), "still within the renewed lease"
    stores.clock.advance(timedelta(seconds=30))
    assert store.acquire_lease("d", "two", ttl), "expired: taken over"
    store.release_lease("d", "one")
    assert not store.acquire_lease("d", "one", ttl), "only the holder can release"
    store.release_lease("d", "two")
    assert store.get_lease("d") is None
    assert store.acquire_lease("d", "one", ttl)


def test_due_reminders_use_the_index(sql_stores: Stores) -> None:
    """«What is due» is a range scan of the pending index, never a scan of every reminder."""
    assert sql_stores.db is not None
    plan = sql_stores.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM reminders WHERE status = 'pending' AND due_at <= ? "
        "ORDER BY due_at, id LIMIT 100",
        ["2026-01-01"],
    ).fetchall()
    detail = " ".join(str(row[-1]) for row in plan)
    assert "USING INDEX reminders_" in detail or "USING COVERING INDEX reminders_" in detail
    assert "SCAN reminders" not in detail.replace("USING", "")  # no full table scan


def test_a_failed_transaction_leaves_nothing(sql_stores: Stores) -> None:
    assert sql_stores.db is not None
    store = SqliteReminderStore(sql_stores.db, clock=sql_stores.clock, ids=SequentialIds("t"))
    nadia = parent(sql_stores)
    [reminder] = store.schedule([new(nadia.id, "k", T0)])
    with pytest.raises(RuntimeError), store.transaction():
        store.finish(reminder.id, "sent")
        raise RuntimeError("crash")
    found = store.get_reminder(reminder.id)
    assert found is not None and found.status == "pending"
    assert store.deliveries_for(reminder.id) == []


def test_0004_upgrades_a_database_that_has_data(tmp_path: Path) -> None:
    """A database in use (assignments and reminders from 0001) gets the reminder tables and
    columns; existing rows keep their values and get NULL links."""
    db = open_database(tmp_path / "c.db", None)
    migrations.apply(db, stop_before="0004_reminders")
    db.execute("INSERT INTO caseworkers VALUES ('k', 'kari', 'Kari', 'caseworker', 'x', 0, '2026')")
    db.execute(
        "INSERT INTO cases (id, caseworker_id, title, created_at) VALUES ('c', 'k', 'F', '2026')"
    )
    db.execute(
        "INSERT INTO participants (id, case_id, role, display_name, created_at) "
        "VALUES ('p', 'c', 'parent', 'Nadia', '2026')"
    )
    db.execute(
        "INSERT INTO reminders (id, participant_id, kind, due_at, idempotency_key, created_at) "
        "VALUES ('r', 'p', 'assignment', '2026-01-01', 'k1', '2026')"
    )
    assert migrate(db)[0] == "0004_reminders"  # and any later ones
    assert {"courses", "meetings", "reminder_settings", "leases"} <= set(db.table_names())
    row = db.execute("SELECT status, not_after, assignment_id, note FROM reminders").fetchone()
    assert tuple(row) == ("pending", None, None, None)
    assert "checkin_session_id" in db.table("assignments").columns_dict
    db.close()
