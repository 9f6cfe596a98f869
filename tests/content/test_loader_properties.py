"""Property-based: whatever text a flow file holds, reading and loading it either succeeds
or fails with ``ContentFileError``/``FlowLoadError`` (a reason for the author); never another
exception, never a crash (deterministic: derandomized)."""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.content.yaml_files import ContentFileError, parse_yaml
from companion.flows import FlowLoadError, load_flows
from tests.hostile.yaml_cases import VALID

SETTINGS = settings(max_examples=150, derandomize=True, deadline=None)

BASE = yaml.safe_load(VALID)
KEYS = sorted(
    {"id", "type", "kind", "text", "prompt", "next", "nodes", "entry", "save", "field", "options"}
    | {"value", "label", "min", "max", "cases", "when", "ref", "equals", "default", "title"}
    | {"spec_version", "audience", "results", "fields", "optional", "help", "yes_next", "over"}
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["hello", "ask", "bye", "question", "message", "text", "choice", "end"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=4),
    ),
    max_leaves=20,
)


def _load(document: Any) -> None:
    try:
        load_flows({"random.flow.yaml": document})
    except FlowLoadError as error:
        assert error.issues  # every refusal says why


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*path, index))
    return found


@SETTINGS
@given(document=values)
def test_random_documents_load_or_give_a_flow_load_error(document: Any) -> None:
    _load(document)


@SETTINGS
@given(data=st.data(), replacement=values)
def test_a_valid_flow_with_one_part_replaced_loads_or_is_refused(data, replacement) -> None:
    """The valid flow with one value anywhere in it swapped for something random."""
    document = copy.deepcopy(BASE)
    path = data.draw(st.sampled_from(_paths(document)[1:]))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = replacement
    _load(document)


yaml_alphabet = st.sampled_from(
    [*list("abc019 :-[]{},&*!|>'\"#%@`?\n\t\\"), "\x00", "\x1b", "\u202e", "\ufeff", "ø", "😀"]
)


@SETTINGS
@given(text=st.one_of(st.text(yaml_alphabet, max_size=120), st.text(max_size=60)))
def test_random_text_parses_or_gives_a_content_file_error(text: str) -> None:
    try:
        document = parse_yaml(text)
    except ContentFileError as error:
        assert str(error)
        return
    _load(document)


@SETTINGS
@given(lines=st.lists(st.integers(min_value=0, max_value=VALID.count("\n") - 1), max_size=4))
def test_a_valid_flow_with_lines_removed_parses_or_is_refused(lines: list[int]) -> None:
    kept = [line for i, line in enumerate(VALID.splitlines()) if i not in lines]
    try:
        document = parse_yaml("\n".join(kept))
    except ContentFileError:
        return
    _load(document)
