"""Turn a layout plus localised labels into simple shapes that both renderers draw alike."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from companion.network_map import style
from companion.network_map.geometry import (
    BADGE_R,
    LEGEND_TOP,
    LINE_HEIGHT,
    NODE_R,
    OUTER_R,
    RING_LABEL_SIZE,
    SECTOR_LABEL_SIZE,
    Layout,
    Placed,
    Sector,
    polar,
    text_width,
)
from companion.network_map.labels import MapLabels
from companion.network_map.people import ELLIPSIS, RINGS, clean_text

Anchor = Literal["start", "middle", "end"]
Point = tuple[float, float]


@dataclass(frozen=True)
class Circle:
    """A filled and/or outlined circle."""

    x: float
    y: float
    r: float
    fill: str | None
    stroke: str | None = None
    stroke_width: float = 0.0


@dataclass(frozen=True)
class Segment:
    """A straight line, solid, dashed or dotted."""

    x0: float
    y0: float
    x1: float
    y1: float
    colour: str
    width: float
    dash: style.Dash = "solid"
    cls: str = ""


@dataclass(frozen=True)
class Polygon:
    """A filled polygon (arrowheads)."""

    points: tuple[Point, ...]
    fill: str


@dataclass(frozen=True)
class Rect:
    """A rectangle with optional rounded corners."""

    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None
    radius: float = 0.0


@dataclass(frozen=True)
class Text:
    """Text whose first line's baseline is at ``y``; further lines follow after newlines."""

    x: float
    y: float
    text: str
    size: float
    colour: str = style.INK
    anchor: Anchor = "middle"
    bold: bool = False
    halo: bool = False
    cls: str = ""
    tooltip: str | None = None

    @property
    def lines(self) -> list[str]:
        """The lines of the text (names are cleaned, so a newline only ever separates lines)."""
        return self.text.split("\n")

    @property
    def line_step(self) -> float:
        """Distance between baselines."""
        return self.size * LINE_HEIGHT


Shape = Circle | Segment | Polygon | Rect | Text


@dataclass(frozen=True)
class Group:
    """Shapes drawn together; the name becomes an SVG class."""

    name: str
    shapes: tuple[Shape, ...]


@dataclass(frozen=True)
class Scene:
    """A whole picture in canvas units."""

    width: float
    height: float
    title: str
    groups: tuple[Group, ...]


LEGEND_ROW = 21.0
LEGEND_COLUMNS = (58.0, 360.0, 672.0)
LEGEND_TEXT_SIZE = 12.5


def fit(text: str, size: float, max_width: float, min_size: float = 10.0) -> tuple[str, float]:
    """Shrink the font, then cut with an ellipsis, until ``text`` fits in ``max_width``."""
    while size > min_size and text_width(text, size) > max_width:
        size = max(min_size, size - 0.5)
    while len(text) > 1 and text_width(text, size) > max_width:
        text = text[:-2].rstrip() + ELLIPSIS
    return text, size


def wrap(text: str, size: float, max_width: float, max_lines: int = 2) -> tuple[list[str], float]:
    """Break ``text`` into at most ``max_lines`` lines that fit, shrinking the font if needed."""
    words = text.split() or [""]
    lines: list[str] = []
    for word in words:
        if lines and text_width(f"{lines[-1]} {word}", size) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    size = min(fit(line, size, max_width)[1] for line in lines)
    return [fit(line, size, max_width)[0] for line in lines], size


def _colours(layout: Layout) -> dict[str, str]:
    palette = style.CATEGORY_COLOURS
    return {s.category: palette[i % len(palette)] for i, s in enumerate(layout.sectors)}


def wedge(start: float, end: float, inner: float, outer: float, fill: str) -> Polygon:
    """A slice of a ring between two angles, as a polygon (both renderers draw polygons alike)."""
    steps = max(2, math.ceil((end - start) / 2))
    angles = [start + (end - start) * i / steps for i in range(steps + 1)]
    points = [polar(a, outer) for a in angles] + [polar(a, inner) for a in reversed(angles)]
    return Polygon(tuple(points), fill)


