"""The pipeline between the poller and the core: a batch is committed before anything is queued
behind it, and an unavailable database makes the whole batch come again."""

from __future__ import annotations

import sqlite3
from collections.abc import Coroutine, Sequence
from typing import Any

import pytest

from bots.telegram.core import Outcome
from bots.telegram.handlers import Pipeline
from bots.telegram.poller import RetryLater
from bots.telegram.translate import Incoming
from companion.store.database import is_unavailable


def text(update_id: int, chat: int, words: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": chat, "is_bot": False, "first_name": "Testa"},
            "chat": {"id": chat, "type": "private"},
            "date": 1_795_000_000,
            "text": words,
        },
    }


def voice(update_id: int, chat: int) -> dict[str, Any]:
    update = text(update_id, chat, "")
    del update["message"]["text"]
    update["message"]["voice"] = {"file_id": "f", "file_unique_id": "u", "duration": 2}
    return update


class Core:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.batches: list[list[int]] = []
        self.handled = 0

    def handle_batch(self, items: Sequence[Incoming]) -> list[Outcome]:
        if self.error is not None:
            raise self.error
        self.batches.append([i.update_id for i in items])
        return [Outcome(enqueued=True) for _ in items]


class Sender:
    def __init__(self) -> None:
        self.woken = 0

    def wake(self) -> None:
        self.woken += 1

    def send_volatile(self, chat: int, calls: Any) -> None:
        raise AssertionError("nothing volatile here")


def pipeline(core: Core) -> tuple[Pipeline, list[str], Sender]:
    spawned: list[str] = []

    def spawn(work: Coroutine[Any, Any, None]) -> Any:
        spawned.append(getattr(work, "__qualname__", "?"))
        work.close()  # not run here: only the order of queuing is under test
        return _Finished()

    sender = Sender()
    return Pipeline(core, sender, spawn), spawned, sender  # type: ignore[arg-type]


class _Finished:
    """Stands for the spawned task (already done: nothing is heard in these tests)."""

    def done(self) -> bool:
        return True

    def add_done_callback(self, callback: Any) -> None:
        pass


def test_a_voice_note_and_what_follows_it_in_its_chat_wait_for_the_batch() -> None:
    """Chat 1: words, a voice note, words; chat 2: words. The batch holds the words before the
    voice note and chat 2's; the voice note and the words after it are queued behind it, once
    the batch is committed."""
    core = Core()
    p, spawned, sender = pipeline(core)
    p.receive([text(1, 1, "hei"), voice(2, 1), text(3, 1, "og så"), text(4, 2, "hallo")])
    assert core.batches == [[1, 4]]
    assert len(spawned) == 2
    assert sender.woken == 1


def test_an_unavailable_database_makes_the_batch_come_again_with_nothing_queued() -> None:
    core = Core(sqlite3.OperationalError("database is locked"))
    p, spawned, sender = pipeline(core)
    with pytest.raises(RetryLater):
        p.receive([text(1, 1, "hei"), voice(2, 1)])
    assert spawned == [] and sender.woken == 0


def test_other_failures_are_not_taken_for_an_unavailable_database() -> None:
    core = Core(RuntimeError("a bug"))
    p, spawned, _ = pipeline(core)
    with pytest.raises(RuntimeError):
        p.receive([text(1, 1, "hei"), voice(2, 1)])
    assert spawned == []


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (sqlite3.OperationalError("database is locked"), True),
        (sqlite3.OperationalError("disk I/O error"), True),
        (sqlite3.DatabaseError("file is not a database"), True),
        (sqlite3.IntegrityError("UNIQUE constraint failed"), False),
        (sqlite3.OperationalError("database or disk is full"), False),
        (sqlite3.ProgrammingError("closed"), False),
        (RuntimeError("a bug"), False),
    ],
)
def test_which_errors_mean_the_database_is_unavailable(error: Exception, unavailable: bool) -> None:
    assert is_unavailable(error) is unavailable
