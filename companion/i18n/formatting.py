"""Numbers, dates and lists the way each language writes them, with Babel's CLDR data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from functools import cache

from babel import Locale, UnknownLocaleError, dates, lists, numbers

REGIONS = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}
"""Our languages' regional formats (British English writes the day first, like Norway)."""
DEFAULT_TIMEZONE = "Europe/Oslo"


@cache
def babel_locale(language: str, fallback: str = "nb") -> Locale:
    """The CLDR locale for a language; the fallback's when Babel does not know it."""
    try:
        return Locale.parse(REGIONS.get(language, language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(REGIONS.get(fallback, fallback))


def format_number(locale: Locale, value: float) -> str:
    return numbers.format_decimal(value, locale=locale)


def format_date(locale: Locale, value: date) -> str:
    # The short form (05.01.2026, 05/01/2026) is what the date parser accepts, so a hint's
    # example can be typed back as it is.
    return dates.format_date(value, "short", locale=locale)


def format_datetime(locale: Locale, value: datetime, zone: tzinfo) -> str:
    """Naive datetimes are taken as UTC, like the engine's clock."""
    return dates.format_datetime(value, "short", tzinfo=zone, locale=locale)


def format_list(locale: Locale, items: Sequence[str]) -> str:
    return lists.format_list(list(items), locale=locale) if items else ""
