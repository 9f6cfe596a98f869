"""Docs are tested: every node type and CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.cli import build_parser
from companion.flows import definition as d

ROOT = Path(__file__).parents[1]
GUIDE = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("node_type", d.NODE_TYPES)
def test_every_node_type_is_in_the_content_guide(node_type: str) -> None:
    assert f"type: {node_type}" in GUIDE


@pytest.mark.parametrize("kind", d.QUESTION_KINDS)
def test_every_question_kind_is_in_the_content_guide(kind: str) -> None:
    assert f"kind: {kind}" in GUIDE or f"# {kind}" in GUIDE


@pytest.mark.parametrize(
    "cls",
    [*d._QUESTION_CLASSES.values(), *d._OTHER_NODE_CLASSES.values()],
    ids=lambda c: c.__name__,
)
def test_every_node_model_has_a_docstring_example(cls: type) -> None:
    assert cls.__doc__ and "Example:" in cls.__doc__


def test_readme_shows_the_two_commands_and_every_cli_group() -> None:
    assert "make demo" in README and "make test" in README
    parser = build_parser()
    groups = next(a for a in parser._actions if a.dest == "command").choices
    for name in groups:
        assert f"companion {name}" in README or f"bin/companion {name}" in README, name
