"""Crashes and races on SQLite: a crash between enqueueing and recording never double-sends,
and two dispatchers (two connections, two threads) never hand a reminder over twice."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from companion.reminders import Reminders
from companion.reminders.dispatcher import Dispatcher, Policy
from companion.services import Services
from tests.reminders.support import Ids, ManualClock, family, oslo, sqlite

ROOT = Path(__file__).resolve().parents[2]
DUE = oslo(2026, 3, 17, 18)


class Crash(BaseException):
    """The process dies here (not an error the dispatcher could catch and handle)."""


def setup(path: Path, families: int = 1) -> tuple[Services, ManualClock]:
    clock = ManualClock(oslo(2026, 3, 16, 12))
    services = sqlite(clock, path, Ids("a"))
    reminders = Reminders(services)
    for n in range(families):
        parent = family(services, f"P{n}", chat=5000 + n)
        reminders.give_assignment(parent.id, 1, "vaere_sammen")
    clock.set(DUE)
    return services, clock


def reopen(path: Path, clock: ManualClock, prefix: str = "b") -> tuple[Services, Dispatcher]:
    services = sqlite(clock, path, Ids(prefix))
    return services, Dispatcher(Reminders(services), holder=f"after-{prefix}")


def outbox_rows(services: Services) -> int:
    return len(services.outbox.items("telegram"))


def test_a_crash_between_enqueue_and_record_rolls_both_back(tmp_path: Path) -> None:
    """The outbox row and «sent» commit together: a crash in between leaves neither, and the
    restarted dispatcher sends the reminder exactly once."""
    path = tmp_path / "c.db"
    services, clock = setup(path)
    dispatcher = Dispatcher(Reminders(services), holder="first")

    def crash(*args: object, **kwargs: object) -> bool:
        raise Crash

    dispatcher.store.finish = crash  # type: ignore[method-assign]
    with pytest.raises(Crash):
        dispatcher.tick()
    services.db.close()

    again, restarted = reopen(path, clock)
    assert outbox_rows(again) == 0
    pending = restarted.store.reminders_for(status="pending")
    assert [r.kind for r in pending] == ["assignment", "checkin"]
    clock.advance(timedelta(seconds=61))  # the dead dispatcher's lease runs out
    report = restarted.tick()
    assert report.sent == 1
    assert restarted.tick().sent == 0
    assert outbox_rows(again) == 1
    again.db.close()


CHILD = textwrap.dedent(
    """
    import os, sys
    from datetime import datetime
    from pathlib import Path
    from companion.reminders import Reminders
    from companion.reminders.dispatcher import Dispatcher
    from tests.reminders.support import Ids, ManualClock, sqlite

    path, now, when = Path(sys.argv[1]), datetime.fromisoformat(sys.argv[2]), sys.argv[3]
    services = sqlite(ManualClock(now), path, Ids("child"))
    dispatcher = Dispatcher(Reminders(services), holder="child")
    store = dispatcher.store
    if when == "before_commit":
        store.finish = lambda *a, **k: os._exit(17)
    else:
        original = dispatcher.dispatch
        def dispatch(reminder):
            outcome = original(reminder)
            os._exit(17)
        dispatcher.dispatch = dispatch
    dispatcher.tick()
    os._exit(0)
    """
)


@pytest.mark.parametrize(("when", "rows_after_crash"), [("before_commit", 0), ("after_commit", 1)])
def test_a_killed_process_never_double_sends(
    tmp_path: Path, when: str, rows_after_crash: int
) -> None:
    """A real process dies (``os._exit``) just before or just after the commit; after a restart
    the reminder is in the outbox exactly once."""
    path = tmp_path / "c.db"
    services, clock = setup(path)
    services.db.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), clock.now().isoformat(), when],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert child.returncode == 17, child.stderr
    again, restarted = reopen(path, clock)
    assert outbox_rows(again) == rows_after_crash
    clock.advance(timedelta(seconds=61))
    restarted.tick()
    restarted.tick()
    assert outbox_rows(again) == 1
    [reminder] = [r for r in restarted.store.reminders_for() if r.kind == "assignment"]
    assert reminder.status == "sent"
    again.db.close()


def test_two_dispatchers_one_lease(tmp_path: Path) -> None:
    """Two processes (two connections) tick at the same time: only the lease holder works; the
    other waits and takes over when the holder's lease runs out."""
    path = tmp_path / "c.db"
    services, clock = setup(path, families=3)
    one = Dispatcher(Reminders(services), holder="one")
    other_services, two = reopen(path, clock)
    assert one.tick().sent == 3
    assert not two.tick().leased
    clock.advance(timedelta(seconds=30))
    assert one.tick().leased
    assert not two.tick().leased
    clock.advance(timedelta(seconds=61))
    assert two.tick().leased
    assert not one.tick().leased
    two.release()
    assert one.tick().leased
    assert outbox_rows(services) == 3
    services.db.close()
    other_services.db.close()


@pytest.mark.parametrize("use_lease", [True, False])
def test_two_racing_dispatchers_hand_each_reminder_over_once(
    tmp_path: Path, use_lease: bool
) -> None:
    """Two threads on two connections race over 60 due reminders, with the lease and without
    it (as if it had expired mid-tick): every reminder is enqueued exactly once."""
    path = tmp_path / "c.db"
    families = 60
    services, clock = setup(path, families=families)
    services.db.close()
    outcomes: list[Counter[str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker(prefix: str) -> None:
        mine, dispatcher = reopen(path, clock, prefix)
        dispatcher.policy = Policy(batch=7)
        seen: Counter[str] = Counter()
        try:
            start.wait()
            if use_lease:
                for _ in range(40):
                    seen.update(dispatcher.tick().outcomes)
            else:
                due = dispatcher.store.due_reminders(clock.now(), 1000)
                for reminder in due if prefix == "x" else reversed(due):
                    seen[dispatcher.dispatch(reminder)] += 1
        except BaseException as error:
            errors.append(error)
        finally:
            outcomes.append(seen)
            mine.db.close()

    threads = [threading.Thread(target=worker, args=(p,)) for p in ("x", "y")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    check, dispatcher = reopen(path, clock, "check")
    items = check.outbox.items("telegram")
    assert len(items) == families
    assert len({i.chat_id for i in items}) == families
    assert sum(c["sent"] for c in outcomes) == families
    if use_lease:
        assert min(c["sent"] for c in outcomes) == 0, "one of them did all the work"
    else:
        assert sum(c["gone"] for c in outcomes) == families, "each saw the other's work"
    assert all(
        r.status == "sent" for r in dispatcher.store.reminders_for() if r.kind == "assignment"
    )
    check.db.close()
