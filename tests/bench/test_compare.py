"""The chaos harness's own judgement must be able to fail: lost, doubled and repeated keys
are each seen (unit tests of ``bench.chaos.compare`` and the figure targets)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[2]))  # the bench package lives beside tests/

from bench.chaos import Tally, compare
from bench.figures import Figure
from companion.config import load_settings


@dataclass
class Stored:
    key: str
    value: Any
    source: str = "typed"


def test_everything_acknowledged_and_stored_once_is_clean() -> None:
    session = [
        Stored("hevd.themes#1", {"text": "ord 1-1"}),
        Stored("hevd.themes#2", {"text": "ord 1-2"}),
        Stored("hevd.how_to_start", "ja", "button"),
    ]
    assert compare(["ord 1-1", "ord 1-2"], [session]) == Tally()


def test_an_acknowledged_answer_missing_from_the_database_is_lost() -> None:
    session = [Stored("hevd.themes#1", {"text": "ord 1-1"})]
    assert compare(["ord 1-1", "ord 1-2"], [session]) == Tally(lost=1)


def test_the_same_words_stored_twice_are_a_duplicate_even_under_another_key() -> None:
    first = [Stored("hevd.themes#1", {"text": "ord 1-1"})]
    second = [Stored("nettverkskart.q#1", "ord 1-1")]
    assert compare(["ord 1-1"], [first, second]) == Tally(duplicated=1)


def test_a_key_stored_twice_in_a_session_is_a_duplicate() -> None:
    session = [Stored("hevd.how_to_start", "ja", "button")] * 2
    assert compare([], [session]) == Tally(duplicate_keys=1)


def test_a_choice_among_collected_items_is_not_counted_as_their_words_again() -> None:
    session = [
        Stored("hevd.themes#1", {"text": "ord 1-1"}),
        Stored("hevd.top", ["ord 1-1"], "button"),
    ]
    assert compare(["ord 1-1"], [session]) == Tally()


def test_at_most_targets_are_met_only_at_or_below() -> None:
    assert Figure("chaos", "lost", 0.0, "answers", 0.0, higher_is_better=False).met is True
    assert Figure("chaos", "lost", 1.0, "answers", 0.0, higher_is_better=False).met is False
    assert Figure("load", "p99", float("nan"), "ms", 2000.0, higher_is_better=False).met is False
    assert "≤ 0" in Figure("chaos", "lost", 1.0, "answers", 0.0, higher_is_better=False).line()
    assert Figure("engine", "steps/s", 10.0, "steps/s", 5.0).met is True


def test_the_bot_api_url_comes_from_the_environment() -> None:
    settings = load_settings({"COMPANION_TELEGRAM_API_URL": "http://127.0.0.1:8081"})
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert load_settings({}).telegram_api_url is None
