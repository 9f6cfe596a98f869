"""Graph validation: the second layer, after the schema.

Checks what a schema cannot: the entry exists, ids are unique, every ``next`` resolves, every
node is reachable, loop bodies lead back to their loop, waits have a default path, sub-flows
exist, saves name declared results, templates and conditions use known references.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from companion.flows import definition as d
from companion.flows.conditions import REF_ROOTS, Condition
from companion.flows.strings import localizable
from companion.flows.templates import TemplateError, placeholders


@dataclass(frozen=True)
class Issue:
    """One problem in a flow file, phrased for the author."""

    source: str
    node_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"node '{self.node_id}': " if self.node_id else ""
        return f"{self.source}: {where}{self.message}"


def targets(node: Any) -> Iterator[tuple[str, str]]:
    """(field, node id) for every node this node can continue to."""
    for name in ("next", "body", "default", "on_no", "on_decline", "yes_next", "no_next"):
        value = getattr(node, name, None)
        if isinstance(value, str):
            yield name, value
    for case in getattr(node, "cases", ()) or ():
        yield "cases.next", case.next
    for option in getattr(node, "options", ()) or ():
        if getattr(option, "next", None):
            yield f"options.{option.value}.next", option.next
    timeout = getattr(node, "timeout", None)
    if timeout is not None and timeout.next:
        yield "timeout.next", timeout.next


def validate_flow(
    flow: d.Flow, source: str, known_flows: Mapping[str, d.Flow] | None = None
) -> list[Issue]:
    """Every graph problem in ``flow``; an empty list means it can run."""
    issues: list[Issue] = []

    def add(node_id: str | None, message: str) -> None:
        issues.append(Issue(source, node_id, message))

    ids = [n.id for n in flow.nodes]
    seen: set[str] = set()
    for node_id in ids:
        if node_id in seen:
            add(node_id, "the id is used by more than one node")
        seen.add(node_id)
    if flow.entry not in seen:
        add(None, f"entry '{flow.entry}' is not a node (nodes: {_few(ids)})")
    for node in flow.nodes:
        for field_name, target in targets(node):
            if target not in seen:
                add(node.id, f"{field_name} '{target}' is not a node (nodes: {_few(ids)})")
    if flow.entry in seen:
        reachable = _reachable(flow, flow.entry)
        for node_id in ids:
            if node_id not in reachable:
                add(node_id, f"cannot be reached from the entry '{flow.entry}'")
    _check_loops(flow, add, seen)
    _check_nodes(flow, add, known_flows)
    _check_texts(flow, add)
    return issues


def _few(ids: list[str], limit: int = 12) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (", …" if len(ids) > limit else "")


def _reachable(flow: d.Flow, start: str) -> set[str]:
    return _reachable_without(flow, start, stop=None)


def _check_loops(flow: d.Flow, add: Any, ids: set[str]) -> None:
    for node in flow.nodes:
        if isinstance(node, d.LoopNode) and node.body in ids:
            body_reach = _reachable_without(flow, node.body, node.id)
            if node.id not in body_reach:
                add(node.id, f"the body starting at '{node.body}' never comes back to the loop")


def _reachable_without(flow: d.Flow, start: str, stop: str | None) -> set[str]:
    """Node ids reachable from ``start``, not following edges out of ``stop``."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        node_id = stack.pop()
        if node_id in seen or not flow.has_node(node_id):
            continue
        seen.add(node_id)
        if node_id != stop:
            stack.extend(t for _, t in targets(flow.node(node_id)))
    return seen


