"""Text templates: ``{results.hevd.themes|bullets}`` fills in earlier answers.

Placeholders are ``{ref}`` or ``{ref|filter}``; ``{{`` and ``}}`` are literal braces. References
use the same roots as conditions. Values are formatted for the locale through the Localizer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from companion.flows.ports import Localizer

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)(?:\|([a-z_]+))?\}")
FILTERS = ("list", "bullets", "numbered", "count", "date", "number", "text")


class TemplateError(ValueError):
    pass


def placeholders(template: str) -> list[tuple[str, str | None]]:
    """The (ref, filter) pairs in a template; raises ``TemplateError`` on bad syntax."""
    found: list[tuple[str, str | None]] = []
    position = 0
    for match in PLACEHOLDER.finditer(template):
        _check_literal(template[position : match.start()])
        position = match.end()
        if match.group(1):
            ref, filter_name = match.group(1), match.group(2)
            if filter_name is not None and filter_name not in FILTERS:
                raise TemplateError(
                    f"unknown filter '{filter_name}' (expected one of: {', '.join(FILTERS)})"
                )
            found.append((ref, filter_name))
    _check_literal(template[position:])
    return found


def _check_literal(text: str) -> None:
    if "{" in text or "}" in text:
        raise TemplateError(
            f"a brace in {text.strip()!r} is not a placeholder; write {{{{ or }}}} for a brace"
        )


def render(template: str, lookup: Callable[[str], Any], localizer: Localizer, locale: str) -> str:
    """Fill a template's placeholders from ``lookup``; unknown refs become empty text."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "{{":
            return "{"
        if match.group(0) == "}}":
            return "}"
        value = lookup(match.group(1))
        return format_value(value, match.group(2), localizer, locale)

    return PLACEHOLDER.sub(substitute, template)


def item_text(value: Any) -> str:
    """The words of a collected item (``{"text": …}``) or a plain value."""
    if isinstance(value, dict):
        for key in ("text", "name", "label", "value"):
            if key in value:
                return item_text(value[key])
        return ""
    return "" if value is None else str(value)


def format_value(value: Any, filter_name: str | None, localizer: Localizer, locale: str) -> str:
    items = value if isinstance(value, list) else ([] if value is None else [value])
    if filter_name == "count":
        return localizer.format_number(locale, len(items))
    if filter_name == "bullets":
        return "\n".join(f"• {item_text(v)}" for v in items)
    if filter_name == "numbered":
        return "\n".join(f"{i}. {item_text(v)}" for i, v in enumerate(items, 1))
    if filter_name == "list" or isinstance(value, list):
        return localizer.format_list(locale, [item_text(v) for v in items])
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float) or filter_name == "number":
        return _format_number(value, localizer, locale)
    if filter_name == "date" or isinstance(value, date | datetime):
        return _format_date(value, localizer, locale)
    return item_text(value)


def _format_number(value: Any, localizer: Localizer, locale: str) -> str:
    try:
        return localizer.format_number(locale, float(value))
    except (TypeError, ValueError):
        return item_text(value)


def _format_date(value: Any, localizer: Localizer, locale: str) -> str:
    if isinstance(value, datetime):
        return localizer.format_datetime(locale, value)
    if isinstance(value, date):
        return localizer.format_date(locale, value)
    try:
        return localizer.format_date(locale, date.fromisoformat(str(value)))
    except ValueError:
        return item_text(value)
