"""Line numbers of flow texts in their YAML file, so ``.pot`` locations point at the text."""

from __future__ import annotations

import yaml


class LineFinder:
    """Finds the line of a text, looking inside its node's mapping first."""

    def __init__(self, text: str) -> None:
        try:
            self._root: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            self._root = None
        self._nodes = _node_index(self._root)

    def find(self, node_id: str | None, value: str) -> int:
        """The 1-based line of ``value``; 1 when it cannot be found (e.g. changed by migration)."""
        scopes = [self._nodes.get(node_id) if node_id else None, self._root]
        for scope in scopes:
            line = _scalar_line(scope, value)
            if line is not None:
                return line
        return 1


def _node_index(root: yaml.Node | None) -> dict[str, yaml.Node]:
    """Flow node id → its YAML mapping, from the top-level ``nodes`` list."""
    nodes = _get(root, "nodes")
    if not isinstance(nodes, yaml.SequenceNode):
        return {}
    index = {}
    for item in nodes.value:
        node_id = _get(item, "id")
        if isinstance(node_id, yaml.ScalarNode):
            index[str(node_id.value)] = item
    return index


def _get(mapping: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v  # type: ignore[no-any-return]
    return None


def _scalar_line(tree: yaml.Node | None, value: str) -> int | None:
    if tree is None:
        return None
    if isinstance(tree, yaml.ScalarNode):
        return int(tree.start_mark.line) + 1 if tree.value == value else None
    children: list[yaml.Node] = []
    if isinstance(tree, yaml.MappingNode):
        children = [v for _, v in tree.value]
    elif isinstance(tree, yaml.SequenceNode):
        children = list(tree.value)
    for child in children:
        line = _scalar_line(child, value)
        if line is not None:
            return line
    return None