def _check_nodes(flow: d.Flow, add: Any, known_flows: Mapping[str, d.Flow] | None) -> None:
    for node in flow.nodes:
        _check_saves(flow, node, add)
        if isinstance(node, d.SubflowNode) and known_flows is not None:
            _check_subflow(flow, node, add, known_flows)
        if (
            isinstance(node, d.CollectNode)
            and node.save
            and node.save.mode
            not in (
                "append",
                "extend",
            )
        ):
            add(node.id, "a collect node adds items: use save mode 'append' or 'extend'")
        for ref in _list_refs(node):
            name = ref.result or flow.default_result
            if name in flow.results and ref.field not in flow.results[name].fields:
                add(node.id, f"refers to '{name}.{ref.field}', not a declared field")
        for condition in _conditions(node):
            for ref_text in condition.refs():
                _check_ref(flow, node.id, ref_text, add)


def _check_saves(flow: d.Flow, node: Any, add: Any) -> None:
    declared = flow.results
    for save in _saves(node):
        name = save.result or flow.default_result
        if name is None:
            add(node.id, "saves without a result name and the flow has no default_result")
        elif name not in declared:
            add(
                node.id,
                f"saves into result '{name}', which the flow does not declare "
                f"(declared: {', '.join(declared) or 'none'})",
            )
        elif not save.item and save.field not in declared[name].fields:
            fields = ", ".join(declared[name].fields)
            add(
                node.id,
                f"saves into '{name}.{save.field}', not a declared field (fields: {fields})",
            )


def _check_subflow(
    flow: d.Flow, node: d.SubflowNode, add: Any, known_flows: Mapping[str, d.Flow]
) -> None:
    if node.flow not in known_flows:
        add(
            node.id,
            f"sub-flow '{node.flow}' does not exist (flows: {', '.join(sorted(known_flows))})",
        )
    elif node.flow == flow.id:
        add(node.id, "a flow cannot start itself as a sub-flow")


def _saves(node: Any) -> Iterator[d.SaveTo]:
    save = getattr(node, "save", None)
    if isinstance(save, d.SaveTo):
        yield save


def _list_refs(node: Any) -> Iterator[d.ListRef]:
    for name in ("over", "options_from"):
        ref = getattr(node, name, None)
        if isinstance(ref, d.ListRef):
            yield ref
    yield from getattr(node, "applies_to", ()) or ()


def _conditions(node: Any) -> Iterator[Condition]:
    for case in getattr(node, "cases", ()) or ():
        yield case.when


def _check_ref(flow: d.Flow, node_id: str, ref: str, add: Any) -> None:
    root, _, rest = ref.partition(".")
    if root not in REF_ROOTS:
        add(node_id, f"unknown reference root '{root}' (expected one of: {', '.join(REF_ROOTS)})")
        return
    head = rest.split(".")[0] if rest else ""
    if root == "answers" and head and not flow.has_node(head):
        add(node_id, f"'{ref}' refers to no node '{head}'")
    elif root == "results" and head and head not in flow.results:
        add(
            node_id,
            f"'{ref}' refers to no declared result '{head}' "
            f"(declared: {', '.join(flow.results) or 'none'})",
        )
    elif root == "params" and head and head not in flow.params:
        add(
            node_id,
            f"'{ref}' refers to no declared param '{head}' "
            f"(params: {', '.join(flow.params) or 'none'})",
        )


def _check_texts(flow: d.Flow, add: Any) -> None:
    texts = [(t.node_id, t.prop, t.source) for t in localizable(flow)]
    for node in flow.nodes:
        if isinstance(node, d.SetNode) and isinstance(node.value, str):
            texts.append((node.id, "value", node.value))
        if isinstance(node, d.CollectNode):
            texts += [
                (node.id, f"item_fields.{k}", v)
                for k, v in node.item_fields.items()
                if isinstance(v, str)
            ]
    for node_id, prop, source in texts:
        try:
            found = placeholders(source)
        except TemplateError as error:
            add(node_id, f"{prop}: {error}")
            continue
        for ref, _ in found:
            if "." in ref or ref == "item":
                _check_ref(flow, node_id or "", ref, add)
            else:
                add(node_id, f"{prop}: '{{{ref}}}' is not a known reference")
