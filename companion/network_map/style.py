"""Colours, line styles and sizes shared by the SVG and PNG renderers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dash = Literal["solid", "dashed", "dotted"]

BACKGROUND = "#ffffff"
INK = "#1f2937"
MUTED = "#5b6b7b"
HALO = "#ffffff"
RING_FILL = {"inner": "#cfe3f1", "middle": "#e2eef7", "outer": "#f2f7fb"}
RING_FILL_ALT = {"inner": "#c4dbec", "middle": "#d7e7f2", "outer": "#e8f1f8"}
RING_EDGE = "#9fbdd3"
RING_HIGHLIGHT = "#4a88b8"
DIVIDER = "#ffffff"
CENTRE_FILL = "#ffd37a"
CENTRE_EDGE = "#d99a1e"
LEGEND_FILL = "#f7f8fa"
LEGEND_EDGE = "#dde3ea"
MORE_FILL = "#007a55"
FONT_FAMILY = "'DejaVu Sans', Verdana, 'Segoe UI', Arial, sans-serif"

# Category colours only help group dots with their sector label (position already says it), so
# they are muted and kept apart from the line colours that carry meaning.
CATEGORY_COLOURS = (
    "#2a9d8f",
    "#7b5ea7",
    "#5e8c31",
    "#4f6d8f",
    "#b0487a",
    "#9c6b3c",
    "#6b7280",
    "#7a7a2a",
)


@dataclass(frozen=True)
class LineStyle:
    """How the line to a person looks for one relationship quality."""

    colour: str
    width: float
    dash: Dash


# Okabe–Ito colours are told apart with every common colour-vision deficiency, and each quality
# also has its own dash pattern, so the map never relies on colour alone.
LINE_STYLES: dict[str, LineStyle] = {
    "supportive": LineStyle("#0072b2", 3.2, "solid"),
    "mixed": LineStyle("#e69f00", 3.0, "dashed"),
    "burdensome": LineStyle("#d55e00", 3.4, "dotted"),
    "unknown": LineStyle("#a3adb8", 1.6, "solid"),
}
DASH_PATTERN = (10.0, 6.0)
DOT_SPACING = 7.0
