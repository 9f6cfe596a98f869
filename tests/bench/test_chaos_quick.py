"""A short kill -9 chaos run (bench.chaos) inside the suite: correctness only, never timing.

The real bot process against the Bot API stand-in, SIGKILLed while ten people answer; nothing
they saw acknowledged may be lost or stored twice, and every conversation must finish.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2]))  # the bench package lives beside tests/

from bench.chaos import chaos

pytestmark = pytest.mark.slow


def test_ten_people_three_kills_lose_and_double_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    report = asyncio.run(chaos(10, 3, seed=3, timeout=600, workdir=tmp_path))

    assert report.kills >= 3
    assert report.starts == report.kills + 1
    assert report.stuck == []
    assert report.finished == 10
    assert report.confirmed > 10  # people wrote their own words, and the bot took them
    assert report.lost == 0
    assert report.duplicated == 0
    assert report.duplicate_keys == 0
    assert report.reminders == 10  # one meeting reminder each, due during the run
    assert report.reminders_lost == 0
    assert report.outbox_failed == 0
    # Not asserted: a reminder delivered twice. The sender is at-least-once by design (a kill
    # between Telegram accepting a message and the commit repeats it); bench.chaos reports it.
