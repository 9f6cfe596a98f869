"""Shipped content: valid, marked as draft with its sources, plain language, results declared."""

from __future__ import annotations

import re

import pytest

from companion.content import SHIPPED_DIR, Content
from companion.flows import definition as d
from companion.flows.strings import localizable

MAX_WORDS_PER_MESSAGE = 60
MAX_WORDS_PER_CHILD_SENTENCE = 15
OWNERS = ("Bufdir", "NUBU", "RBUP", "RKBU")


def words(text: str) -> list[str]:
    plain = re.sub(r"\{[^}]*\}", "X", text)  # a placeholder counts as one word
    return re.findall(r"[\wÆØÅæøå«»'-]+", plain)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def test_all_flows_load(content: Content) -> None:
    assert {
        "onboarding",
        "safety",
        "hevd",
        "hevd_status",
        "hevd_goals",
        "nettverkskart",
        "nettverkskart_familie",
        "tre_hus",
        "fv_checkin",
        "ukesjekk",
        "evaluering",
    } <= set(content.flows)


@pytest.mark.parametrize(
    "path", sorted((SHIPPED_DIR / "flows").glob("*.flow.yaml")), ids=lambda p: p.name
)
def test_every_flow_file_says_it_is_a_draft_and_names_its_sources(path, content: Content) -> None:
    """The header says draft content to be reviewed by the model's owners, with seed lines."""
    text = path.read_text(encoding="utf-8")
    header = text.split("spec_version", 1)[0]
    assert "DRAFT" in header.upper()
    assert all(owner in header for owner in OWNERS), "the header names the content owners"
    flow = next(f for f in content.flows.values() if content.sources[f.id] == path)
    assert flow.status == "draft"
    assert flow.sources and all(re.fullmatch(r"\d{3}:\d+(-\d+)?", s) for s in flow.sources)


def test_no_message_is_longer_than_sixty_words(content: Content) -> None:
    """Plain language: every single message, question and button stays short."""
    too_long = [
        f"{text.context} ({len(words(text.source))} words)"
        for flow in content.flows.values()
        for text in localizable(flow)
        if len(words(text.source)) > MAX_WORDS_PER_MESSAGE
    ]
    assert not too_long, too_long


def test_child_flows_use_short_sentences(content: Content) -> None:
    long_sentences = [
        f"{text.context}: {sentence!r}"
        for flow in content.flows.values()
        if "child" in flow.audience
        for text in localizable(flow)
        for sentence in sentences(text.source)
        if len(words(sentence)) > MAX_WORDS_PER_CHILD_SENTENCE
    ]
    assert not long_sentences, long_sentences


def test_every_result_field_is_described_for_the_caseworker_views(content: Content) -> None:
    missing = [
        f"{flow.id}: {name}.{field}"
        for flow in content.flows.values()
        for name, spec in flow.results.items()
        for field, field_spec in spec.fields.items()
        if not field_spec.description.strip()
    ]
    assert not missing, missing


@pytest.mark.parametrize(
    ("flow_id", "result", "fields"),
    [
        ("hevd", "hevd", {"themes", "top_themes", "not_wanted"}),
        ("hevd_status", "hevd", {"themes", "top_themes"}),
        ("hevd_goals", "tiltaksplan", {"hovedmal", "delmal"}),
        ("nettverkskart", "network", {"people"}),
        ("nettverkskart_familie", "network", {"people"}),
        ("tre_hus", "houses", {"good", "worries", "dreams", "present"}),
        ("fv_checkin", "checkin", {"tried", "went_well", "was_hard", "for_next_meeting"}),
        ("ukesjekk", "weekly", {"worked_well", "not_well_enough"}),
        ("evaluering", "evaluation", {"goal_reached", "implemented", "way_forward", "decision"}),
        ("onboarding", "profile", {"language", "voice"}),
    ],
)
def test_results_have_the_fields_the_tui_needs(content: Content, flow_id, result, fields) -> None:
    declared = content.flows[flow_id].results[result].fields
    assert fields <= set(declared)


def test_tre_hus_asks_who_may_see_each_house(content: Content) -> None:
    """Children are told who sees what, and each house gets its own visibility choice."""
    flow = content.flows["tre_hus"]
    covered = {
        ref.field for n in flow.nodes if isinstance(n, d.VisibilityNode) for ref in n.applies_to
    }
    assert {"good", "worries", "dreams"} <= covered
