"""Place every person in their ring and sector so that no names, dots or badges overlap."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from companion.network_map.geometry import (
    CENTRE_R,
    CX,
    CY,
    HEIGHT,
    LABEL_SIZE,
    MAP_AREA,
    NODE_R,
    OUTER_R,
    OVERHANG,
    WIDTH,
    Box,
    Layout,
    Placed,
    Point,
    RingBand,
    Sector,
    angle_of,
    dot_box,
    label_box,
    label_extent,
    label_sides,
    line_to,
    make_rings,
    make_sectors,
    node_box,
    polar,
    segment_hits_box,
    split_label,
    text_width,
)
from companion.network_map.people import Person, normalize, truncate

GAP = 3.0
MAX_CANDIDATES = 900
STEP = 7.0
Segment = tuple[Point, Point]

# How tidy a placement must be, strictest first: 2 = lines miss every dot and name and names stay
# inside their sector, 1 = lines miss dots and names stay in their sector, 0 = only no overlaps
# (and, at every level, no name crossed by its own line).
Tidiness = Literal[0, 1, 2]


def _linspace(lo: float, hi: float, n: int) -> list[float]:
    if n <= 1 or hi <= lo:
        return [(lo + hi) / 2]
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


@dataclass(frozen=True)
class _Cell:
    """Where one sector crosses one ring."""

    sector: Sector
    band: RingBand

    def radii(self) -> tuple[float, float]:
        return self.band.inner + NODE_R + 3, self.band.outer - NODE_R - 3

    def angles(self, radius: float) -> tuple[float, float]:
        # Keep dots clear of the divider lines, by an arc length rather than an angle.
        margin = math.degrees((NODE_R + 6) / radius)
        lo, hi = self.sector.start + margin, self.sector.end - margin
        return (lo, hi) if lo <= hi else (self.sector.mid, self.sector.mid)

    def candidates(self) -> tuple[Point, ...]:
        return _candidates(self)

    def radius(self, index: int, count: int, label_width: float) -> float:
        # Zig-zag between radial rows when one arc cannot hold everyone in the cell.
        r_lo, r_hi = self.radii()
        a_lo, a_hi = self.angles((r_lo + r_hi) / 2)
        arc = math.radians(a_hi - a_lo) * (r_lo + r_hi) / 2
        rows = min(3, math.ceil(count / max(1, int(arc / (label_width + 12)))))
        return r_lo + (r_hi - r_lo) * (index % rows + 0.5) / rows

    def angle(self, slot: int, slots: int, radius: float) -> float:
        a_lo, a_hi = self.angles(radius)
        return a_lo + (a_hi - a_lo) * (slot + 0.5) / slots


@functools.lru_cache(maxsize=128)
def _candidates(cell: _Cell) -> tuple[Point, ...]:
    # A grid of spots over the cell, every STEP units; cached because every attempt reuses it.
    r_lo, r_hi = cell.radii()
    points: list[Point] = []
    for r in _linspace(r_lo, r_hi, int((r_hi - r_lo) / STEP) + 1):
        a_lo, a_hi = cell.angles(r)
        steps = int(math.radians(a_hi - a_lo) * r / STEP) + 1
        points.extend(polar(a, r) for a in _linspace(a_lo, a_hi, steps))
    return tuple(points)


class _Crowded(Exception):
    """Someone did not fit at this font size and tidiness."""


class _Grid:
    """A bucketed index of boxes, so overlap checks look only nearby."""

    CELL = 40.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, box: Box) -> Iterator[tuple[int, int]]:
        c = self.CELL
        for i in range(math.floor((box.x0 - GAP) / c), math.floor((box.x1 + GAP) / c) + 1):
            for j in range(math.floor((box.y0 - GAP) / c), math.floor((box.y1 + GAP) / c) + 1):
                yield i, j

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def hits(self, box: Box) -> bool:
        return any(
            box.overlaps(other, GAP) for key in self._keys(box) for other in self.cells.get(key, ())
        )

    def count(self, box: Box) -> int:
        return len(
            {id(o) for k in self._keys(box) for o in self.cells.get(k, ()) if box.overlaps(o, GAP)}
        )


# A box as seen from the centre: the angle to its middle, half the angle it spans, the box.
_Seen = tuple[float, float, Box]
# A line from the centre outward: its angle and its end points.
_Ray = tuple[float, Segment]


def _seen(box: Box) -> _Seen:
    middle = angle_of((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    half = max(abs((angle_of(x, y) - middle + 180) % 360 - 180) for x, y in box.corners())
    return middle, half, box


def _near(angle: float, seen: _Seen) -> bool:
    # Every line starts at the centre, so only a line pointing into a box's span can touch it;
    # this cheap test spares most exact segment checks.
    return abs((angle - seen[0] + 180) % 360 - 180) <= seen[1] + 0.5


# Costs, in canvas units of distance from the ideal spot, of a less natural label: a name on the
# preferred side a little further away beats a name tucked in on the inward side.
SIDE_PENALTY = (0.0, 10.0, 22.0)
TWO_LINE_PENALTY = 14.0


@dataclass
class _Placer:
    """Greedy placement: each person takes the cheapest free spot near their ideal one."""

    size: float
    tidiness: Tidiness
    force: bool
    sectors: tuple[Sector, ...]
    rings: tuple[RingBand, ...]
    grid: _Grid = field(default_factory=_Grid)
    labels: list[_Seen] = field(default_factory=list)
    dots: list[_Seen] = field(default_factory=list)
    lines: list[_Ray] = field(default_factory=list)
    dividers: list[_Ray] = field(default_factory=list)
    extents: dict[tuple[str, ...], tuple[float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        centre = CENTRE_R + 4
        self.grid.add(Box(CX - centre, CY - centre, CX + centre, CY + centre))
        for box in [r.label_box for r in self.rings] + [s.label_box for s in self.sectors]:
            self.grid.add(box)
        if len(self.sectors) > 1:
            self.dividers += [
                (s.start, (polar(s.start, CENTRE_R), polar(s.start, OUTER_R))) for s in self.sectors
            ]

    @staticmethod
    def _inside(box: Box) -> bool:
        limit = (OUTER_R + OVERHANG) ** 2
        return box.within(MAP_AREA) and all(
            (x - CX) ** 2 + (y - CY) ** 2 <= limit for x, y in box.corners()
        )

    def _ray_hits(self, rays: list[_Ray], box: Box) -> bool:
        seen = _seen(box)
        return any(_near(a, seen) and segment_hits_box(*ray, box) for a, ray in rays)

    def _line_hits(self, line: Segment, angle: float, boxes: list[_Seen]) -> bool:
        return any(_near(angle, b) and segment_hits_box(*line, b[2]) for b in boxes)

    def _node_fits(self, x: float, y: float, node: Box) -> bool:
        if not self._inside(node) or self.grid.hits(node):
            return False
        if self.tidiness == 0:
            return True
        return not (
            self._ray_hits(self.dividers, node)
            or self._ray_hits(self.lines, dot_box(x, y))
            or self._line_hits(line_to(x, y), angle_of(x, y), self.dots)
        )

    def _label_fits(self, x: float, y: float, box: Box) -> bool:
        # A name crossed by its own line is never needed: another side or spot always reads better.
        if not self._inside(box) or self.grid.hits(box) or segment_hits_box(*line_to(x, y), box):
            return False
        if self.tidiness >= 1 and self._ray_hits(self.dividers, box):
            return False
        return self.tidiness < 2 or not (
            self._ray_hits(self.lines, box)
            or self._line_hits(line_to(x, y), angle_of(x, y), self.labels)
        )

    def _clash(self, o: Placed) -> int:
        return self.grid.count(o.node_box) + self.grid.count(o.label_box)

    @staticmethod
    def _variants(person: Person) -> list[tuple[tuple[str, ...], float]]:
        one_line = (person.label,)
        halves = split_label(person.name)
        if halves is None:
            return [(one_line, 0.0)]
        two_lines = tuple(truncate(h) for h in halves)
        if person.truncated and " ".join(two_lines) == person.name:
            # Two lines that show the whole name beat one cut short.
            return [(two_lines, 0.0), (one_line, TWO_LINE_PENALTY)]
        return [(one_line, 0.0), (two_lines, TWO_LINE_PENALTY)]

    def _options(self, person: Person, x: float, y: float) -> Iterator[tuple[float, Placed]]:
        node = node_box(x, y, person)
        for side, side_penalty in zip(label_sides(x, y), SIDE_PENALTY, strict=True):
            for lines, penalty in self._variants(person):
                box = label_box(node, x, y, self._extent(lines), side)
                yield (
                    side_penalty + penalty,
                    Placed(person, x, y, lines, box, node, self.size, side),
                )

    def _extent(self, lines: tuple[str, ...]) -> tuple[float, float]:
        # Measured once per label: every candidate spot reuses it.
        if lines not in self.extents:
            self.extents[lines] = label_extent(lines, self.size)
        return self.extents[lines]

    def _search(self, person: Person, ranked: list[tuple[float, float, float]]) -> Placed | None:
        best: Placed | None = None
        best_cost = math.inf
        variants = self._variants(person)
        for distance, x, y in ranked:
            # Penalties only add, so no spot further away than the best cost can beat it.
            if distance >= best_cost:
                break
            node = node_box(x, y, person)
            if not self._node_fits(x, y, node):
                continue
            for side, side_penalty in zip(label_sides(x, y), SIDE_PENALTY, strict=True):
                for lines, penalty in variants:
                    cost = distance + side_penalty + penalty
                    if cost >= best_cost:
                        continue
                    box = label_box(node, x, y, self._extent(lines), side)
                    if self._label_fits(x, y, box):
                        best, best_cost = (
                            Placed(person, x, y, lines, box, node, self.size, side),
                            cost,
                        )
        return best

    def place(self, person: Person, cell: _Cell, ideal: Point) -> Placed:
        ix, iy = ideal
        # Only spots near the ideal one: a person further off would look lost, and it bounds time.
        ranked = sorted((math.hypot(x - ix, y - iy), x, y) for x, y in cell.candidates())
        ranked = ranked[:MAX_CANDIDATES]
        choice = self._search(person, ranked)
        if choice is None:
            if not self.force:
                raise _Crowded
            options = (o for _, x, y in ranked for _, o in self._options(person, x, y))
            choice = min(options, key=self._clash)
        self.grid.add(choice.node_box)
        self.grid.add(choice.label_box)
        self.labels.append(_seen(choice.label_box))
        self.dots.append(_seen(dot_box(choice.x, choice.y)))
        self.lines.append((choice.angle, choice.line))
        return choice


# (font scale, tidiness, force), tried in turn: a tidy map at a comfortable size first; then
# smaller; then a line may pass under a dot before names shrink past legible; finally the least
# overlap rather than an error.
ATTEMPTS: tuple[tuple[float, Tidiness, bool], ...] = (
    (1.0, 2, False),
    (0.9, 2, False),
    (1.0, 1, False),
    (0.9, 1, False),
    (0.8, 1, False),
    (0.72, 1, False),
    (0.8, 0, False),
    (0.72, 0, False),
    (0.65, 0, False),
    (0.58, 0, False),
    (0.58, 0, True),
)


def _try(people: Sequence[Person], placer: _Placer) -> tuple[Placed, ...]:
    slots: dict[int, tuple[int, int]] = {}
    for sector in placer.sectors:
        members = [i for i, p in enumerate(people) if p.category == sector.category]
        slots.update({i: (slot, len(members)) for slot, i in enumerate(members)})
    placed: dict[int, Placed] = {}
    # Inner rings first: they have the least room, so they get first pick.
    for band in placer.rings:
        for sector in placer.sectors:
            cell = _Cell(sector, band)
            members = [
                i
                for i, p in enumerate(people)
                if p.ring == band.key and p.category == sector.category
            ]
            widest = max((text_width(people[i].label, placer.size) for i in members), default=0)
            for index, i in enumerate(members):
                # Everyone in a sector gets their own angle, so lines never run through others.
                radius = cell.radius(index, len(members), widest)
                ideal = polar(cell.angle(*slots[i], radius), radius)
                placed[i] = placer.place(people[i], cell, ideal)
    return tuple(placed[i] for i in range(len(people)))


def _category_order(people: Sequence[Person], order: Sequence[str] | None) -> list[str]:
    present = list(dict.fromkeys(p.category for p in people))
    preferred = [c for c in dict.fromkeys(order or ()) if c in present]
    return preferred + [c for c in present if c not in preferred]


def layout(
    people: Iterable[Mapping[str, object]], categories_order: Sequence[str] | None = None
) -> Layout:
    """Place every person in their ring and category sector, in input order, without overlaps."""
    persons = [normalize(p) for p in people]
    order = _category_order(persons, categories_order)
    sectors = make_sectors(order, persons)
    rings = make_rings(persons)
    placed: tuple[Placed, ...] = ()
    size = LABEL_SIZE
    for scale, tidiness, force in ATTEMPTS if persons else ():
        placer = _Placer(LABEL_SIZE * scale, tidiness, force, sectors, rings)
        try:
            placed, size = _try(persons, placer), placer.size
            break
        except _Crowded:
            continue
    return Layout(WIDTH, HEIGHT, CX, CY, CENTRE_R, rings, sectors, placed, size)
