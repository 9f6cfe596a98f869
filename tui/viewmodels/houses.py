"""De tre husene: three columns of the child's own words, and who may see each house."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from companion.access import Audience, field_visible
from tui import strings as s
from tui.i18n import Message, Texts
from tui.viewmodels.case_file import CaseFile
from tui.viewmodels.values import items

HOUSES: tuple[tuple[str, Message], ...] = (
    ("good", s.HOUSE_GOOD),
    ("worries", s.HOUSE_WORRIES),
    ("dreams", s.HOUSE_DREAMS),
)
HOW = {"said": s.HOW_SAID, "drew": s.HOW_DREW, "wrote": s.HOW_WROTE}


@dataclass(frozen=True)
class House:
    key: str
    title: str
    words: tuple[str, ...] | None
    """The child's words, verbatim (None when the viewer may not see this house)."""
    how: str
    who: str
    """Who may see it, as the child decided."""


@dataclass(frozen=True)
class HousesView:
    name: str
    heading: str
    houses: tuple[House, ...]
    changed: tuple[str, ...] | None
    change_rating: int | None


def _who(data: Mapping[str, Any], key: str, texts: Texts) -> str:
    chosen = (
        data.get("_visibility", {}).get(key) if isinstance(data.get("_visibility"), dict) else None
    )
    if not isinstance(chosen, list):
        return texts(s.HOUSE_NOT_ASKED)
    return texts(s.HOUSE_KP_PARENTS if "parents" in chosen else s.HOUSE_ONLY_KP)


def _words(items: Any) -> tuple[str, ...]:
    if not isinstance(items, list):
        return ()
    return tuple(str(i.get("text", "")) for i in items if isinstance(i, dict))


def houses_view(
    data: Mapping[str, Any], name: str, heading: str, audience: Audience, texts: Texts
) -> HousesView:
    houses = []
    for key, title in HOUSES:
        shown = field_visible(data, key, audience)
        how = items(data, f"{key}_how")
        how_text = texts.list([texts(HOW[h]) for h in how if h in HOW]) if shown else ""
        houses.append(
            House(
                key=key,
                title=texts(title),
                words=_words(data.get(key)) if shown else None,
                how=texts(s.HOUSE_HOW, how=how_text) if how_text else "",
                who=texts(s.HOUSE_WHO, who=_who(data, key, texts)),
            )
        )
    rating = data.get("change_rating")
    return HousesView(
        name=name,
        heading=heading,
        houses=tuple(houses),
        changed=_words(data.get("changed")) if field_visible(data, "changed", audience) else None,
        change_rating=rating
        if isinstance(rating, int) and field_visible(data, "change_rating", audience)
        else None,
    )


def houses_views(case_file: CaseFile, texts: Texts) -> list[HousesView]:
    """Every tre_hus conversation of every participant, newest first."""
    views = []
    for person in case_file.people:
        params = {s.id: s.params for s in person.sessions}
        for result in reversed(person.all_of("houses")):
            variant = params.get(result.session_id, {}).get("variant", "start")
            label = s.HOUSE_VARIANT_END if variant == "slutt" else s.HOUSE_VARIANT_START
            heading = texts(
                s.HOUSE_STARTED, variant=texts(label), when=texts.date(result.updated_at)
            )
            views.append(houses_view(result.data, person.name, heading, case_file.audience, texts))
    return views
