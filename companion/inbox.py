"""Messages between meetings: what participants write to their kontaktperson, and the replies.

The acknowledgement a participant gets is honest about when someone reads it (office hours
from the settings) and, outside them, points to the safety path. Caseworker replies are
stored as ``out`` messages and enqueued for every reachable chat account of the participant;
the channel's sender delivers them and marks them delivered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from companion.flows.messages import N_
from companion.flows.ports import Clock, IdFactory, Localizer
from companion.outbox import text_entry
from companion.participants import reachable_links
from companion.ports import AuditLog, DirectoryStore, InboxMessage, InboxStore, Participant

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RECENT = timedelta(minutes=30)
"""Within this time after an earlier message, the acknowledgement is a short one."""

WEEKDAY_NAMES = (
    N_("inbox:weekday:0", "mandag"),
    N_("inbox:weekday:1", "tirsdag"),
    N_("inbox:weekday:2", "onsdag"),
    N_("inbox:weekday:3", "torsdag"),
    N_("inbox:weekday:4", "fredag"),
    N_("inbox:weekday:5", "lørdag"),
    N_("inbox:weekday:6", "søndag"),
)
TODAY_AT = N_("inbox:today_at", "i dag kl. {time}")
TOMORROW_AT = N_("inbox:tomorrow_at", "i morgen kl. {time}")
DAY_AT = N_("inbox:day_at", "{day} kl. {time}")
WEEKDAYS_RANGE = N_("inbox:office_hours", "{first}–{last} kl. {start}–{end}")
RECEIVED_OPEN = N_(
    "inbox:received_open",
    "Takk! Meldingen er sendt til kontaktpersonen din. "
    "Kontaktpersonen leser meldinger {hours}, og svarer så snart hen kan.",
)
RECEIVED_CLOSED = N_(
    "inbox:received_closed",
    "Takk! Meldingen er sendt til kontaktpersonen din. Nå er det utenfor arbeidstid, "
    "så meldingen blir lest tidligst {next_open}.\n"
    "Haster det, ring 112, eller Alarmtelefonen for barn og unge på 116 111 (gratis, hele døgnet). "
    "Du kan også skrive «jeg trenger hjelp nå».",
)
RECEIVED_SHORT = N_("inbox:received_short", "Sendt til kontaktpersonen din.")
REPLY_PREFIX = N_("inbox:reply_prefix", "Melding fra kontaktpersonen din:")

ALL_MESSAGES = (
    *WEEKDAY_NAMES,
    TODAY_AT,
    TOMORROW_AT,
    DAY_AT,
    WEEKDAYS_RANGE,
    RECEIVED_OPEN,
    RECEIVED_CLOSED,
    RECEIVED_SHORT,
    REPLY_PREFIX,
)

_SPEC = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$"
)


class OfficeHoursError(ValueError):
    pass


@dataclass(frozen=True)
class OfficeHours:
    """When messages are usually read, e.g. ``mon-fri 08:00-15:30`` in Europe/Oslo."""

    first_day: int
    last_day: int
    start: time
    end: time
    timezone: str = "Europe/Oslo"

    @classmethod
    def parse(cls, spec: str, timezone: str = "Europe/Oslo") -> OfficeHours:
        """``mon-fri 08:00-15:30`` (or one day: ``wed 09:00-12:00``)."""
        found = _SPEC.match(spec.strip().lower())
        if found is None or found["first"] not in DAYS or (found["last"] or "mon") not in DAYS:
            raise OfficeHoursError(f"office hours {spec!r}: expected e.g. 'mon-fri 08:00-15:30'")
        try:
            ZoneInfo(timezone)
            start, end = (
                time.fromisoformat(_pad(found["start"])),
                time.fromisoformat(_pad(found["end"])),
            )
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise OfficeHoursError(f"office hours {spec!r} in {timezone}: {error}") from None
        if end <= start:
            raise OfficeHoursError(f"office hours {spec!r}: the end must be after the start")
        first = DAYS.index(found["first"])
        last = DAYS.index(found["last"]) if found["last"] else first
        return cls(first_day=first, last_day=last, start=start, end=end, timezone=timezone)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _workday(self, weekday: int) -> bool:
        if self.first_day <= self.last_day:
            return self.first_day <= weekday <= self.last_day
        return weekday >= self.first_day or weekday <= self.last_day

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.zone)
        return self._workday(local.weekday()) and self.start <= local.time() < self.end

    def next_opening(self, now: datetime) -> datetime:
        """The next start of office hours after ``now`` (local time); ``now`` if open."""
        local = now.astimezone(self.zone)
        if self.is_open(now):
            return local
        for days in range(8):
            day = local.date() + timedelta(days=days)
            opening = datetime.combine(day, self.start, tzinfo=self.zone)
            if self._workday(day.weekday()) and opening > local:
                return opening
        raise AssertionError("no working day in a week")  # parse() guarantees one

    def describe(self, locale: str, localizer: Localizer) -> str:
        """``mandag–fredag kl. 08:00–15:30`` in the person's language."""
        first = localizer.text(locale, *WEEKDAY_NAMES[self.first_day])
        last = localizer.text(locale, *WEEKDAY_NAMES[self.last_day])
        template = localizer.text(locale, *WEEKDAYS_RANGE)
        if self.first_day == self.last_day:
            template = template.replace("{first}–{last}", "{first}")
        return template.format(first=first, last=last, start=_hhmm(self.start), end=_hhmm(self.end))


