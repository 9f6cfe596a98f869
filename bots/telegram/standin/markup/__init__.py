"""Telegram's parse modes (HTML, MarkdownV2, Markdown) turned into plain text plus entities.

The rules and error texts follow tdlib, which the real Bot API server uses: unsupported or
unbalanced HTML tags and unescaped MarkdownV2 reserved characters are refused. Entity offsets
and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

from bots.telegram.standin.errors import bad_request
from bots.telegram.standin.markup.base import Entity, ParseError, utf16_len
from bots.telegram.standin.markup.html_mode import parse_html
from bots.telegram.standin.markup.markdown_mode import parse_markdown, parse_markdown_v2

__all__ = ["Entity", "parse", "utf16_len"]

_PARSERS = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}


def parse(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Plain text and entities for `text` under `parse_mode`; 400 on a parse error."""
    mode = (parse_mode or "").lower()
    if not mode:
        return text, []
    if mode not in _PARSERS:
        raise bad_request("unsupported parse_mode")
    try:
        plain, entities = _PARSERS[mode](text)
    except ParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return plain, entities
