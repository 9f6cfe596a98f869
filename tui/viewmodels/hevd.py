"""The HEVD tab: the youth's themes verbatim, ratings over time, and what they do not want."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from companion.access import Audience, field_visible
from tui.viewmodels.case_file import CaseFile
from tui.viewmodels.sparkline import sparkline
from tui.viewmodels.values import items


@dataclass(frozen=True)
class TopTheme:
    text: str
    ratings: tuple[int, ...]
    spark: str
    helped: tuple[str, ...]


@dataclass(frozen=True)
class HevdView:
    """One participant's HEVD; a field is None when the viewer may not see it."""

    name: str
    themes: tuple[tuple[str, bool, bool], ...] | None
    """(text, added later in a status check-in, said in a voice note)."""
    top: tuple[TopTheme, ...] | None
    not_wanted: tuple[str, ...] | None
    corrections: tuple[str, ...]


def _texts(items: Any) -> tuple[str, ...]:
    if not isinstance(items, list):
        return ()
    return tuple(str(i.get("text", "")) if isinstance(i, dict) else str(i) for i in items)


def _values(items: Any) -> list[Any]:
    if not isinstance(items, list):
        return []
    return [i.get("value") for i in items if isinstance(i, dict)]


def _top(item: Mapping[str, Any]) -> TopTheme:
    ratings = tuple(int(v) for v in _values(item.get("ratings")) if isinstance(v, int | float))
    return TopTheme(
        text=str(item.get("text", "")),
        ratings=ratings,
        spark=sparkline(ratings, 1, 10),
        helped=tuple(str(v) for v in _values(item.get("helped")) if v),
    )


def hevd_view(data: Mapping[str, Any], name: str, audience: Audience) -> HevdView:
    """The view of one ``hevd`` result, hiding what the youth kept from ``audience``."""

    def shown(field: str) -> bool:
        return field_visible(data, field, audience)

    themes = items(data, "themes")
    top = items(data, "top_themes")
    return HevdView(
        name=name,
        themes=tuple(
            (str(t.get("text", "")), bool(t.get("added_in")), t.get("source") == "voice")
            for t in themes
            if isinstance(t, dict)
        )
        if shown("themes")
        else None,
        top=tuple(_top(t) for t in top if isinstance(t, dict)) if shown("top_themes") else None,
        not_wanted=_texts(data.get("not_wanted")) if shown("not_wanted") else None,
        corrections=tuple(str(v) for v in _values(data.get("corrections")))
        if audience == "kontaktperson"
        else (),
    )


def hevd_views(case_file: CaseFile) -> list[HevdView]:
    """The latest HEVD of every participant who has one."""
    views = []
    for person in case_file.people:
        latest = person.latest("hevd")
        if latest is not None:
            views.append(hevd_view(latest.data, person.name, case_file.audience))
    return views
