"""How much of a template a catalog translates, and which translations break placeholders."""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.messages import Catalog, Message

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Completeness:
    total: int
    missing: tuple[str, ...]
    """Contexts (or msgids) with no usable translation: absent, empty or fuzzy."""
    broken: tuple[str, ...]
    """Contexts whose translation has other ``{…}`` placeholders than the source."""

    @property
    def done(self) -> int:
        return self.total - len(self.missing)

    @property
    def percent(self) -> int:
        # Rounded down, so 99.9 % never reads as complete.
        return 100 if self.total == 0 else self.done * 100 // self.total

    def summary(self, locale: str) -> str:
        return f"{locale}: {self.done}/{self.total} ({self.percent}%)"


def completeness(template: Catalog, catalog: Catalog | None) -> Completeness:
    """Compare by (msgid, context); obsolete entries are not in ``catalog``'s messages at all."""
    missing: list[str] = []
    broken: list[str] = []
    wanted = [m for m in template if m.id]
    for source in wanted:
        found = catalog.get(source.id, source.context) if catalog is not None else None
        label = source.context or str(source.id)
        if found is None or not usable(found):
            missing.append(label)
        elif _placeholders(found.string) != _placeholders(source.id):
            broken.append(label)
    return Completeness(total=len(wanted), missing=tuple(missing), broken=tuple(broken))


def usable(message: Message) -> bool:
    """A translation the runtime will use: present, not empty, not fuzzy."""
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


def _placeholders(text: object) -> set[str]:
    parts = text if isinstance(text, tuple) else (text,)
    return {p for part in parts if isinstance(part, str) for p in PLACEHOLDER.findall(part)}
