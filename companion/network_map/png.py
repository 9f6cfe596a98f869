"""Render the network map as a PNG with Pillow, drawing the same scene as the SVG."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence

from PIL import Image, ImageDraw, ImageFont

from companion.network_map import style
from companion.network_map.fonts import load_font
from companion.network_map.labels import MapLabels
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

# Pillow draws without anti-aliasing; drawing larger and scaling down smooths edges.
SUPERSAMPLE = 2
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


class _Painter:
    """Draws scene shapes onto a Pillow canvas at a fixed scale."""

    def __init__(self, image: Image.Image, scale: float) -> None:
        self.draw = ImageDraw.Draw(image)
        self.k = scale

    def shape(self, shape: Shape) -> None:
        if isinstance(shape, Circle):
            self.circle(shape)
        elif isinstance(shape, Segment):
            self.segment(shape)
        elif isinstance(shape, Polygon):
            self.draw.polygon([(x * self.k, y * self.k) for x, y in shape.points], fill=shape.fill)
        elif isinstance(shape, Rect):
            k = self.k
            box = (shape.x * k, shape.y * k, (shape.x + shape.w) * k, (shape.y + shape.h) * k)
            width = max(1, round(k)) if shape.stroke else 0
            self.draw.rounded_rectangle(
                box, radius=shape.radius * k, fill=shape.fill, outline=shape.stroke, width=width
            )
        else:
            self.text(shape)

    def circle(self, shape: Circle) -> None:
        k = self.k
        box = ((shape.x - shape.r) * k, (shape.y - shape.r) * k)
        box2 = ((shape.x + shape.r) * k, (shape.y + shape.r) * k)
        width = round(shape.stroke_width * k) if shape.stroke else 0
        self.draw.ellipse((box, box2), fill=shape.fill, outline=shape.stroke, width=width)

    def _dot(self, x: float, y: float, r: float, colour: str) -> None:
        self.draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)

    def segment(self, shape: Segment) -> None:
        k = self.k
        x0, y0, x1, y1 = shape.x0 * k, shape.y0 * k, shape.x1 * k, shape.y1 * k
        width = shape.width * k
        length = math.hypot(x1 - x0, y1 - y0)
        if length == 0:
            return
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        if shape.dash == "dotted":
            # Same spacing as the SVG's round-capped zero-length dashes.
            step = style.DOT_SPACING * k
            for i in range(int(length / step) + 1):
                self._dot(x0 + ux * i * step, y0 + uy * i * step, width / 2, shape.colour)
            return
        on, off = style.DASH_PATTERN if shape.dash == "dashed" else (length / k, 0.0)
        pos = 0.0
        while pos < length:
            end = min(pos + on * k, length)
            a, b = (x0 + ux * pos, y0 + uy * pos), (x0 + ux * end, y0 + uy * end)
            self.draw.line((a, b), fill=shape.colour, width=max(1, round(width)))
            # Round caps, as in the SVG.
            self._dot(*a, width / 2, shape.colour)
            self._dot(*b, width / 2, shape.colour)
            pos = end + off * k

    def text(self, shape: Text) -> None:
        k = self.k
        font = load_font(max(1, round(shape.size * k)), shape.bold)
        anchor = _ANCHORS[shape.anchor] if isinstance(font, ImageFont.FreeTypeFont) else None
        for i, line in enumerate(shape.lines):
            self.draw.text(
                (shape.x * k, (shape.y + i * shape.line_step) * k),
                line,
                fill=shape.colour,
                font=font,
                anchor=anchor,
                stroke_width=round(2 * k) if shape.halo else 0,
                stroke_fill=style.HALO,
            )


def scene_to_png(scene: Scene, size: int) -> bytes:
    """Rasterise a scene to PNG bytes, ``size`` pixels wide."""
    height = round(size * scene.height / scene.width)
    big = Image.new("RGB", (size * SUPERSAMPLE, height * SUPERSAMPLE), style.BACKGROUND)
    painter = _Painter(big, size * SUPERSAMPLE / scene.width)
    for group in scene.groups:
        for shape in group.shapes:
            painter.shape(shape)
    image = big.resize((size, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_png(
    people: Iterable[Mapping[str, object]],
    labels: MapLabels,
    categories_order: Sequence[str] | None = None,
    size: int = 1200,
) -> bytes:
    """The network map as PNG bytes, ``size`` × ``size`` pixels."""
    order = list(categories_order) if categories_order is not None else list(labels.categories)
    return scene_to_png(build_scene(layout(people, order), labels), size)
