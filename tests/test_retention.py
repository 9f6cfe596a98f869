"""Retention (#8): voice notes, old messages and closed cases go by age, idempotently, on an
injected clock."""

from __future__ import annotations

import asyncio
import contextlib
import os
from datetime import timedelta
from pathlib import Path

from companion.config import Settings
from companion.content import load_content
from companion.retention import daily, run_retention
from companion.services import Services, build_services
from tests.reminders.support import ManualClock, oslo


def services_at(tmp_path: Path, clock: ManualClock, **settings: object) -> Services:
    made = Settings(
        db_path=tmp_path / "companion.db",
        allow_plaintext=True,
        audio_dir=tmp_path / "voice",
        **settings,  # type: ignore[arg-type]
    )
    return build_services(made, clock=clock, content=load_content(), migrate_now=True)


def test_retention_removes_by_age_and_a_second_run_removes_nothing(tmp_path: Path) -> None:
    clock = ManualClock(oslo(2026, 1, 5, 12))
    s = services_at(tmp_path, clock, retention_inbox_days=30, retention_closed_case_months=6)
    d = s.directory
    kari = d.add_caseworker("kari", "Kari", "caseworker", "x")
    closed = d.add_case(kari.id, "Lukket sak")
    still = d.add_case(kari.id, "Åpen sak")
    gone = d.add_participant(closed.id, "youth", "Ida")
    stays = d.add_participant(still.id, "youth", "Sara")
    for who in (gone, stays):
        s.flows.start("hevd", participant_id=who.id, locale="nb")
    s.inbox_store.add_message(still.id, stays.id, "in", "gammel melding")
    s.db.execute("UPDATE cases SET status = 'closed' WHERE id = ?", [closed.id])
    audio = tmp_path / "voice"
    audio.mkdir()
    note = audio / f"telegram-4242-{1}.oga"
    note.write_bytes(b"OggS")
    old = (clock.now() - timedelta(days=1)).timestamp()
    os.utime(note, (old, old))

    clock.advance(timedelta(days=20))
    first = run_retention(s)
    assert first == {"audio": 1, "messages": 0, "participants": 0}  # audio: 0 days by default
    clock.advance(timedelta(days=20))
    assert run_retention(s)["messages"] == 1
    assert s.inbox_store.messages_for(stays.id) == []
    clock.advance(timedelta(days=6 * 30))
    third = run_retention(s)
    assert third["participants"] == 1
    assert s.conversations.sessions_for(gone.id) == []
    assert d.get_participant(gone.id).erased_at is not None  # type: ignore[union-attr]
    assert len(s.conversations.sessions_for(stays.id)) == 1  # an open case keeps its data
    assert run_retention(s) == {"audio": 0, "messages": 0, "participants": 0}
    assert s.audit.entries()[-1].action == "retention.run"
    assert s.audit.verify() == []


def test_the_daily_loop_runs_at_once_and_survives_a_failure(tmp_path: Path) -> None:
    """The bot's task: one run at start (the old message goes), then it sleeps."""
    clock = ManualClock(oslo(2026, 1, 5, 12))
    s = services_at(tmp_path, clock, retention_inbox_days=1)
    kari = s.directory.add_caseworker("kari", "Kari", "caseworker", "x")
    case = s.directory.add_case(kari.id, "Sak")
    sara = s.directory.add_participant(case.id, "youth", "Sara")
    s.inbox_store.add_message(case.id, sara.id, "in", "gammel")
    clock.advance(timedelta(days=2))

    async def one_round() -> None:
        task = asyncio.create_task(daily(s, interval=3600))
        await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(one_round())
    assert s.inbox_store.messages_for(sara.id) == []
    s.db.close()  # a closed database makes the next run fail: logged, the loop goes on
    asyncio.run(one_round())
