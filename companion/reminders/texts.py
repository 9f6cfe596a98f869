"""What reminders say, in Bokmål marked for the catalogs, and dates and times the way each
language writes them (Babel's CLDR data), in the participant's own time zone.

Texts are rendered when a reminder is sent, never when it is scheduled: a parent who changes
language in the middle of a course gets the next reminder in the new language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale, dates

from companion.flows.answers import normalize_word
from companion.flows.messages import N_
from companion.flows.ports import Localizer
from companion.i18n.formatting import babel_locale

ASSIGNMENT = N_(
    "reminders:assignment",
    "Hei {name}! En liten påminnelse om hjemmeoppgaven fra møtet {date}:\n{assignment}",
)
ASSIGNMENT_SIMPLER = N_(
    "reminders:assignment_simpler", "Blir det for mye? Da kan dere prøve dette i stedet:\n{simpler}"
)
MEETING = N_(
    "reminders:meeting", "Hei {name}! Husk møtet med kontaktpersonen {date} klokka {time}."
)
MEETING_PLACE = N_(
    "reminders:meeting_place",
    "Hei {name}! Husk møtet med kontaktpersonen {date} klokka {time}. Sted: {place}.",
)
HOW_TO_ANSWER = N_(
    "reminders:how_to_answer",
    "Skriv «senere» hvis du vil bli minnet på det igjen om litt, eller «stopp» hvis du ikke vil "
    "ha flere påminnelser.",
)
SNOOZED = N_("reminders:snoozed", "Greit! Jeg minner deg på det igjen {date} klokka {time}.")
STOPPED = N_(
    "reminders:stopped",
    "Greit. Du får ingen flere påminnelser eller spørsmål fra meg før du skriver «start». "
    "Du kan fortsatt skrive til kontaktpersonen din her.",
)
STARTED = N_("reminders:started", "Fint! Nå får du påminnelser og spørsmål her igjen.")

SNOOZE_WORDS = N_(
    "reminders:words:snooze", "senere, seinere, seinare, minn meg senere, ikke nå, utsett, later"
)
STOP_WORDS = N_(
    "reminders:words:stop", "stopp, stop, stopp påminnelser, ingen påminnelser, ikke mer"
)
START_WORDS = N_("reminders:words:start", "start, start påminnelser, start igjen")

ALL_MESSAGES: tuple[tuple[str, str], ...] = (
    ASSIGNMENT,
    ASSIGNMENT_SIMPLER,
    MEETING,
    MEETING_PLACE,
    HOW_TO_ANSWER,
    SNOOZED,
    STOPPED,
    STARTED,
    SNOOZE_WORDS,
    STOP_WORDS,
    START_WORDS,
)
"""Every reminder text, for tests that check the catalogs."""

_YEAR = re.compile(r"[\s,،]*y+")


def cldr(localizer: Localizer, locale: str) -> Locale:
    """The CLDR locale of the language the text is shown in (so a sentence never mixes two)."""
    language: Callable[[str], str] | None = getattr(localizer, "language", None)
    return babel_locale(language(locale) if language is not None else locale)


@cache
def _weekday_date_pattern(locale: Locale) -> str:
    """The language's full date without the year: «tirsdag 24. mars», «Tuesday, 24 March»."""
    pattern = str(locale.date_formats["full"].pattern)
    return _YEAR.sub("", pattern).strip(" ,") or pattern


def weekday_date(locale: Locale, instant: datetime, tz: ZoneInfo) -> str:
    return dates.format_datetime(instant, _weekday_date_pattern(locale), tzinfo=tz, locale=locale)


def clock_time(locale: Locale, instant: datetime, tz: ZoneInfo) -> str:
    return dates.format_time(instant, "short", tzinfo=tz, locale=locale)


def say(localizer: Localizer, locale: str, message: tuple[str, str], **values: object) -> str:
    text = localizer.text(locale, *message)
    return text.format(**values) if values else text


def words(localizer: Localizer, locale: str, message: tuple[str, str]) -> frozenset[str]:
    """The locale's words plus the Bokmål ones (people mix languages), normalized."""
    raw = f"{localizer.text(locale, *message)},{message[1]}"
    found = (normalize_word(w) for w in raw.split(","))
    return frozenset(w for w in found if w)
