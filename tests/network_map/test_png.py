"""PNG output: a real image of the requested size, drawn from the same layout as the SVG."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageFont

from companion.network_map import MapLabels, layout, render_png
from companion.network_map.fonts import has_norwegian_letters, load_font
from companion.network_map.geometry import NODE_R
from companion.network_map.scene import build_scene
from companion.network_map.svg import scene_to_svg

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _dark(pixel: tuple[int, ...]) -> bool:
    return sum(pixel[:3]) < 3 * 140


def test_png_has_signature_and_requested_size(example, labels):
    data = render_png(example, labels)
    assert data.startswith(PNG_SIGNATURE)
    assert _image(data).size == (1200, 1200)
    assert _image(render_png(example, labels, size=500)).size == (500, 500)


def test_png_is_not_blank_in_any_used_ring_band(example, labels):
    size = 800
    image = _image(render_png(example, labels, size=size))
    result = layout(example, list(labels.categories))
    k = size / result.width
    for key in {p.person.ring for p in result.people}:
        ring = result.ring(key)
        dark = 0
        for x in range(0, size, 3):
            for y in range(0, size, 3):
                r = math.hypot(x / k - result.cx, y / k - result.cy)
                if ring.inner + 2 < r < ring.outer - 2 and _dark(image.getpixel((x, y))):
                    dark += 1
        assert dark > 20, key


def test_png_draws_each_person_where_the_layout_puts_them(example, labels):
    size = 1000
    image = _image(render_png(example, labels, size=size))
    result = layout(example, list(labels.categories))
    k = size / result.width
    background = {image.getpixel((int(p.x * k) + 40, int(p.y * k))) for p in result.people}
    for p in result.people:
        pixel = image.getpixel((round(p.x * k), round(p.y * k)))
        # The centre of each dot is filled with its category colour, not left as ring or paper.
        assert pixel not in background
        assert max(pixel) - min(pixel) > 30, p.person.name
    assert NODE_R * k > 3


def test_svg_draws_each_person_where_the_layout_puts_them_too(example, labels):
    result = layout(example, list(labels.categories))
    root = ET.fromstring(scene_to_svg(build_scene(result, labels)).encode())
    group = root.find(".//svg:g[@class='people']", {"svg": "http://www.w3.org/2000/svg"})
    dots = {
        (float(c.get("cx")), float(c.get("cy")))
        for c in group.iter("{http://www.w3.org/2000/svg}circle")
        if float(c.get("r")) == NODE_R
    }
    assert len(dots) == len(result.people)
    for p in result.people:
        assert any(abs(x - p.x) < 0.1 and abs(y - p.y) < 0.1 for x, y in dots), p.person.name


def test_empty_map_renders(labels):
    data = render_png([], labels, size=400)
    assert data.startswith(PNG_SIGNATURE)
    image = _image(data)
    assert image.size == (400, 400)
    result = layout([])
    k = 400 / result.width
    centre = [(x, round(result.cy * k) + dy) for x in range(170, 230) for dy in range(-4, 4)]
    assert any(_dark(image.getpixel(xy)) for xy in centre)  # «Meg» in the middle


def test_norwegian_letters_render_as_glyphs_not_boxes():
    font = load_font(24)
    if not has_norwegian_letters(font):
        pytest.skip("no DejaVu Sans on this machine; the built-in fallback lacks æøå")
    assert isinstance(font, ImageFont.FreeTypeFont)
    assert font.getmask("æøå").getbbox() != font.getmask("\uffff\uffff\uffff").getbbox()


def test_fallback_font_detection_recognises_missing_letters():
    assert not has_norwegian_letters(ImageFont.load_default(size=24))


def test_norwegian_and_ascii_names_differ_in_pixels(labels):
    a = render_png([{"text": "Åse Ødegård", "closeness": "inner"}], labels, size=300)
    b = render_png([{"text": "Ase Odegard", "closeness": "inner"}], labels, size=300)
    assert a != b


def test_png_handles_hostile_and_family_input():
    people = [{"text": "<b>\x00&amp;", "category": "nabolag", "quality": "burdensome"}]
    data = render_png(people, MapLabels.nb("family"), size=300)
    assert _image(data).size == (300, 300)
