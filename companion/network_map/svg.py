"""Render the network map as a self-contained SVG document."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

from companion.network_map import style
from companion.network_map.labels import MapLabels
from companion.network_map.people import clean_text
from companion.network_map.placement import layout
from companion.network_map.scene import (
    Circle,
    Polygon,
    Rect,
    Scene,
    Segment,
    Shape,
    Text,
    build_scene,
)

DISPLAY_WIDTH = 900

_STYLE = f"""
text {{ font-family: {style.FONT_FAMILY}; fill: {style.INK}; }}
.halo {{ paint-order: stroke fill; stroke: {style.HALO}; stroke-width: 4px;
  stroke-linejoin: round; }}
.bold {{ font-weight: bold; }}
"""


def esc(value: str) -> str:
    """Make user text safe as XML text or attribute: clean it, then escape &, <, >, " and '."""
    return html.escape(clean_text(value), quote=True)


def _num(value: float) -> str:
    # Rounded so the output is stable and compact.
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _dash(dash: style.Dash, width: float) -> str:
    if dash == "dashed":
        return ' stroke-dasharray="{} {}"'.format(*map(_num, style.DASH_PATTERN))
    if dash == "dotted":
        # Zero-length dashes with round caps draw as dots of the line's width.
        return f' stroke-dasharray="0 {_num(style.DOT_SPACING)}"'
    return ""


def _shape(shape: Shape) -> str:
    if isinstance(shape, Circle):
        fill = shape.fill or "none"
        stroke = (
            f' stroke="{shape.stroke}" stroke-width="{_num(shape.stroke_width)}"'
            if shape.stroke
            else ""
        )
        return (
            f'<circle cx="{_num(shape.x)}" cy="{_num(shape.y)}" r="{_num(shape.r)}" '
            f'fill="{fill}"{stroke}/>'
        )
    if isinstance(shape, Segment):
        cls = f' class="{shape.cls}"' if shape.cls else ""
        return (
            f'<line{cls} x1="{_num(shape.x0)}" y1="{_num(shape.y0)}" x2="{_num(shape.x1)}" '
            f'y2="{_num(shape.y1)}" stroke="{shape.colour}" stroke-width="{_num(shape.width)}" '
            f'stroke-linecap="round"{_dash(shape.dash, shape.width)}/>'
        )
    if isinstance(shape, Polygon):
        points = " ".join(f"{_num(x)},{_num(y)}" for x, y in shape.points)
        return f'<polygon points="{points}" fill="{shape.fill}"/>'
    if isinstance(shape, Rect):
        stroke = f' stroke="{shape.stroke}"' if shape.stroke else ""
        return (
            f'<rect x="{_num(shape.x)}" y="{_num(shape.y)}" width="{_num(shape.w)}" '
            f'height="{_num(shape.h)}" rx="{_num(shape.radius)}" fill="{shape.fill}"{stroke}/>'
        )
    return _text(shape)


def _text(shape: Text) -> str:
    classes = " ".join(
        c for c in (shape.cls, "halo" if shape.halo else "", "bold" if shape.bold else "") if c
    )
    cls = f' class="{classes}"' if classes else ""
    fill = f' fill="{shape.colour}"' if shape.colour != style.INK else ""
    tooltip = f"<title>{esc(shape.tooltip)}</title>" if shape.tooltip else ""
    lines = shape.lines
    if len(lines) == 1:
        body = esc(lines[0])
    else:
        # One text element per label keeps a name whole for search and screen readers; the
        # trailing spaces keep the words apart when the text is read out or copied.
        spans = [f'<tspan x="{_num(shape.x)}">{esc(lines[0])} </tspan>']
        spans += [
            f'<tspan x="{_num(shape.x)}" dy="{_num(shape.line_step)}">{esc(line)} </tspan>'
            for line in lines[1:-1]
        ]
        spans.append(
            f'<tspan x="{_num(shape.x)}" dy="{_num(shape.line_step)}">{esc(lines[-1])}</tspan>'
        )
        body = "".join(spans)
    return (
        f'<text{cls} x="{_num(shape.x)}" y="{_num(shape.y)}" font-size="{_num(shape.size)}" '
        f'text-anchor="{shape.anchor}"{fill}>{tooltip}{body}</text>'
    )


def scene_to_svg(scene: Scene, display_width: int = DISPLAY_WIDTH) -> str:
    """Serialise a scene; every piece of text passes through :func:`esc`."""
    height = round(display_width * scene.height / scene.width)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(scene.width)} '
        f'{_num(scene.height)}" width="{display_width}" height="{height}" role="img" '
        'aria-labelledby="map-title">',
        f'<title id="map-title">{esc(scene.title)}</title>',
        f"<style>{_STYLE}</style>",
    ]
    for group in scene.groups:
        out.append(f'<g class="{group.name}">')
        out.extend(_shape(s) for s in group.shapes)
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render_svg(
    people: Iterable[Mapping[str, object]],
    labels: MapLabels,
    categories_order: Sequence[str] | None = None,
) -> str:
    """The network map as an SVG document (labels' category order unless one is given)."""
    order = list(categories_order) if categories_order is not None else list(labels.categories)
    return scene_to_svg(build_scene(layout(people, order), labels))
