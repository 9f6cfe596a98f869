"""A short load run (bench.load) inside the suite: every person gets every reply, no errors.
Correctness only; the figures (throughput, latency) belong to ``make bench``."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2]))  # the bench package lives beside tests/

from bench.load import load

pytestmark = pytest.mark.slow


def test_fifty_people_for_five_seconds_get_every_reply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    report = asyncio.run(load(50, 5.0, workdir=tmp_path))

    assert report.errors == 0
    assert report.replies >= 50  # each person got at least one reply in the window
    assert report.log_problems == 0
    assert report.peak_rss_mb > 0  # read from the live bot process (/proc/<pid>/status)
