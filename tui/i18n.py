"""UI text: Bokmål sources marked ``N_(context, text)``, translated through a Localizer.

The TUI's strings live in the same catalogs as the flows (``companion i18n extract`` scans
``tui/``), so the services' localizer (shipped catalogs, then content packs) translates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from companion.flows.ports import Localizer

UI_LOCALES = ("nb", "nn", "en")

Message = tuple[str, str]


class Texts:
    """``texts(MESSAGE, name=value)``: a UI string in the viewer's language, filled in."""

    def __init__(self, localizer: Localizer, locale: str = "nb") -> None:
        self.localizer = localizer
        self.locale = locale

    def __call__(self, message: Message, **values: Any) -> str:
        context, source = message
        text = self.localizer.text(self.locale, context, source)
        return text.format(**values) if values else text

    def date(self, value: date | None) -> str:
        return "" if value is None else self.localizer.format_date(self.locale, value)

    def datetime(self, value: datetime | None) -> str:
        return "" if value is None else self.localizer.format_datetime(self.locale, value)

    def list(self, items: Sequence[str]) -> str:
        return self.localizer.format_list(self.locale, items)
