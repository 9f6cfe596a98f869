"""The small guards the corpus needed, checked directly (fast, no bot)."""

from __future__ import annotations

import pytest

from bots.telegram.callbacks import Signer, parse
from bots.telegram.translate import MAX_TEXT, as_delivered
from companion.content.yaml_files import MAX_DEPTH, ContentFileError, parse_yaml


@pytest.mark.parametrize("data", ["c.0.0.øøøø", "c.0.0.\ud800", "a.0.\ud800.x", "l.0.nb.😀"])
def test_non_ascii_button_data_is_not_ours(data: str) -> None:
    assert parse(data) is None


def test_a_real_button_still_parses_and_verifies() -> None:
    signer = Signer(b"k" * 32)
    data = signer.sign("c", 3, "1", "s:x:y")
    pressed = parse(data)
    assert pressed is not None and signer.verify(pressed, 3, "s:x:y")


def test_lone_surrogates_become_replacement_characters() -> None:
    assert as_delivered("a\ud800b\udfff") == "a\ufffdb\ufffd"
    assert as_delivered("😀 ok") == "😀 ok"


def test_control_characters_never_reach_a_terminal() -> None:
    assert as_delivered("a\x1b[2Jb\x00c\x9bd\r\ne\tf") == "a [2Jb c d\ne\tf"
    assert as_delivered("\x1b\x00\r") is None


def test_text_longer_than_telegram_allows_is_dropped() -> None:
    assert as_delivered("x" * MAX_TEXT) == "x" * MAX_TEXT
    assert as_delivered("x" * (MAX_TEXT + 1)) is None
    assert as_delivered("😀" * (MAX_TEXT // 2 + 1)) is None  # two UTF-16 units each


def test_nesting_is_capped_before_the_c_parser_recurses() -> None:
    assert parse_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(ContentFileError, match="nested more than"):
        parse_yaml("[" * 200_000 + "]" * 200_000)
