"""Mapping → migrated → schema-checked ``Flow`` → graph-checked set of flows.

No file I/O: callers read and parse YAML (``companion.content``) and hand over mappings.
Every problem becomes an ``Issue`` that names the file, the node and what was expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from companion.flows import definition as d
from companion.flows.migrations import MigrationError, migrate
from companion.flows.validation import Issue, validate_flow


class FlowLoadError(Exception):
    """One or more flows are invalid; ``issues`` says where and why."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


def parse_flow(document: Any, source: str) -> d.Flow:
    """Migrate and schema-check one flow document."""
    if not isinstance(document, Mapping):
        kind = type(document).__name__
        raise FlowLoadError([Issue(source, None, f"expected a mapping at the top, got {kind}")])
    try:
        migrated = migrate(document)
    except MigrationError as error:
        raise FlowLoadError([Issue(source, None, str(error))]) from None
    try:
        return d.Flow.model_validate(migrated)
    except ValidationError as error:
        raise FlowLoadError(schema_issues(error, migrated, source)) from None


def load_flows(documents: Mapping[str, Any]) -> dict[str, d.Flow]:
    """Parse and validate several flow documents (``{source name: mapping}``) together.

    Sub-flow references are checked across the whole set. Raises ``FlowLoadError`` with every
    issue found.
    """
    flows: dict[str, d.Flow] = {}
    sources: dict[str, str] = {}
    issues: list[Issue] = []
    for source, document in documents.items():
        try:
            flow = parse_flow(document, source)
        except FlowLoadError as error:
            issues.extend(error.issues)
            continue
        if flow.id in flows:
            issues.append(
                Issue(source, None, f"flow id '{flow.id}' is also used by {sources[flow.id]}")
            )
            continue
        flows[flow.id] = flow
        sources[flow.id] = source
    for flow_id, flow in flows.items():
        issues.extend(validate_flow(flow, sources[flow_id], flows))
    if issues:
        raise FlowLoadError(issues)
    return flows


def schema_issues(error: ValidationError, document: Mapping[str, Any], source: str) -> list[Issue]:
    """Translate pydantic's errors into author-facing issues."""
    issues = []
    for item in error.errors():
        loc = list(item["loc"])
        node_id = _node_id(document, loc)
        issues.append(Issue(source, node_id, _message(item, document, loc)))
    return issues


def _node_id(document: Mapping[str, Any], loc: list[Any]) -> str | None:
    if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int):
        nodes = document.get("nodes")
        if isinstance(nodes, list) and loc[1] < len(nodes) and isinstance(nodes[loc[1]], Mapping):
            node_id = nodes[loc[1]].get("id")
            return str(node_id) if node_id is not None else f"#{loc[1] + 1}"
    return None


def _raw_node(document: Mapping[str, Any], loc: list[Any]) -> Mapping[str, Any]:
    nodes = document.get("nodes")
    if len(loc) >= 2 and loc[0] == "nodes" and isinstance(nodes, list) and isinstance(loc[1], int):
        raw = nodes[loc[1]] if loc[1] < len(nodes) else None
        return raw if isinstance(raw, Mapping) else {}
    return {}


def _model_for_tag(tag: Any) -> type[Any] | None:
    if not isinstance(tag, str):
        return None
    if tag.startswith("question."):
        return d._QUESTION_CLASSES.get(tag.removeprefix("question."))
    return d._OTHER_NODE_CLASSES.get(tag)


def _field_path(loc: list[Any]) -> str:
    """The part of ``loc`` below the node, without pydantic's union tags."""
    # Below a node (its id is named separately); «nodes» itself keeps its name in the message.
    below_node = loc[:1] == ["nodes"] and len(loc) >= 2 and isinstance(loc[1], int)
    parts = loc[2:] if below_node else loc
    if parts and _model_for_tag(parts[0]) is not None:
        parts = parts[1:]
    return ".".join(str(p) for p in parts)


def _message(item: Any, document: Mapping[str, Any], loc: list[Any]) -> str:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    path = _field_path(loc)
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        return _bad_tag(_raw_node(document, loc))
    if kind == "extra_forbidden":
        field = str(loc[-1])
        model = _model_for_tag(loc[2]) if len(loc) > 3 else None
        allowed = f" (expected one of: {', '.join(model.model_fields)})" if model else ""
        return f"unknown field '{field}'{allowed}"
    if kind == "missing":
        return f"missing field '{path}'"
    if kind == "literal_error":
        return f"{path}: {item['input']!r} is not allowed (expected {ctx.get('expected')})"
    if kind == "string_pattern_mismatch":
        return (
            f"{path}: {item['input']!r} is not a valid id "
            "(lower-case letters, digits and _; starting with a letter)"
        )
    message = str(item["msg"]).removeprefix("Value error, ")
    return f"{path}: {message}" if path else message


def _bad_tag(raw: Mapping[str, Any]) -> str:
    node_type = raw.get("type")
    if node_type == "question":
        kinds = ", ".join(d.QUESTION_KINDS)
        kind = raw.get("kind")
        if kind is None:
            return f"a question needs a 'kind' (expected one of: {kinds})"
        return f"unknown question kind '{kind}' (expected one of: {kinds})"
    types = ", ".join(d.NODE_TYPES)
    if node_type is None:
        return f"a node needs a 'type' (expected one of: {types})"
    return f"unknown node type '{node_type}' (expected one of: {types})"
