"""Key hints in the viewer's language: binding descriptions come from the UI texts."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from textual.dom import DOMNode

from tui.i18n import Message, Texts


def localize_bindings(node: DOMNode, texts: Texts, labels: Mapping[str, Message]) -> None:
    """Give this node's bindings for the actions in ``labels`` their translated descriptions."""
    for bindings in node._bindings.key_to_bindings.values():
        for i, binding in enumerate(bindings):
            message = labels.get(binding.action)
            if message is not None:
                bindings[i] = dataclasses.replace(binding, description=texts(message))
