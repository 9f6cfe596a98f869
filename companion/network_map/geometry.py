"""Shapes and measures of the network map: canvas, rings, sectors, boxes and placed people."""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from companion.network_map.people import RINGS, Closeness, Person

# One abstract canvas; renderers scale it (SVG via viewBox, PNG by a factor).
WIDTH = 1000.0
HEIGHT = 1000.0
CX = 500.0
CY = 470.0
CENTRE_R = 48.0
# Usual band edges: inner 48–150, middle 150–252, outer 252–350 (the outer band is a little
# narrower: its circumference already gives it far more room). make_rings() adapts them.
RING_EDGES = (CENTRE_R, 150.0, 252.0, 350.0)
OUTER_R = RING_EDGES[-1]
MIN_RING_WIDTH = 62.0
RING_CAPACITY = 45.0
MIN_EMPTY_RING_WIDTH = 45.0
# Names of people in the outer ring may poke this far past the rim, never into a sector label.
OVERHANG = 12.0
TITLE_BOTTOM = 64.0
LEGEND_TOP = 878.0

NODE_R = 9.0
BADGE_R = 7.5
BADGE_GAP = 2.0
LABEL_SIZE = 15.0
LINE_HEIGHT = 1.2
RING_LABEL_SIZE = 11.0
RING_LABEL_BOX = (150.0, 15.0)
SECTOR_LABEL_SIZE = 16.0
SECTOR_LABEL_GAP = 14.0
SECTOR_LABEL_BOX = (150.0, 2 * SECTOR_LABEL_SIZE * LINE_HEIGHT + 2)
SECTOR_LABEL_WIDE = 220.0

Point = tuple[float, float]
Badge = Literal["two_way", "more"]
Side = Literal["above", "below", "left", "right"]
TextAnchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        """Whether the boxes come closer than ``gap``."""
        return (
            self.x0 < other.x1 + gap
            and other.x0 < self.x1 + gap
            and self.y0 < other.y1 + gap
            and other.y0 < self.y1 + gap
        )

    def within(self, other: Box) -> bool:
        """Whether this box lies entirely inside ``other``."""
        return (
            other.x0 <= self.x0
            and self.x1 <= other.x1
            and other.y0 <= self.y0
            and self.y1 <= other.y1
        )

    def corners(self) -> tuple[Point, Point, Point, Point]:
        """The four corners."""
        return ((self.x0, self.y0), (self.x1, self.y0), (self.x0, self.y1), (self.x1, self.y1))


MAP_AREA = Box(10.0, TITLE_BOTTOM, WIDTH - 10.0, LEGEND_TOP - 6.0)


@dataclass(frozen=True)
class RingBand:
    """One closeness ring: distances from the centre between ``inner`` and ``outer``."""

    key: Closeness
    inner: float
    outer: float

    @property
    def label_box(self) -> Box:
        """Reserved room for the ring's small label, at the top of the band."""
        w, h = RING_LABEL_BOX
        top = CY - self.outer + 3
        return Box(CX - w / 2, top, CX + w / 2, top + h)


@dataclass(frozen=True)
class Sector:
    """One category's wedge, in degrees clockwise from 12 o'clock."""

    category: str
    start: float
    end: float

    @property
    def mid(self) -> float:
        """The angle halfway through the wedge."""
        return (self.start + self.end) / 2

    def contains(self, angle: float) -> bool:
        """Whether ``angle`` (0–360) lies in the wedge."""
        return self.start <= angle % 360 <= self.end

    @property
    def label_anchor(self) -> tuple[Point, TextAnchor]:
        """Where the sector's name hangs outside the rim, and how it aligns there."""
        sin = math.sin(math.radians(self.mid))
        anchor: TextAnchor = "start" if sin > 0.3 else "end" if sin < -0.3 else "middle"
        return polar(self.mid, OUTER_R + SECTOR_LABEL_GAP), anchor

    def label_top(self, block_height: float) -> float:
        """Top of a text block of this height: above the anchor at 12, below it at 6 o'clock."""
        (_, ay), _ = self.label_anchor
        cos = math.cos(math.radians(self.mid))
        return ay - block_height / 2 - cos * block_height / 2

    @property
    def label_box(self) -> Box:
        """The room reserved for the sector's name; the renderer fits the text inside it."""
        (ax, _), anchor = self.label_anchor
        w, h = SECTOR_LABEL_BOX
        if anchor == "start":
            w = min(w, MAP_AREA.x1 - ax)
            x0 = ax
        elif anchor == "end":
            w = min(w, ax - MAP_AREA.x0)
            x0 = ax - w
        else:
            # Above and below the map there is room to spread out instead of wrapping.
            w = SECTOR_LABEL_WIDE
            x0 = ax - w / 2
        top = self.label_top(h)
        return Box(x0, top, x0 + w, top + h)


