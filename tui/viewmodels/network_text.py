"""The network map drawn with characters: three rings, one sector per category, names.

Uses the picture's own layout (``companion.network_map.layout``) for each person's angle, so
the terminal map and the exported SVG/PNG put everyone in the same place.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from companion.network_map import MapLabels, layout

WIDTH, HEIGHT = 62, 21
RX, RY = 22.0, 8.6
"""Radii of the outer ring in columns and rows (a cell is about twice as tall as wide)."""
RING_EDGES = {"inner": 0.42, "middle": 0.71, "outer": 1.0}
RING_MIDS = {"inner": 0.30, "middle": 0.57, "outer": 0.86}
NAME_CHARS = 10
QUALITY_MARKS = {"supportive": "●", "mixed": "◐", "burdensome": "○"}
UNKNOWN_MARK = "·"
SECTOR_CHARS = 14


class _Grid:
    def __init__(self, width: int, height: int) -> None:
        self.cells = [[" "] * width for _ in range(height)]
        self.taken = [[False] * width for _ in range(height)]

    def put(self, x: int, y: int, text: str, *, force: bool = False) -> bool:
        """Write ``text`` from (x, y) if it fits and nothing written with force is under it."""
        if y < 0 or y >= len(self.cells) or x < 0 or x + len(text) > len(self.cells[0]):
            return False
        if not force and any(self.taken[y][x + i] for i in range(len(text))):
            return False
        for i, char in enumerate(text):
            self.cells[y][x + i] = char
            self.taken[y][x + i] = True
        return True

    def dot(self, x: int, y: int, char: str) -> None:
        if 0 <= y < len(self.cells) and 0 <= x < len(self.cells[0]) and not self.taken[y][x]:
            self.cells[y][x] = char

    def text(self) -> str:
        return "\n".join("".join(row).rstrip() for row in self.cells)


def _point(angle: float, share: float, cx: float, cy: float) -> tuple[int, int]:
    rad = math.radians(angle)
    return round(cx + share * RX * math.sin(rad)), round(cy - share * RY * math.cos(rad))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _place_label(grid: _Grid, x: int, y: int, label: str, right: bool) -> None:
    for dy in (0, -1, 1, -2, 2):
        start = min(max(x if right else x - len(label) + 1, 0), WIDTH - len(label))
        if grid.put(start, y + dy, label, force=True):
            return


def draw_map(people: Sequence[Mapping[str, object]], labels: MapLabels) -> str:
    """The map as lines of text (``WIDTH`` × ``HEIGHT``)."""
    grid = _Grid(WIDTH, HEIGHT)
    cx, cy = WIDTH / 2, HEIGHT / 2
    centre = _short(labels.center, 8)
    grid.put(round(cx - len(centre) / 2), round(cy), centre, force=True)
    placed = layout(people, list(labels.categories))
    for sector in placed.sectors:
        name = _short(labels.categories.get(sector.category, sector.category), SECTOR_CHARS)
        x, y = _point(sector.mid, 1.18, cx, cy)
        right = math.sin(math.radians(sector.mid)) >= 0
        _place_label(grid, x, y, name.upper(), right)
    for item in placed.people:
        person = item.person
        mark = QUALITY_MARKS.get(person.quality or "", UNKNOWN_MARK)
        x, y = _point(item.angle, RING_MIDS[person.ring], cx, cy)
        right = math.sin(math.radians(item.angle)) >= -0.05
        label = (
            f"{mark}{_short(person.name, NAME_CHARS)}"
            if right
            else f"{_short(person.name, NAME_CHARS)}{mark}"
        )
        _place_label(grid, x, y, label, right)
    for share in RING_EDGES.values():
        for step in range(160):
            grid.dot(*_point(step * 360 / 160, share, cx, cy), "·")
    return grid.text()


def legend(labels: MapLabels) -> str:
    """One line saying what the marks mean."""
    marks = [f"{mark} {labels.quality.get(q, q)}" for q, mark in QUALITY_MARKS.items()]
    rings = " · ".join(labels.rings.get(r, r) for r in RING_EDGES)
    return f"{'   '.join(marks)}   {UNKNOWN_MARK} {labels.quality.get('unknown', '')}\n{rings} →"
