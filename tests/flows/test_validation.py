"""Schema and graph validation: every error names the file, the node and the alternatives."""

from __future__ import annotations

import copy

import pytest
from sample_flows import ALL, TOUR

from companion.flows import FlowLoadError, load_flows, parse_flow
from companion.flows.migrations import MigrationError, migrate


def issues_of(documents) -> list[str]:
    with pytest.raises(FlowLoadError) as caught:
        load_flows(documents)
    return [str(issue) for issue in caught.value.issues]


def tour_with(change) -> dict:
    doc = copy.deepcopy(TOUR)
    change(doc)
    return doc


def node(doc: dict, node_id: str) -> dict:
    return next(n for n in doc["nodes"] if n["id"] == node_id)


def test_sample_flows_are_valid() -> None:
    assert sorted(load_flows(ALL)) == ["child_q", "parent", "tour"]


def test_unknown_question_kind_names_the_alternatives() -> None:
    """The exact message promised in the Foundation issue."""
    doc = tour_with(lambda d: node(d, "rate").update(kind="scael"))
    assert issues_of({"hevd.flow.yaml": doc}) == [
        "hevd.flow.yaml: node 'rate': unknown question kind 'scael' "
        "(expected one of: text, choice, multi_choice, scale, yes_no, number, date)"
    ]


def test_unknown_node_type_and_unknown_field() -> None:
    def change(d: dict) -> None:
        node(d, "hello")["type"] = "mesage"
        node(d, "name")["promt"] = "x"

    found = issues_of({"f.flow.yaml": tour_with(change)})
    assert any(
        "node 'hello': unknown node type 'mesage' (expected one of: question, message" in i
        for i in found
    )
    assert any(
        "node 'name': unknown field 'promt' (expected one of:" in i and "prompt" in i for i in found
    )


def test_missing_field_is_named() -> None:
    doc = tour_with(lambda d: node(d, "name").pop("prompt"))
    assert issues_of({"f.flow.yaml": doc}) == ["f.flow.yaml: node 'name': missing field 'prompt'"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(entry="nowhere"), "entry 'nowhere' is not a node"),
        (
            lambda d: node(d, "name").update(next="nowhere"),
            "node 'name': next 'nowhere' is not a node",
        ),
        (
            lambda d: d["nodes"].append({"type": "message", "id": "lonely", "text": "x"}),
            "node 'lonely': cannot be reached from the entry 'hello'",
        ),
        (
            lambda d: d["nodes"].append(dict(node(d, "bye"))),
            "node 'bye': the id is used by more than one node",
        ),
        (
            lambda d: node(d, "rate").update(next=None),
            "node 'each_top': the body starting at 'rate' never comes back",
        ),
        (
            lambda d: node(d, "name").update(save={"field": "nope"}),
            "saves into 'tour.nope', not a declared field",
        ),
        (
            lambda d: node(d, "name").update(save={"result": "other", "field": "x"}),
            "saves into result 'other', which the flow does not declare",
        ),
        (
            lambda d: node(d, "hello").update(text="Hei {answers.nobody}"),
            "'answers.nobody' refers to no node 'nobody'",
        ),
        (lambda d: node(d, "hello").update(text="Hei {oops"), "a brace in"),
        (
            lambda d: node(d, "hello").update(text="Hei {results.tour.name|shout}"),
            "unknown filter 'shout'",
        ),
        (
            lambda d: node(d, "should_rate")["cases"][0]["when"].update(ref="params.nope"),
            "refers to no declared param 'nope'",
        ),
        (lambda d: node(d, "rate").update(min=8, max=3), "'max' (3) must be larger than 'min' (8)"),
        (
            lambda d: node(d, "top").update(options=[{"value": "a", "label": "A"}]),
            "give either 'options' or 'options_from'",
        ),
        (lambda d: node(d, "name").update(id="Name!"), "is not a valid id"),
    ],
)
def test_graph_and_schema_errors_are_named(change, expected: str) -> None:
    found = issues_of({"f.flow.yaml": tour_with(change)})
    assert any(expected in issue for issue in found), found


def test_missing_subflow_names_the_known_flows() -> None:
    found = issues_of({"parent.flow.yaml": ALL["parent.flow.yaml"]})
    assert found == [
        "parent.flow.yaml: node 'child': sub-flow 'child_q' does not exist (flows: parent)"
    ]


def test_duplicate_flow_ids_across_files() -> None:
    found = issues_of({"a.flow.yaml": TOUR, "b.flow.yaml": TOUR})
    assert found == ["b.flow.yaml: flow id 'tour' is also used by a.flow.yaml"]


def test_condition_needs_exactly_one_test() -> None:
    doc = tour_with(lambda d: node(d, "should_rate")["cases"][0]["when"].update(is_empty=True))
    assert any("exactly one test" in i for i in issues_of({"f": doc}))


def test_not_a_mapping() -> None:
    with pytest.raises(FlowLoadError, match="expected a mapping at the top, got list"):
        parse_flow([1, 2], "x.flow.yaml")


def test_spec_version_newer_than_engine() -> None:
    with pytest.raises(FlowLoadError, match="newer than this engine understands"):
        parse_flow({**TOUR, "spec_version": 9}, "x.flow.yaml")


def test_migrations_upgrade_step_by_step() -> None:
    """A document of an older version is upgraded by each migration in turn."""

    def v0_to_v1(doc: dict) -> dict:
        doc = dict(doc)
        doc["title"] = doc.pop("name")
        return doc

    old = {"spec_version": 0, "name": "Gammel"}
    assert migrate(old, {0: v0_to_v1}, target=1) == {"spec_version": 1, "title": "Gammel"}
    assert old == {"spec_version": 0, "name": "Gammel"}
    with pytest.raises(MigrationError, match="no migration from spec_version 0"):
        migrate(old, {}, target=1)
    with pytest.raises(MigrationError, match="whole number"):
        migrate({"spec_version": "1"})