@dataclass(frozen=True)
class Placed:
    """A person with a position, a line to the centre and boxes for collision checks."""

    person: Person
    x: float
    y: float
    label_lines: tuple[str, ...]
    label_box: Box
    node_box: Box
    label_size: float
    label_side: Side = "below"

    @property
    def radius(self) -> float:
        """Distance from the centre."""
        return math.hypot(self.x - CX, self.y - CY)

    @property
    def angle(self) -> float:
        """Angle in degrees clockwise from 12 o'clock."""
        return angle_of(self.x, self.y)

    @property
    def line(self) -> tuple[Point, Point]:
        """The line from the centre disc's edge to the person's dot's edge."""
        return line_to(self.x, self.y)

    @property
    def badges(self) -> list[tuple[Badge, Point]]:
        """Which badges the person has and where their centres are."""
        return [(kind, (bx, self.y)) for kind, bx in badge_centres(self.x, self.person)]

    @property
    def truncated(self) -> bool:
        """Whether the label shows less than the whole name."""
        return " ".join(self.label_lines) != self.person.name

    @property
    def label_anchor(self) -> TextAnchor:
        """How each label line aligns to its point in :attr:`label_baselines`."""
        if self.label_side == "left":
            return "end"
        return "start" if self.label_side == "right" else "middle"

    @property
    def label_baselines(self) -> list[Point]:
        """Anchor point on the baseline of each label line."""
        box = self.label_box
        x = {"left": box.x1 - 2, "right": box.x0 + 2}.get(self.label_side, self.x)
        first = box.y0 + self.label_size * 0.95
        return [
            (x, first + i * self.label_size * LINE_HEIGHT) for i in range(len(self.label_lines))
        ]


@dataclass(frozen=True)
class Layout:
    """Everything needed to draw the map, in canvas units."""

    width: float
    height: float
    cx: float
    cy: float
    centre_radius: float
    rings: tuple[RingBand, ...]
    sectors: tuple[Sector, ...]
    people: tuple[Placed, ...]
    label_size: float

    def ring(self, key: str) -> RingBand:
        """The ring with this key."""
        return next(r for r in self.rings if r.key == key)

    def sector(self, category: str) -> Sector:
        """The sector of this category."""
        return next(s for s in self.sectors if s.category == category)


def polar(angle: float, radius: float) -> Point:
    """Canvas point at ``angle`` degrees clockwise from 12 o'clock and ``radius`` from centre."""
    a = math.radians(angle)
    return CX + radius * math.sin(a), CY - radius * math.cos(a)


def angle_of(x: float, y: float) -> float:
    """Angle of a canvas point in degrees clockwise from 12 o'clock, in [0, 360)."""
    return math.degrees(math.atan2(x - CX, CY - y)) % 360


def _char_em(char: str) -> float:
    # Deliberately a little wider than DejaVu Sans (and Verdana), so estimated boxes hold the text.
    if char in "iljI.,:;'!|":
        return 0.32
    if char in "frt()-/ ":
        return 0.43
    if char in "mwMWæÆœŒ%@…&" or unicodedata.east_asian_width(char) in {"W", "F"}:
        return 1.0
    if char.isupper() or char in "<>":
        return 0.84
    return 0.65


def text_width(text: str, size: float) -> float:
    """Estimated rendered width of ``text`` at font ``size``, erring on the wide side."""
    return sum(_char_em(c) for c in text) * size


@functools.lru_cache(maxsize=1024)
def split_label(label: str) -> tuple[str, ...] | None:
    """The label on two lines, broken at the space that balances them best; None if no space."""
    spaces = [i for i, c in enumerate(label) if c == " "]
    if not spaces:
        return None
    best = min(spaces, key=lambda i: max(text_width(label[:i], 1), text_width(label[i + 1 :], 1)))
    return label[:best], label[best + 1 :]


def label_extent(lines: Sequence[str], size: float) -> tuple[float, float]:
    """Width and height of a label of these lines, with a little padding."""
    width = max(text_width(line, size) for line in lines) + 4
    return width, size * (1.25 + LINE_HEIGHT * (len(lines) - 1))


def label_box(node: Box, x: float, y: float, extent: tuple[float, float], side: Side) -> Box:
    """The box a label of this extent takes on this side of the node."""
    w, h = extent
    if side == "above":
        return Box(x - w / 2, node.y0 - 2 - h, x + w / 2, node.y0 - 2)
    if side == "below":
        return Box(x - w / 2, node.y1 + 2, x + w / 2, node.y1 + 2 + h)
    if side == "left":
        return Box(node.x0 - 3 - w, y - h / 2, node.x0 - 3, y + h / 2)
    return Box(node.x1 + 3, y - h / 2, node.x1 + 3 + w, y + h / 2)


