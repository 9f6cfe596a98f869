"""Geometry: rings, sectors, spacing and determinism of the network map layout."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.network_map import Layout, layout
from companion.network_map.geometry import (
    CENTRE_R,
    LABEL_SIZE,
    NODE_R,
    Box,
    segment_hits_box,
    text_width,
)
from companion.network_map.people import MAX_LABEL_CHARS, clean_text, normalize, truncate

CATEGORIES = ["biologisk_familie", "fosterfamilie", "slekt", "venner", "andre_viktige"]


def _boxes(result: Layout) -> list[tuple[int, Box]]:
    return [(i, b) for i, p in enumerate(result.people) for b in (p.label_box, p.node_box)]


def assert_no_overlaps(result: Layout) -> None:
    for (i, a), (j, b) in itertools.combinations(_boxes(result), 2):
        if i != j:
            assert not a.overlaps(b), (result.people[i].person.name, result.people[j].person.name)


def assert_placed_correctly(result: Layout) -> None:
    for p in result.people:
        ring = result.ring(p.person.ring)
        assert ring.inner <= p.radius <= ring.outer, p.person.name
        assert result.sector(p.person.category).contains(p.angle), p.person.name


def test_each_person_in_their_ring_band_and_category_sector(example):
    result = layout(example, [*CATEGORIES, "profesjonelle"])
    assert len(result.people) == len(example)
    assert_placed_correctly(result)


def test_rings_are_concentric_and_ordered_innermost_first(example):
    result = layout(example)
    assert [r.key for r in result.rings] == ["inner", "middle", "outer"]
    assert result.rings[0].inner == CENTRE_R
    for inner, outer in itertools.pairwise(result.rings):
        assert inner.outer == outer.inner


def test_unknown_closeness_goes_to_the_outer_ring():
    result = layout([{"text": "Ukjent", "category": "venner"}, {"text": "Rar", "closeness": "far"}])
    assert {p.person.ring for p in result.people} == {"outer"}
    assert_placed_correctly(result)


def test_sectors_follow_the_given_order_then_first_appearance():
    people = [
        {"text": "A", "category": "venner"},
        {"text": "B", "category": "egen_kategori"},
        {"text": "C", "category": "slekt"},
        {"text": "D"},
    ]
    result = layout(people, ["slekt", "fosterfamilie", "venner"])
    assert [s.category for s in result.sectors] == ["slekt", "venner", "egen_kategori", "annet"]
    assert result.sectors[0].start == 0
    assert result.sectors[-1].end == pytest.approx(360)
    for before, after in itertools.pairwise(result.sectors):
        assert before.end == pytest.approx(after.start)


def test_people_in_one_sector_get_distinct_angles(example):
    result = layout(example)
    for category in {p.person.category for p in result.people}:
        angles = sorted(p.angle for p in result.people if p.person.category == category)
        assert all(b - a > 1 for a, b in itertools.pairwise(angles))


def test_forty_people_in_six_categories_do_not_overlap_and_stay_legible(forty):
    result = layout(forty, [*CATEGORIES, "profesjonelle"])
    assert len(result.sectors) == 6
    assert len(result.people) == 40
    assert_placed_correctly(result)
    assert_no_overlaps(result)
    assert result.label_size >= 0.7 * LABEL_SIZE


def test_a_small_map_is_tidy_lines_miss_every_other_dot_and_label(example):
    result = layout(example)
    assert result.label_size == LABEL_SIZE
    for p, q in itertools.permutations(result.people, 2):
        assert not segment_hits_box(*p.line, q.node_box), (p.person.name, q.person.name)
        assert not segment_hits_box(*p.line, q.label_box), (p.person.name, q.person.name)
    assert_no_overlaps(result)


def test_a_line_runs_from_the_centre_disc_to_the_dot(example):
    result = layout(example)
    for p in result.people:
        (x0, y0), (x1, y1) = p.line
        assert math.hypot(x0 - result.cx, y0 - result.cy) == pytest.approx(CENTRE_R)
        assert math.hypot(x1 - p.x, y1 - p.y) == pytest.approx(NODE_R + 1)


def test_layout_is_deterministic(forty):
    assert layout(forty) == layout(forty)
    assert layout(list(forty)) == layout(tuple(forty))


def test_labels_fit_their_estimated_box(example):
    for p in layout(example).people:
        for line in p.label_lines:
            assert text_width(line, p.label_size) <= p.label_box.x1 - p.label_box.x0


def test_long_names_are_truncated_with_an_ellipsis():
    name = "Kontaktlærer-og-rådgiver Hansen"
    assert normalize({"text": name}).label == truncate(name)
    assert len(truncate(name)) == MAX_LABEL_CHARS
    assert truncate(name).endswith("…")
    assert truncate("Mormor") == "Mormor"


def test_a_long_name_with_spaces_may_wrap_instead_of_being_cut():
    people = [{"text": "Kontaktlærer Nils Ødegård", "category": "andre_viktige"}]
    (placed,) = layout(people).people
    assert " ".join(placed.label_lines) == "Kontaktlærer Nils Ødegård" or placed.truncated


def test_clean_text_strips_control_and_bidi_characters():
    assert clean_text("A\x00n\x1bn\u202ea\r\n  B\ufeff") == "Anna B"
    assert clean_text(None) == ""
    assert normalize({"text": "\x00\x01"}).name == "?"


def test_empty_list_gives_rings_and_no_sectors():
    result = layout([])
    assert result.people == ()
    assert result.sectors == ()
    assert len(result.rings) == 3


def test_a_crowded_ring_borrows_room():
    crowded = [{"text": f"Venn {i}", "closeness": "inner", "category": "venner"} for i in range(20)]
    usual = layout([{"text": "En", "closeness": "inner"}]).ring("inner")
    grown = layout(crowded).ring("inner")
    assert grown.outer > usual.outer
    assert_no_overlaps(layout(crowded))


PERSON = st.fixed_dictionaries(
    {"text": st.text(min_size=1, max_size=30)},
    optional={
        "category": st.sampled_from(CATEGORIES),
        "closeness": st.sampled_from(["inner", "middle", "outer", None]),
        "quality": st.sampled_from(["supportive", "mixed", "burdensome", None]),
        "gives_support": st.booleans(),
        "contact_wish": st.sampled_from(["more", "same", "less", None]),
    },
)


@settings(max_examples=25, deadline=None)
@given(st.lists(PERSON, max_size=15))
def test_any_small_map_places_everyone_correctly_without_overlap(people):
    result = layout(people, CATEGORIES)
    assert len(result.people) == len(people)
    assert_placed_correctly(result)
    assert_no_overlaps(result)
