"""Deterministic stand-ins for the engine's ports: for tests, golden transcripts and benches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta


class FixedClock:
    """A clock that starts at a fixed time and moves one second per reading (goflow's trick)."""

    def __init__(self, start: datetime | None = None, step: timedelta = timedelta(seconds=1)):
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        self._step = step

    def now(self) -> datetime:
        current = self._now
        self._now = current + self._step
        return current

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class SequentialIds:
    """Ids ``s0001``, ``s0002`` …"""

    def __init__(self, prefix: str = "s") -> None:
        self._prefix = prefix
        self._n = 0

    def new_id(self) -> str:
        self._n += 1
        return f"{self._prefix}{self._n:04d}"


class SourceLocalizer:
    """Returns the Bokmål source text and formats values in a plain, locale-free way."""

    def text(self, locale: str, context: str, source: str) -> str:
        return source

    def format_number(self, locale: str, value: float) -> str:
        return str(int(value)) if float(value).is_integer() else str(value)

    def format_date(self, locale: str, value: date) -> str:
        return value.strftime("%d.%m.%Y")

    def format_datetime(self, locale: str, value: datetime) -> str:
        return value.strftime("%d.%m.%Y %H:%M")

    def format_list(self, locale: str, items: Sequence[str]) -> str:
        items = list(items)
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + " og " + items[-1]
