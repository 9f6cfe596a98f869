"""MarkdownV2 (every reserved character escaped) and the legacy Markdown style."""

from __future__ import annotations

from dataclasses import dataclass

from bots.telegram.standin.markup.base import Entity, Out, ParseError, byte_offset

_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


@dataclass
class _Open:
    """An open MarkdownV2 entity."""

    kind: str
    start: int
    byte_offset: int
    char_start: int
    language: str | None = None


def _is_end(kind: str, text: str, i: int) -> bool:
    """Whether the reserved character at `i` closes an open entity of `kind`."""
    char = text[i]
    ends = {
        "bold": char == "*",
        "italic": char == "_" and not text.startswith("__", i),
        "underline": text.startswith("__", i),
        "strikethrough": char == "~",
        "spoiler": text.startswith("||", i),
        "code": char == "`",
        "pre": text.startswith("```", i),
        "text_link": char == "]",
        "custom_emoji": char == "]",
    }
    return ends[kind]


def _escapable(text: str, i: int) -> bool:
    """Whether `text[i]` is a backslash that escapes the next character (codes 1..126)."""
    return text[i] == "\\" and i + 1 < len(text) and 0 < ord(text[i + 1]) <= 126


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    """MarkdownV2: every reserved character outside an entity must be escaped with '\\'."""
    out = Out()
    stack: list[_Open] = []
    quote_start: int | None = None
    i = 0
    while i < len(text):
        in_code = bool(stack) and stack[-1].kind in ("code", "pre")
        if not in_code and (i == 0 or text[i - 1] == "\n"):
            # A line starting with '>' is part of a blockquote; other lines end one.
            if text[i] == ">":
                quote_start = out.utf16 if quote_start is None else quote_start
                i += 1
                continue
            if quote_start is not None:
                out.utf16 -= 1  # the quote ends before the newline that ended its last line
                out.entity("blockquote", quote_start)
                out.utf16 += 1
                quote_start = None
        if _escapable(text, i):
            out.add(text[i + 1])
            i += 2
            continue
        if text[i] not in ("`" if in_code else _MDV2_RESERVED):
            out.add(text[i])
            i += 1
        elif stack and _is_end(stack[-1].kind, text, i):
            i = _close_md(text, i, stack, out)
        else:
            i = _open_md(text, i, stack, out)
    if stack:
        top = stack[-1]
        raise ParseError(
            f"Can't find end of {_MDV2_NAMES[top.kind]} entity at byte offset {top.byte_offset}"
        )
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    return out.text(), out.entities


def _open_md(text: str, i: int, stack: list[_Open], out: Out) -> int:
    """Open the entity a reserved character at `i` starts; return the next index."""
    char, offset = text[i], byte_offset(text, i)
    language = None
    if char == "_" and text.startswith("__", i):
        kind, i = "underline", i + 2
    elif char == "|" and text.startswith("||", i):
        kind, i = "spoiler", i + 2
    elif char == "!" and text.startswith("![", i):
        kind, i = "custom_emoji", i + 2
    elif char == "`" and text.startswith("```", i):
        kind, i = "pre", i + 3
        end = i
        while end < len(text) and not text[end].isspace() and text[end] != "`":
            end += 1
        if end != i and end < len(text) and text[end] != "`":
            language, i = text[i:end], end
        # One newline right after the opening ``` belongs to the markup, not to the text.
        if text.startswith(("\r\n", "\n\r"), i):
            i += 2
        elif text.startswith(("\n", "\r"), i):
            i += 1
    elif char in "_*~[`":
        kind = {"_": "italic", "*": "bold", "~": "strikethrough", "[": "text_link", "`": "code"}[
            char
        ]
        i += 1
    else:
        raise ParseError(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )
    stack.append(_Open(kind, out.utf16, offset, len(out.chars), language))
    return i


def _close_md(text: str, i: int, stack: list[_Open], out: Out) -> int:
    """Close the innermost entity at `i`; return the index after its markup."""
    top = stack.pop()
    i += {"underline": 2, "spoiler": 2, "pre": 3}.get(top.kind, 1)
    if top.kind in ("text_link", "custom_emoji"):
        url, i = _read_md_url(text, i)
        if url is None:
            if top.kind == "custom_emoji":
                raise ParseError("Custom emoji entity must contain a tg://emoji URL")
            url = "".join(out.chars[top.char_start :])
        if top.kind == "custom_emoji":
            out.entity("custom_emoji", top.start, custom_emoji_id=url.rsplit("=", 1)[-1])
        elif url:
            out.entity("text_link", top.start, url=url)
    elif top.kind == "pre" and top.language:
        out.entity("pre", top.start, language=top.language)
    else:
        out.entity(top.kind, top.start)
    return i


def _read_md_url(text: str, i: int) -> tuple[str | None, int]:
    """The `(url)` after a link's `]`, if there is one, and the index after it."""
    if not text.startswith("(", i):
        return None, i
    i += 1
    begin = i
    url: list[str] = []
    while i < len(text) and text[i] != ")":
        if _escapable(text, i):
            url.append(text[i + 1])
            i += 2
        else:
            url.append(text[i])
            i += 1
    if i >= len(text):
        raise ParseError(f"Can't find end of a URL at byte offset {byte_offset(text, begin)}")
    return "".join(url), i + 1


_MD_KINDS = {"*": "bold", "_": "italic"}


def parse_markdown(text: str) -> tuple[str, list[Entity]]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out = Out()
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if char not in "_*`[":
            out.add(char)
            i += 1
            continue
        missing = ParseError(
            f"Can't find end of the entity starting at byte offset {byte_offset(text, i)}"
        )
        start = out.utf16
        if char in _MD_KINDS or (char == "`" and not text.startswith("```", i)):
            end = text.find(char, i + 1)
            if end < 0:
                raise missing
            out.add(text[i + 1 : end])
            out.entity(_MD_KINDS.get(char, "code"), start)
            i = end + 1
        elif char == "`":
            end = text.find("```", i + 3)
            if end < 0:
                raise missing
            out.add(text[i + 3 : end])
            out.entity("pre", start)
            i = end + 3
        else:
            close = text.find("]", i + 1)
            if close < 0 or not text.startswith("(", close + 1):
                raise missing
            url_end = text.find(")", close + 2)
            if url_end < 0:
                raise missing
            out.add(text[i + 1 : close])
            out.entity("text_link", start, url=text[close + 2 : url_end])
            i = url_end + 1
    return out.text(), out.entities