def _rings(layout: Layout, labels: MapLabels) -> tuple[Group, Group]:
    discs: list[Shape] = [
        Circle(layout.cx, layout.cy, ring.outer, style.RING_FILL[ring.key])
        for ring in reversed(layout.rings)
    ]
    # Every other category's slice is a shade darker, so the slices read as groups at a glance.
    if len(layout.sectors) > 1:
        discs += [
            wedge(sector.start, sector.end, ring.inner, ring.outer, style.RING_FILL_ALT[ring.key])
            for sector in layout.sectors[1::2]
            for ring in layout.rings
        ]
    discs += [
        Circle(layout.cx, layout.cy, ring.outer, None, style.RING_EDGE, 1.5)
        for ring in reversed(layout.rings)
    ]
    texts: list[Shape] = []
    for ring in layout.rings:
        box = ring.label_box
        text, size = fit(
            clean_text(labels.rings.get(ring.key, "")), RING_LABEL_SIZE, box.x1 - box.x0
        )
        texts.append(
            Text(layout.cx, box.y1 - 3.5, text, size, style.MUTED, halo=True, cls="ring-label")
        )
    return Group("rings", tuple(discs)), Group("ring-labels", tuple(texts))


def _sector_label(sector: Sector, text: str, colour: str) -> list[Shape]:
    box = sector.label_box
    (ax, _), anchor = sector.label_anchor
    lines, size = wrap(text, SECTOR_LABEL_SIZE, box.x1 - box.x0)
    step = size * LINE_HEIGHT
    # Above the map the block grows upward from the rim, below it downward, beside it centred.
    top = sector.label_top(len(lines) * step)
    return [
        Text(ax, top + (i + 0.85) * step, line, size, colour, anchor, bold=True, halo=True)
        for i, line in enumerate(lines)
    ]


def _sectors(layout: Layout, labels: MapLabels, colours: dict[str, str]) -> Group:
    shapes: list[Shape] = []
    if len(layout.sectors) > 1:
        for sector in layout.sectors:
            (x0, y0), (x1, y1) = (
                polar(sector.start, layout.centre_radius),
                polar(sector.start, OUTER_R),
            )
            shapes.append(Segment(x0, y0, x1, y1, style.DIVIDER, 4.0, cls="divider"))
    for sector in layout.sectors:
        name = clean_text(labels.category(sector.category))
        shapes += _sector_label(sector, name, colours[sector.category])
    return Group("sectors", tuple(shapes))


def _line_style(p: Placed) -> tuple[str, style.LineStyle]:
    key = p.person.quality or "unknown"
    return key, style.LINE_STYLES[key]


def link(p: Placed) -> Segment:
    """The line from the centre to one person, styled by relationship quality."""
    key, ls = _line_style(p)
    (x0, y0), (x1, y1) = p.line
    return Segment(x0, y0, x1, y1, ls.colour, ls.width, ls.dash, cls=f"link q-{key}")


def two_way_badge(x: float, y: float) -> list[Shape]:
    """A white disc with a double-headed arrow: «we support each other»."""
    return [
        Circle(x, y, BADGE_R, style.BACKGROUND, style.INK, 1.3),
        Segment(x - 3.5, y, x + 3.5, y, style.INK, 1.6),
        Polygon(((x - 6.0, y), (x - 2.5, y - 3.2), (x - 2.5, y + 3.2)), style.INK),
        Polygon(((x + 6.0, y), (x + 2.5, y - 3.2), (x + 2.5, y + 3.2)), style.INK),
    ]


def more_badge(x: float, y: float) -> list[Shape]:
    """A green disc with a white plus: «wants more contact»."""
    arm = BADGE_R * 0.55
    return [
        Circle(x, y, BADGE_R, style.MORE_FILL, style.BACKGROUND, 1.2),
        Segment(x - arm, y, x + arm, y, style.BACKGROUND, 2.0),
        Segment(x, y - arm, x, y + arm, style.BACKGROUND, 2.0),
    ]


def _person(p: Placed, colour: str) -> list[Shape]:
    shapes: list[Shape] = [Circle(p.x, p.y, NODE_R, colour, style.BACKGROUND, 2.0)]
    for kind, (bx, by) in p.badges:
        shapes += two_way_badge(bx, by) if kind == "two_way" else more_badge(bx, by)
    bx, by = p.label_baselines[0]
    shapes.append(
        Text(
            bx,
            by,
            "\n".join(p.label_lines),
            p.label_size,
            anchor=p.label_anchor,
            halo=True,
            cls="name",
            tooltip=p.person.name if p.truncated else None,
        )
    )
    return shapes


