"""Wall-clock times, quiet hours and DST (pure: no stores)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.ports import Meeting, ReminderSettings
from companion.reminders.plans import Before, meeting_reminders
from companion.reminders.timing import Timing, TimingError, parse_hhmm, resolve, zone

OSLO = Timing.of(ReminderSettings(participant_id="p"))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_the_same_wall_clock_time_is_a_different_utc_instant_across_dst() -> None:
    """18:00 in Oslo is 17:00 UTC before the last Sunday of March and 16:00 UTC after it,
    and back again after the last Sunday of October."""
    assert OSLO.at(date(2026, 3, 28), time(18)) == utc(2026, 3, 28, 17)
    assert OSLO.at(date(2026, 3, 29), time(18)) == utc(2026, 3, 29, 16)
    assert OSLO.at(date(2026, 10, 24), time(18)) == utc(2026, 10, 24, 16)
    assert OSLO.at(date(2026, 10, 25), time(18)) == utc(2026, 10, 25, 17)


def test_a_time_in_the_spring_gap_moves_forward_and_a_doubled_time_is_the_first() -> None:
    """02:30 does not exist on 29 March 2026 in Oslo (03:30 summer time is used); on 25 October
    it happens twice (the first, summer-time one is used)."""
    gap = OSLO.at(date(2026, 3, 29), time(2, 30))
    assert gap == utc(2026, 3, 29, 1, 30)
    assert OSLO.local(gap).strftime("%H:%M %Z") == "03:30 CEST"
    doubled = OSLO.at(date(2026, 10, 25), time(2, 30))
    assert doubled == utc(2026, 10, 25, 0, 30)
    assert OSLO.local(doubled).strftime("%H:%M %Z") == "02:30 CEST"


def test_quiet_hours_wrap_midnight_in_local_time() -> None:
    """21:00–08:00 Oslo time, whatever UTC says, on both sides of a DST change."""
    for day in (date(2026, 3, 28), date(2026, 3, 29), date(2026, 10, 25)):
        assert not OSLO.is_quiet(OSLO.at(day, time(20, 59)))
        assert OSLO.is_quiet(OSLO.at(day, time(21, 0)))
        assert OSLO.is_quiet(OSLO.at(day, time(3, 0)))
        assert OSLO.is_quiet(OSLO.at(day, time(7, 59)))
        assert not OSLO.is_quiet(OSLO.at(day, time(8, 0)))


def test_quiet_hours_end_the_next_morning_also_on_the_night_the_clocks_change() -> None:
    """22:00 on Saturday 28 March → 08:00 Sunday, which is summer time (06:00 UTC)."""
    assert OSLO.quiet_ends(OSLO.at(date(2026, 3, 28), time(22))) == utc(2026, 3, 29, 6)
    assert OSLO.quiet_ends(OSLO.at(date(2026, 10, 24), time(22))) == utc(2026, 10, 25, 7)
    assert OSLO.quiet_ends(OSLO.at(date(2026, 10, 25), time(2))) == utc(2026, 10, 25, 7)
    noon = OSLO.at(date(2026, 10, 25), time(12))
    assert OSLO.quiet_ends(noon) == noon


def test_allowed_moves_backwards_when_the_morning_is_too_late() -> None:
    """Quiet until 08:00 but the deadline is 07:30: send at 20:45 the evening before."""
    night = OSLO.at(date(2026, 5, 4), time(23))
    deadline = OSLO.at(date(2026, 5, 5), time(7, 30))
    evening = OSLO.at(date(2026, 5, 4), time(20, 45))
    assert OSLO.allowed(night, deadline=deadline) == evening
    assert OSLO.allowed(night, deadline=deadline, earliest=evening + timedelta(minutes=1)) is None
    assert OSLO.allowed(night) == OSLO.at(date(2026, 5, 5), time(8))


def test_no_quiet_hours_when_start_equals_end_and_daytime_quiet_hours_work() -> None:
    none = Timing.of(ReminderSettings(participant_id="p", quiet_start="00:00", quiet_end="00:00"))
    assert not none.is_quiet(utc(2026, 1, 1, 23))
    lunch = Timing.of(ReminderSettings(participant_id="p", quiet_start="11:00", quiet_end="13:00"))
    assert lunch.is_quiet(lunch.at(date(2026, 1, 5), time(12)))
    assert lunch.quiet_ends(lunch.at(date(2026, 1, 5), time(12))) == lunch.at(
        date(2026, 1, 5), time(13)
    )


def test_another_time_zone_changes_on_its_own_dates() -> None:
    """New York changes on 8 March 2026; Oslo on 29 March: between them the gap is 5 hours."""
    ny = Timing.of(ReminderSettings(participant_id="p", timezone="America/New_York"))
    assert ny.at(date(2026, 3, 20), time(18)) == utc(2026, 3, 20, 22)
    assert OSLO.at(date(2026, 3, 20), time(18)) == utc(2026, 3, 20, 17)


def test_bad_settings_say_what_is_wrong() -> None:
    with pytest.raises(TimingError, match="not a time of day"):
        parse_hhmm("seks")
    with pytest.raises(TimingError, match="not a known time zone"):
        zone("Europe/Atlantis")
    with pytest.raises(TimingError, match="not a time before the meeting"):
        Before.parse("tomorrow")


def test_anchors_follow_the_preferred_time() -> None:
    anchor = {"day": "2026-03-30", "time": "preferred"}
    assert resolve(anchor, OSLO) == utc(2026, 3, 30, 16)
    later = Timing.of(ReminderSettings(participant_id="p", preferred_time="19:30"))
    assert resolve(anchor, later) == utc(2026, 3, 30, 17, 30)


def test_meeting_reminders_keep_the_meetings_clock_time_across_dst() -> None:
    """A meeting Monday 30 March 10:00 (summer time): «the day before» is Sunday 10:00 summer
    time (08:00 UTC), «2h» is 06:00 UTC, both outside the quiet hours."""
    now = utc(2026, 3, 20, 12)
    meeting = Meeting(
        id="m1",
        case_id="c",
        participant_id="p",
        starts_at=OSLO.at(date(2026, 3, 30), time(10)),
        created_at=now,
    )
    found = meeting_reminders(meeting, "p", OSLO, now=now)
    assert [(r.idempotency_key, r.due_at) for r in found] == [
        ("meeting:m1:1d", utc(2026, 3, 29, 8)),
        ("meeting:m1:2h", utc(2026, 3, 30, 6)),
    ]
    assert all(r.not_after == meeting.starts_at for r in found)


def test_a_meeting_reminder_in_the_quiet_hours_comes_the_evening_before() -> None:
    """08:05 meeting: «2h before» is 06:05 (quiet), so 08:00, still before the meeting; for a
    07:30 meeting the morning is too late, so 20:45 the evening before."""
    now = utc(2026, 5, 1, 12)
    early = Meeting(
        id="m2",
        case_id="c",
        participant_id="p",
        starts_at=OSLO.at(date(2026, 5, 5), time(8, 5)),
        created_at=now,
    )
    [reminder] = meeting_reminders(early, "p", OSLO, now=now, before=[Before.parse("2h")])
    assert OSLO.local(reminder.due_at).strftime("%d %H:%M") == "05 08:00"
    earlier = early.model_copy(update={"starts_at": OSLO.at(date(2026, 5, 5), time(7, 30))})
    [reminder] = meeting_reminders(earlier, "p", OSLO, now=now, before=[Before.parse("2h")])
    assert OSLO.local(reminder.due_at).strftime("%d %H:%M") == "04 20:45"


@given(
    st.datetimes(
        min_value=datetime(2025, 1, 1),
        max_value=datetime(2030, 12, 31),
        timezones=st.just(UTC),
    ),
    st.sampled_from(["Europe/Oslo", "America/New_York", "Australia/Sydney", "UTC"]),
)
def test_quiet_ends_is_never_quiet_and_never_earlier(instant: datetime, tz: str) -> None:
    """For any instant and zone: the end of the quiet hours is outside them and not before."""
    timing = Timing.of(ReminderSettings(participant_id="p", timezone=tz))
    end = timing.quiet_ends(instant)
    assert end >= instant
    assert not timing.is_quiet(end)
    assert end - instant <= timedelta(hours=12)
