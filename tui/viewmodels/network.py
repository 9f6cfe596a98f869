"""The Nettverkskart tab: each participant's map as text and as a list; export as SVG/PNG."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.access import Audience, field_visible
from companion.flows.ports import Localizer
from companion.network_map import MapLabels, map_labels, render_png, render_svg
from tui.viewmodels.case_file import CaseFile
from tui.viewmodels.network_text import draw_map, legend
from tui.viewmodels.values import items


@dataclass(frozen=True)
class PersonLine:
    name: str
    category: str
    ring: str
    quality: str


@dataclass(frozen=True)
class NetworkView:
    participant_id: str
    name: str
    family: bool
    people: tuple[Mapping[str, Any], ...] | None
    """The people as stored (None when hidden from the viewer)."""
    lines: tuple[PersonLine, ...]
    picture: str
    legend: str
    could_help: str | None
    more_contact: tuple[str, ...]


def _lines(people: tuple[Mapping[str, Any], ...], labels: MapLabels) -> tuple[PersonLine, ...]:
    return tuple(
        PersonLine(
            name=str(p.get("text", "")),
            category=labels.categories.get(str(p.get("category")), str(p.get("category", ""))),
            ring=labels.rings.get(str(p.get("closeness")), ""),
            quality=labels.quality.get(str(p.get("quality") or "unknown"), ""),
        )
        for p in people
    )


def network_view(
    data: Mapping[str, Any],
    participant_id: str,
    name: str,
    family: bool,
    audience: Audience,
    labels: MapLabels,
) -> NetworkView:
    raw = items(data, "people")
    shown = field_visible(data, "people", audience)
    people = tuple(p for p in raw if isinstance(p, Mapping)) if shown else None
    more = items(data, "want_more_contact")
    return NetworkView(
        participant_id=participant_id,
        name=name,
        family=family,
        people=people,
        lines=_lines(people, labels) if people is not None else (),
        picture=draw_map(people, labels) if people else "",
        legend=legend(labels),
        could_help=str(data.get("could_help") or "")
        if field_visible(data, "could_help", audience)
        else None,
        more_contact=tuple(str(p.get("text", "")) for p in more if isinstance(p, Mapping))
        if field_visible(data, "want_more_contact", audience)
        else (),
    )


def network_views(case_file: CaseFile, localizer: Localizer, locale: str) -> list[NetworkView]:
    views = []
    for person in case_file.people:
        latest = person.latest("network")
        if latest is None:
            continue
        family = latest.flow_id == "nettverkskart_familie"
        labels = map_labels(localizer, locale, "family" if family else "youth")
        views.append(
            network_view(
                latest.data, person.participant.id, person.name, family, case_file.audience, labels
            )
        )
    return views


def export_pictures(
    view: NetworkView, localizer: Localizer, locale: str, directory: Path, stem: str
) -> list[Path]:
    """Write the map as ``stem.svg`` and ``stem.png``; nothing when the people are hidden."""
    if not view.people:
        return []
    labels = map_labels(localizer, locale, "family" if view.family else "youth")
    directory.mkdir(parents=True, exist_ok=True)
    svg, png = directory / f"{stem}.svg", directory / f"{stem}.png"
    svg.write_text(render_svg(view.people, labels), encoding="utf-8")
    png.write_bytes(render_png(view.people, labels))
    return [svg, png]