def _centre(layout: Layout, labels: MapLabels) -> Group:
    text, size = fit(clean_text(labels.center), 20.0, layout.centre_radius * 1.7)
    return Group(
        "centre",
        (
            Circle(
                layout.cx,
                layout.cy,
                layout.centre_radius,
                style.CENTRE_FILL,
                style.CENTRE_EDGE,
                2.5,
            ),
            Text(layout.cx, layout.cy + size * 0.36, text, size, bold=True, cls="centre-label"),
        ),
    )


def ring_icon(x: float, y: float, highlighted: int) -> list[Shape]:
    """Three tiny rings with one of them filled in, explaining a ring of the map."""
    edges = (2.6, 5.2, 7.8, 10.4)
    shapes: list[Shape] = []
    for i in reversed(range(3)):
        fill = style.RING_HIGHLIGHT if i == highlighted else style.BACKGROUND
        shapes.append(Circle(x, y, edges[i + 1], fill, style.RING_EDGE, 1.0))
    shapes.append(Circle(x, y, edges[0], style.CENTRE_FILL, style.CENTRE_EDGE, 0.8))
    return shapes


def _legend_line(x: float, y: float, key: str, label: str) -> list[Shape]:
    ls = style.LINE_STYLES[key]
    text, size = fit(label, LEGEND_TEXT_SIZE, 240)
    return [
        Segment(x, y - 4, x + 40, y - 4, ls.colour, ls.width, ls.dash, cls=f"legend-line q-{key}"),
        Text(x + 50, y, text, size, anchor="start"),
    ]


def _legend(layout: Layout, labels: MapLabels) -> Group:
    top = LEGEND_TOP
    shapes: list[Shape] = [
        Rect(
            24,
            top,
            layout.width - 48,
            layout.height - top - 8,
            style.LEGEND_FILL,
            style.LEGEND_EDGE,
            10,
        ),
    ]
    title, size = fit(clean_text(labels.legend_title), 15.0, 600)
    shapes.append(Text(LEGEND_COLUMNS[0] - 20, top + 21, title, size, bold=True, anchor="start"))
    first = top + 42
    ring_x, line_x, mark_x = LEGEND_COLUMNS
    for i, ring in enumerate(RINGS):
        y = first + i * LEGEND_ROW
        shapes += ring_icon(ring_x + 9, y - 4.5, i)
        text, size = fit(clean_text(labels.rings.get(ring, "")), LEGEND_TEXT_SIZE, 230)
        shapes.append(Text(ring_x + 28, y, text, size, anchor="start"))
    # «Not assessed» only when someone is unassessed and the caller named it.
    used_unknown = "unknown" in labels.quality and any(
        p.person.quality is None for p in layout.people
    )
    keys = ["supportive", "mixed", "burdensome"] + (["unknown"] if used_unknown else [])
    for i, key in enumerate(keys):
        label = clean_text(labels.quality.get(key, ""))
        shapes += _legend_line(line_x, first + i * LEGEND_ROW, key, label)
    for i, (badge, label) in enumerate(
        ((two_way_badge, labels.gives_support), (more_badge, labels.wants_more_contact))
    ):
        y = first + i * LEGEND_ROW
        shapes += badge(mark_x + 8, y - 4.5)
        text, size = fit(clean_text(label), LEGEND_TEXT_SIZE, 250)
        shapes.append(Text(mark_x + 24, y, text, size, anchor="start"))
    return Group("legend", tuple(shapes))


def build_scene(layout: Layout, labels: MapLabels) -> Scene:
    """All shapes of the picture, back to front."""
    colours = _colours(layout)
    title, title_size = fit(clean_text(labels.title), 28.0, layout.width - 80)
    rings, ring_labels = _rings(layout, labels)
    groups = [
        Group("background", (Rect(0, 0, layout.width, layout.height, style.BACKGROUND),)),
        Group("title", (Text(layout.cx, 50, title, title_size, bold=True, cls="title"),)),
        rings,
        _sectors(layout, labels, colours),
        ring_labels,
        Group("links", tuple(link(p) for p in layout.people)),
        _centre(layout, labels),
        Group(
            "people",
            tuple(s for p in layout.people for s in _person(p, colours[p.person.category])),
        ),
    ]
    if not layout.people:
        middle = layout.ring("middle")
        y = layout.cy + (middle.inner + middle.outer) / 2
        text, size = fit(clean_text(labels.empty), 20.0, 2 * middle.inner)
        groups.append(Group("empty", (Text(layout.cx, y, text, size, style.MUTED, halo=True),)))
    groups.append(_legend(layout, labels))
    return Scene(layout.width, layout.height, title, tuple(groups))
