"""``BabelLocalizer``: the engine's ``Localizer`` port over gettext catalogs and CLDR formats."""

from __future__ import annotations

import gettext
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from babel import Locale
from babel.dates import get_timezone

from companion.i18n import formatting as fmt
from companion.i18n.completeness import usable
from companion.i18n.files import read_catalog
from companion.i18n.paths import LOCALES_DIR, SOURCE_LOCALE, mo_path, pack_locales_dir, po_path

Lookup = Callable[[str, str], str]
"""(context, source) → translation, or ``""`` when the catalog has none."""

ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "eng": "en"}
"""Tags some clients send for our languages (``no`` is Norwegian, written as Bokmål)."""


class BabelLocalizer:
    """Content-pack catalogs, then the shipped ones, then the Bokmål source.

    Later ``extra_dirs`` override earlier ones. Each is a content pack with its own
    ``locales/`` dir (or such a dir itself). Catalogs load on first use and stay cached.
    """

    def __init__(
        self,
        locales_dir: Path = LOCALES_DIR,
        extra_dirs: Sequence[Path] = (),
        fallback: str = SOURCE_LOCALE,
        timezone: str = fmt.DEFAULT_TIMEZONE,
    ) -> None:
        self.dirs = [*(pack_locales_dir(p) for p in reversed(extra_dirs)), locales_dir]
        self.fallback = fallback
        self.timezone = get_timezone(timezone)
        self._lookups: dict[str, list[Lookup]] = {}
        self._languages: dict[str, str] = {}

    def language(self, locale: str) -> str:
        """The language shown for ``locale``: one that has a catalog, else the fallback."""
        known = self._languages.get(locale)
        if known is None:
            known = next((c for c in _candidates(locale) if self._has(c)), self.fallback)
            self._languages[locale] = known
        return known

    def reload(self) -> None:
        """Forget loaded catalogs (after ``companion i18n compile`` in a running process)."""
        self._lookups.clear()
        self._languages.clear()

    def text(self, locale: str, context: str, source: str) -> str:
        language = self.language(locale)
        if language == self.fallback:
            return source
        for lookup in self._lookups_for(language):
            translated = lookup(context, source)
            if translated:
                return translated
        return source

    def format_number(self, locale: str, value: float) -> str:
        return fmt.format_number(self._cldr(locale), value)

    def format_date(self, locale: str, value: date) -> str:
        return fmt.format_date(self._cldr(locale), value)

    def format_datetime(self, locale: str, value: datetime) -> str:
        return fmt.format_datetime(self._cldr(locale), value, self.timezone)

    def format_list(self, locale: str, items: Sequence[str]) -> str:
        return fmt.format_list(self._cldr(locale), items)

    def _cldr(self, locale: str) -> Locale:
        # Formats follow the language the text is shown in, so a sentence never mixes two.
        return fmt.babel_locale(self.language(locale), self.fallback)

    def _has(self, language: str) -> bool:
        if language == self.fallback:
            return True
        return any(
            po_path(d, language).is_file() or mo_path(d, language).is_file() for d in self.dirs
        )

    def _lookups_for(self, language: str) -> list[Lookup]:
        lookups = self._lookups.get(language)
        if lookups is None:
            lookups = [load_lookup(d, language) for d in self.dirs]
            self._lookups[language] = lookups
        return lookups


def _candidates(locale: str) -> list[str]:
    """``nn-NO`` → ``nn_NO``, ``nn``; aliases mapped (``no`` → ``nb``)."""
    tag = locale.strip().replace("-", "_")
    primary = tag.split("_")[0].lower()
    return [ALIASES.get(t, t) for t in (tag, primary) if t]


def load_lookup(locales_dir: Path, language: str) -> Lookup:
    """The compiled ``.mo`` when it is at least as new as the ``.po``; else the ``.po`` itself."""
    po, mo = po_path(locales_dir, language), mo_path(locales_dir, language)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime_ns >= po.stat().st_mtime_ns):
        with mo.open("rb") as fileobj:
            translations = gettext.GNUTranslations(fileobj)
        translations.add_fallback(_Missing())
        return translations.pgettext
    if po.is_file():
        table = {
            (m.context or "", m.id): m.string
            for m in read_catalog(po, language)
            if isinstance(m.id, str) and isinstance(m.string, str) and m.id and usable(m)
        }
        return lambda context, source: table.get((context, source), "")
    return lambda context, source: ""


class _Missing(gettext.NullTranslations):
    """Answers ``""`` for a message the ``.mo`` lacks, so the next catalog is asked."""

    def pgettext(self, context: str, message: str) -> str:
        return ""
