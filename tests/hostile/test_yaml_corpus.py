"""Hostile and malformed flow files through the real content loader (a content pack on disk):
each is refused with a ``FlowLoadError`` naming the file and a reason an author can act on,
or, if odd but harmless, loaded. Nothing else escapes, nothing hangs."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.content import load_content
from companion.flows import FlowLoadError
from tests.hostile.yaml_cases import CASES, SAFETY_CASES, VALID

FILE = "hostile.flow.yaml"


def pack(tmp_path: Path, data: bytes) -> Path:
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / FILE).write_bytes(data)
    return tmp_path


def test_the_base_flow_loads(tmp_path: Path) -> None:
    content = load_content([pack(tmp_path, VALID.encode())])
    assert "hostile" in content.flows


@pytest.mark.parametrize(("data", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_flow_file(tmp_path: Path, data: bytes, phrase: str | None) -> None:
    if phrase is None:
        content = load_content([pack(tmp_path, data)])
        assert "hostile" in content.flows
        return
    with pytest.raises(FlowLoadError) as caught:
        load_content([pack(tmp_path, data)])
    message = str(caught.value)
    assert FILE in message
    assert phrase in message
    assert len(message) < 5_000  # one clear reason, not a dump of the file


@pytest.mark.parametrize(
    ("text", "phrase"), [c[1:] for c in SAFETY_CASES], ids=[c[0] for c in SAFETY_CASES]
)
def test_hostile_safety_lexicon(tmp_path: Path, text: str, phrase: str | None) -> None:
    """A pack's safety.yaml replaces the shipped lexicon: bad ones are refused, odd terms
    are harmless (matched literally, never as patterns)."""
    (tmp_path / "flows").mkdir()
    (tmp_path / "safety.yaml").write_text(text, encoding="utf-8")
    if phrase is None:
        content = load_content([tmp_path])
        assert content.safety is not None
        assert content.safety.match("helt vanlig tekst") is None
        return
    with pytest.raises(FlowLoadError) as caught:
        load_content([tmp_path])
    assert "safety.yaml" in str(caught.value)
    assert phrase in str(caught.value)
