"""SVG output: well-formed, escaped, complete, with a legend and distinct line styles."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from companion.network_map import MapLabels, render_svg

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = "<script>alert(1)</script>"
QUOTES = "Tom \"&' Jerry"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def _names(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iterfind(".//svg:g[@class='people']/svg:text", NS)]


def _visible(text: ET.Element) -> str:
    # A truncated name carries its full form in a <title> tooltip; skip it.
    return "".join(
        [text.text or ""]
        + [
            "".join(child.itertext()) + (child.tail or "")
            for child in text
            if child.tag != f"{{{NS['svg']}}}title"
        ]
    )


def test_svg_is_well_formed_with_viewbox_width_and_title(example, labels):
    svg = render_svg(example, labels)
    root = _parse(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 1000 1000"
    assert root.get("width") == "900"
    assert root.find("svg:title", NS).text == labels.title
    assert root.find("svg:style", NS) is not None


def test_each_name_appears_exactly_once(example, labels):
    root = _parse(render_svg(example, labels))
    shown = [_visible(t) for t in root.iterfind(".//svg:g[@class='people']/svg:text", NS)]
    assert sorted(shown) == sorted(str(p["text"]) for p in example)
    for person in example:
        assert _names(root).count(str(person["text"])) == 1


def test_hostile_names_are_escaped_not_injected(labels):
    people = [
        {"text": HOSTILE, "category": "venner", "closeness": "inner"},
        {"text": QUOTES, "category": "venner", "closeness": "middle"},
        {"text": "Null\x00byte\x1b[31m\u202eevil", "category": "slekt"},
    ]
    svg = render_svg(people, labels)
    root = _parse(svg)
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert "\"&'" not in svg
    assert "&quot;&amp;&#x27;" in svg
    assert not any("\x00" in s or "\x1b" in s or "\u202e" in s for s in svg)
    assert root.find(".//svg:script", NS) is None
    assert all(el.tag.startswith("{http://www.w3.org/2000/svg}") for el in root.iter())
    # The full, unescaped text survives as text, whether shown whole or as a tooltip.
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any(HOSTILE in t for t in texts)
    assert any(QUOTES in t for t in texts)


def test_hostile_labels_are_escaped_too(example):
    labels = MapLabels.nb(title="<b>Mitt & ditt</b>")
    svg = render_svg(example, labels)
    assert "<b>" not in svg
    assert _parse(svg).find("svg:title", NS).text == "<b>Mitt & ditt</b>"


def test_legend_explains_rings_lines_and_markers(example, labels):
    root = _parse(render_svg(example, labels))
    legend = root.find(".//svg:g[@class='legend']", NS)
    text = " ".join("".join(t.itertext()) for t in legend.iter("{http://www.w3.org/2000/svg}text"))
    for expected in (
        labels.legend_title,
        *labels.rings.values(),
        labels.quality["supportive"],
        labels.quality["mixed"],
        labels.quality["burdensome"],
        labels.gives_support,
        labels.wants_more_contact,
    ):
        assert expected in text


def _lines(root: ET.Element, quality: str) -> list[ET.Element]:
    return [
        line
        for line in root.iter("{http://www.w3.org/2000/svg}line")
        if f"q-{quality}" in (line.get("class") or "").split()
    ]


def test_each_quality_has_its_own_line_style_and_colour(example, labels):
    root = _parse(render_svg(example, labels))
    styles = {}
    for quality in ("supportive", "mixed", "burdensome", "unknown"):
        lines = _lines(root, quality)
        assert lines, quality
        styles[quality] = {(line.get("stroke"), line.get("stroke-dasharray")) for line in lines}
        assert len(styles[quality]) == 1
    (solid,) = styles["supportive"]
    (dashed,) = styles["mixed"]
    (dotted,) = styles["burdensome"]
    assert solid[1] is None
    assert dashed[1] == "10 6"
    assert dotted[1] == "0 7"
    # Never colour alone: the dash patterns differ as well as the colours.
    assert len({solid[0], dashed[0], dotted[0]}) == 3
    assert len({solid[1], dashed[1], dotted[1]}) == 3


def test_person_links_match_people(example, labels):
    root = _parse(render_svg(example, labels))
    links = root.findall(".//svg:g[@class='links']/svg:line", NS)
    assert len(links) == len(example)


def test_markers_are_drawn_for_two_way_support_and_wanting_more_contact(labels):
    people = [
        {"text": "Gir", "gives_support": True},
        {"text": "Mer", "contact_wish": "more"},
        {"text": "Ingen", "contact_wish": "less", "gives_support": False},
    ]
    root = _parse(render_svg(people, labels))
    group = root.find(".//svg:g[@class='people']", NS)
    # A dot per person, plus one disc per badge: one two-way and one plus.
    assert len(group.findall("svg:circle", NS)) == 3 + 2
    assert len(group.findall("svg:polygon", NS)) == 2  # the two arrowheads of ↔


def test_empty_map_is_friendly(labels):
    svg = render_svg([], labels)
    root = _parse(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert labels.empty in texts
    assert labels.center in texts
    assert not root.findall(".//svg:g[@class='links']/svg:line", NS)


def test_family_labels_and_category_order(labels):
    family = MapLabels.nb("family")
    people = [{"text": "Nabo", "category": "nabolag"}, {"text": "Bror", "category": "familie"}]
    root = _parse(render_svg(people, family))
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Oss" in texts
    assert "Nabolag" in texts
    assert "Familie" in texts
    assert render_svg(people, family) == render_svg(people, family, ["familie", "nabolag"])
    assert render_svg(people, family) != render_svg(people, family, ["nabolag", "familie"])
