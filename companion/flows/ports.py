"""What the engine needs from outside, injected: a clock, ids and a localizer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class IdFactory(Protocol):
    def new_id(self) -> str:
        """A new unique id."""
        ...


class Localizer(Protocol):
    """Translates flow and engine text by context, and formats values for a locale."""

    def text(self, locale: str, context: str, source: str) -> str:
        """The translation of ``source`` (Bokmål) under ``context``; ``source`` if there is none."""
        ...

    def format_number(self, locale: str, value: float) -> str: ...

    def format_date(self, locale: str, value: date) -> str: ...

    def format_datetime(self, locale: str, value: datetime) -> str: ...

    def format_list(self, locale: str, items: Sequence[str]) -> str: ...
