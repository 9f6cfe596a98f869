"""When a reminder is due: wall-clock times in the participant's time zone, quiet hours, DST.

Everything is pure (``zoneinfo`` and ``datetime`` only) and returns UTC instants, which is what
the database stores. Local wall-clock times are resolved with the IANA rules for that very date,
so «18:00 the day after the meeting» is 17:00 UTC in winter and 16:00 UTC in summer in
Europe/Oslo, also in the week the clocks change.

Wall-clock times that do not exist or happen twice on the day the clocks change are resolved
the way ``zoneinfo`` does with ``fold=0``: a time in the spring gap (02:30 on the last Sunday
of March in Oslo) moves forward by the gap (03:30 summer time); a time that happens twice (02:30
on the last Sunday of October) is its first occurrence (summer time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from companion.ports import ReminderSettings

DEFAULT_TIMEZONE = "Europe/Oslo"
EDGE = timedelta(minutes=15)
"""How far before the quiet hours a reminder moved backwards is sent (20:45 for 21:00)."""


class TimingError(ValueError):
    """A time, time zone or quiet-hours setting that cannot be used; one line for a person."""


def parse_hhmm(text: str) -> time:
    """``"18:00"`` → 18:00; ``TimingError`` for anything else."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise TimingError(f"'{text}' is not a time of day (HH:MM, e.g. 18:00)") from None


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimingError(f"'{name}' is not a known time zone (e.g. Europe/Oslo)") from None


@dataclass(frozen=True)
class Timing:
    """A participant's reminder timing, parsed."""

    tz: ZoneInfo
    preferred: time
    quiet_start: time
    quiet_end: time

    @classmethod
    def of(cls, settings: ReminderSettings) -> Timing:
        return cls(
            tz=zone(settings.timezone),
            preferred=parse_hhmm(settings.preferred_time),
            quiet_start=parse_hhmm(settings.quiet_start),
            quiet_end=parse_hhmm(settings.quiet_end),
        )

    # --- wall clock ---------------------------------------------------------------------------

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)

    def at(self, day: date, wall: time) -> datetime:
        """The UTC instant of ``wall`` o'clock on ``day`` in this time zone (see the module
        docstring for the two DST edge cases)."""
        return datetime.combine(day, wall, tzinfo=self.tz).astimezone(UTC)

    def day_of(self, instant: datetime) -> date:
        return self.local(instant).date()

    # --- quiet hours --------------------------------------------------------------------------

    @property
    def has_quiet_hours(self) -> bool:
        return self.quiet_start != self.quiet_end

    def is_quiet(self, instant: datetime) -> bool:
        """Whether ``instant`` falls in ``[quiet_start, quiet_end)`` local time."""
        if not self.has_quiet_hours:
            return False
        wall = self.local(instant).time().replace(tzinfo=None)
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= wall < self.quiet_end
        return wall >= self.quiet_start or wall < self.quiet_end

    def quiet_ends(self, instant: datetime) -> datetime:
        """When the quiet hours around ``instant`` end (``instant`` itself if not quiet)."""
        if not self.is_quiet(instant):
            return instant
        local = self.local(instant)
        day = local.date()
        wraps = self.quiet_start > self.quiet_end
        if wraps and local.time().replace(tzinfo=None) >= self.quiet_start:
            day += timedelta(days=1)
        return self.at(day, self.quiet_end)

    def quiet_began(self, instant: datetime) -> datetime:
        """When the quiet hours around ``instant`` began (``instant`` itself if not quiet)."""
        if not self.is_quiet(instant):
            return instant
        local = self.local(instant)
        day = local.date()
        wraps = self.quiet_start > self.quiet_end
        if wraps and local.time().replace(tzinfo=None) < self.quiet_end:
            day -= timedelta(days=1)
        return self.at(day, self.quiet_start)

    def allowed(
        self,
        instant: datetime,
        *,
        deadline: datetime | None = None,
        earliest: datetime | None = None,
    ) -> datetime | None:
        """The instant to send at instead of ``instant``, outside the quiet hours.

        Forward to the end of the quiet hours; if that is at or after ``deadline`` (e.g. the
        meeting), backward to ``EDGE`` before they began, if that is not before ``earliest``;
        else None: there is no good time.
        """
        if not self.is_quiet(instant):
            return instant
        forward = self.quiet_ends(instant)
        if deadline is None or forward < deadline:
            return forward
        backward = self.quiet_began(instant) - EDGE
        if earliest is None or backward >= earliest:
            return backward
        return None


# --- anchors: how a reminder's due time was chosen, so it can be recomputed ------------------


def anchor_day(day: date, wall: time | None) -> dict[str, Any]:
    """Local ``day`` at ``wall`` o'clock, or at the preferred time when ``wall`` is None."""
    return {"day": day.isoformat(), "time": "preferred" if wall is None else wall.strftime("%H:%M")}


def anchor_instant(instant: datetime) -> dict[str, Any]:
    return {"at": instant.astimezone(UTC).isoformat()}


def resolve(anchor: dict[str, Any], timing: Timing) -> datetime:
    """The UTC instant an anchor stands for under ``timing`` (before quiet hours)."""
    if "at" in anchor:
        return datetime.fromisoformat(str(anchor["at"])).astimezone(UTC)
    day = date.fromisoformat(str(anchor["day"]))
    wall = timing.preferred if anchor.get("time") == "preferred" else parse_hhmm(anchor["time"])
    return timing.at(day, wall)
