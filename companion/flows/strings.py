"""Which texts in a flow are user-facing, and the translation context of each.

A text's context is ``flow:node:property`` (``hevd:ask_theme:prompt``,
``hevd:pick:options.home``), so a translation follows its item even when the Bokmål changes.
The engine and the catalog extractor both use this module, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from companion.flows import definition as d

NODE_TEXT_PROPS = (
    "text",
    "prompt",
    "more_prompt",
    "done_label",
    "low_label",
    "high_label",
    "yes_label",
    "no_label",
    "help",
)


class LocalizableText(NamedTuple):
    context: str
    source: str
    node_id: str | None
    prop: str


def context(flow_id: str, node_id: str | None, prop: str) -> str:
    return f"{flow_id}:{node_id or ''}:{prop}"


def localizable(flow: d.Flow) -> Iterator[LocalizableText]:
    """Every user-facing text of a flow, in file order."""
    yield LocalizableText(context(flow.id, None, "title"), flow.title, None, "title")
    for node in flow.nodes:
        yield from _node_texts(flow.id, node)


def _node_texts(flow_id: str, node: Any) -> Iterator[LocalizableText]:
    for prop in NODE_TEXT_PROPS:
        value = getattr(node, prop, None)
        if isinstance(value, str) and value:
            yield LocalizableText(context(flow_id, node.id, prop), value, node.id, prop)
    for option in getattr(node, "options", ()) or ():
        prop = f"options.{option.value}"
        yield LocalizableText(context(flow_id, node.id, prop), option.label, node.id, prop)
    timeout = getattr(node, "timeout", None)
    if timeout is not None and timeout.reminder:
        prop = "timeout.reminder"
        yield LocalizableText(context(flow_id, node.id, prop), timeout.reminder, node.id, prop)