def label_sides(x: float, y: float) -> tuple[Side, Side, Side]:
    """Sides to try for a label, best first: outward, so the person's own line misses it."""
    vertical: Side = "above" if y < CY else "below"
    flipped: Side = "below" if vertical == "above" else "above"
    side: Side = "right" if x >= CX else "left"
    # Beside the dot near 3 and 9 o'clock, where outward is sideways; above or below elsewhere.
    if abs(math.sin(math.radians(angle_of(x, y)))) >= 0.8:
        return side, vertical, flipped
    return vertical, side, flipped


def badge_centres(x: float, person: Person) -> list[tuple[Badge, float]]:
    """Horizontal centres of a person's badges, on the dot's outward side (away from the line)."""
    side = 1.0 if x >= CX else -1.0
    kinds: list[Badge] = []
    if person.gives_support:
        kinds.append("two_way")
    if person.wants_more_contact:
        kinds.append("more")
    step = 2 * BADGE_R + BADGE_GAP
    first = NODE_R + BADGE_GAP + BADGE_R
    return [(kind, x + side * (first + i * step)) for i, kind in enumerate(kinds)]


def node_box(x: float, y: float, person: Person) -> Box:
    """The box taken by a person's dot and badges."""
    xs = [x - NODE_R, x + NODE_R]
    for _, bx in badge_centres(x, person):
        xs += [bx - BADGE_R, bx + BADGE_R]
    return Box(min(xs), y - NODE_R, max(xs), y + NODE_R)


def dot_box(x: float, y: float) -> Box:
    """The box around the dot alone."""
    return Box(x - NODE_R - 1, y - NODE_R - 1, x + NODE_R + 1, y + NODE_R + 1)


def line_to(x: float, y: float) -> tuple[Point, Point]:
    """The line from the centre disc's edge to the edge of a dot at (x, y)."""
    r = math.hypot(x - CX, y - CY)
    ux, uy = (x - CX) / r, (y - CY) / r
    end = r - NODE_R - 1
    return (CX + ux * CENTRE_R, CY + uy * CENTRE_R), (CX + ux * end, CY + uy * end)


def segment_hits_box(p: Point, q: Point, box: Box) -> bool:
    """Whether the segment p→q passes through the box (Liang–Barsky clipping)."""
    if (
        max(p[0], q[0]) < box.x0
        or min(p[0], q[0]) > box.x1
        or max(p[1], q[1]) < box.y0
        or min(p[1], q[1]) > box.y1
    ):
        return False
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for edge_p, edge_q in (
        (-dx, p[0] - box.x0),
        (dx, box.x1 - p[0]),
        (-dy, p[1] - box.y0),
        (dy, box.y1 - p[1]),
    ):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def make_rings(people: Sequence[Person] = ()) -> tuple[RingBand, ...]:
    """The three closeness rings, innermost first; a crowded ring borrows room from the others."""
    r0, r1, r2, r3 = RING_EDGES
    total = r3**2 - r0**2
    usual = [(r1**2 - r0**2) / total, (r2**2 - r1**2) / total, (r3**2 - r2**2) / total]
    counts = [sum(p.ring == key for p in people) for key in RINGS]
    # A ring keeps its usual share of the disc's area unless more than that share of
    # RING_CAPACITY people need it; then it grows and the others give way.
    wanted = [max(u, n / RING_CAPACITY) for u, n in zip(usual, counts, strict=True)]
    if wanted != usual:
        inner, middle = (w / sum(wanted) for w in wanted[:2])
        r1 = math.sqrt(r0**2 + inner * total)
        r2 = math.sqrt(r1**2 + middle * total)
        widths = [MIN_RING_WIDTH if n else MIN_EMPTY_RING_WIDTH for n in counts]
        r2 = max(min(r2, r3 - widths[2]), r0 + widths[0] + widths[1])
        r1 = max(min(r1, r2 - widths[1]), r0 + widths[0])
    return tuple(
        RingBand(key, inner_edge, outer_edge)
        for key, inner_edge, outer_edge in zip(RINGS, (r0, r1, r2), (r1, r2, r3), strict=True)
    )


# How much room a person needs, by ring: an inner ring's arc is short, so its people weigh more.
RING_WEIGHT: Mapping[str, float] = {"inner": 2.5, "middle": 1.5, "outer": 1.0}


def make_sectors(order: Sequence[str], people: Sequence[Person]) -> tuple[Sector, ...]:
    """One wedge per category, clockwise from 12 o'clock."""
    # Half the circle is shared equally, half by how crowded each category is: busy categories
    # get room to breathe while a category with one person still gets a readable wedge.
    if not order:
        return ()
    counts = {c: sum(RING_WEIGHT[p.ring] for p in people if p.category == c) for c in order}
    total = sum(counts.values()) or 1.0
    sectors: list[Sector] = []
    start = 0.0
    for category in order:
        span = 180.0 / len(order) + 180.0 * counts[category] / total
        sectors.append(Sector(category, start, start + span))
        start += span
    return tuple(sectors)