def _pad(clock: str) -> str:
    return clock if len(clock) == 5 else f"0{clock}"


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def when_text(hours: OfficeHours, now: datetime, locale: str, localizer: Localizer) -> str:
    """«i morgen kl. 08:00», «mandag kl. 08:00» … for the next opening after ``now``."""
    opening = hours.next_opening(now)
    today = now.astimezone(hours.zone).date()
    clock = _hhmm(opening.time())
    if opening.date() == today:
        return localizer.text(locale, *TODAY_AT).format(time=clock)
    if opening.date() == today + timedelta(days=1):
        return localizer.text(locale, *TOMORROW_AT).format(time=clock)
    day = localizer.text(locale, *WEEKDAY_NAMES[opening.weekday()])
    return localizer.text(locale, *DAY_AT).format(day=day, time=clock)


def acknowledgement(
    hours: OfficeHours,
    now: datetime,
    locale: str,
    localizer: Localizer,
    *,
    recent: bool = False,
) -> str:
    """What a participant reads after writing to their kontaktperson."""
    if recent:
        return localizer.text(locale, *RECEIVED_SHORT)
    if hours.is_open(now):
        text = localizer.text(locale, *RECEIVED_OPEN)
        return text.format(hours=hours.describe(locale, localizer))
    text = localizer.text(locale, *RECEIVED_CLOSED)
    return text.format(next_open=when_text(hours, now, locale, localizer))


class Inbox:
    """The case inbox as the bot and the TUI use it."""

    def __init__(
        self,
        store: InboxStore,
        directory: DirectoryStore,
        audit: AuditLog,
        localizer: Localizer,
        clock: Clock,
        ids: IdFactory,
        hours: OfficeHours,
    ) -> None:
        self.ids = ids
        self.store = store
        self.directory = directory
        self.audit = audit
        self.localizer = localizer
        self.clock = clock
        self.hours = hours

    def acknowledgement_for(self, participant: Participant, locale: str | None = None) -> str:
        """The acknowledgement for a message from ``participant`` that is about to be stored:
        the full, honest one, or a short one if they wrote a moment ago."""
        now = self.clock.now()
        earlier = [m for m in self.store.messages_for(participant.id) if m.direction == "in"]
        recent = bool(earlier) and now - earlier[-1].at < RECENT
        return acknowledgement(
            self.hours, now, locale or participant.locale, self.localizer, recent=recent
        )

    def reply(self, participant_id: str, text: str, caseworker_id: str) -> InboxMessage:
        """Store a caseworker's reply and, in the same transaction, enqueue it for each of the
        participant's reachable chats; the channel marks it delivered once sent."""
        participant = self.directory.get_participant(participant_id)
        if participant is None:
            raise LookupError(f"no participant {participant_id}")
        prefix = self.localizer.text(participant.locale, *REPLY_PREFIX)
        message_id = self.ids.new_id()
        entries = [
            text_entry(
                link.channel,
                link.external_id,
                f"{prefix}\n\n{text}",
                participant_id=participant_id,
                inbox_message_id=message_id,
            )
            for link in reachable_links(self.directory, participant_id)
        ]
        message = self.store.add_message(
            participant.case_id,
            participant_id,
            "out",
            text,
            author=caseworker_id,
            outbox=entries,
            message_id=message_id,
        )
        self.audit.append(
            f"caseworker:{caseworker_id}",
            "message.sent",
            f"participant:{participant_id}",
            {"message_id": message.id, "channels": sorted({e.channel for e in entries})},
        )
        return message
