"""Draw a youth's or family's network map (nettverkskart) as SVG or PNG."""

from __future__ import annotations

from companion.network_map.geometry import Layout, Placed, RingBand, Sector
from companion.network_map.labels import MapLabels
from companion.network_map.localized import map_labels
from companion.network_map.people import Person, clean_text, normalize
from companion.network_map.placement import layout
from companion.network_map.png import render_png
from companion.network_map.svg import render_svg

__all__ = [
    "Layout",
    "MapLabels",
    "Person",
    "Placed",
    "RingBand",
    "Sector",
    "clean_text",
    "layout",
    "map_labels",
    "normalize",
    "render_png",
    "render_svg",
]
