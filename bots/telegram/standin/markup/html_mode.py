"""Telegram's HTML style: a fixed tag set, four named entities and all numeric ones."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bots.telegram.standin.markup.base import Entity, Out, ParseError, byte_offset

_HTML_KINDS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[a-zA-Z]{1,10});")


@dataclass
class _Tag:
    """An open HTML tag waiting for its end tag."""

    name: str
    start: int
    attrs: dict[str, str]
    language: str | None = None
    inside_pre: bool = False


def _decode_entity(text: str, index: int) -> tuple[str | None, int]:
    """The character an HTML entity at `index` stands for, and where it ends."""
    match = _ENTITY_RE.match(text, index)
    if match is None:
        return None, index
    body = match.group(1)
    if body[0] != "#":
        decoded = _NAMED_ENTITIES.get(body)
        return decoded, match.end()
    code = int(body[2:], 16) if body[1] in "xX" else int(body[1:])
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None, index
    return chr(code), match.end()


def _decode_all(value: str) -> str:
    """An attribute value with its HTML entities decoded."""
    out: list[str] = []
    i = 0
    while i < len(value):
        decoded, end = _decode_entity(value, i) if value[i] == "&" else (None, i)
        if decoded is None:
            out.append(value[i])
            i += 1
        else:
            out.append(decoded)
            i = end
    return "".join(out)


def parse_html(text: str) -> tuple[str, list[Entity]]:
    """Telegram's HTML style: a fixed tag set, four named entities, all numeric ones."""
    out = Out()
    stack: list[_Tag] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            decoded, end = _decode_entity(text, i)
            if decoded is not None:
                out.add(decoded)
                i = end
                continue
        if char != "<":
            out.add(char)
            i += 1
        elif text.startswith("</", i):
            i = _close_tag(text, i, stack, out)
        else:
            i = _open_tag(text, i, stack, out)
    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return out.text(), out.entities


def _open_tag(text: str, begin: int, stack: list[_Tag], out: Out) -> int:
    """Read a start tag at `begin`; return the index after its `>`."""
    i = begin + 1
    while i < len(text) and not text[i].isspace() and text[i] != ">":
        i += 1
    if i >= len(text):
        raise ParseError(f"Unclosed start tag at byte offset {byte_offset(text, begin)}")
    name = text[begin + 1 : i].lower()
    if name not in _HTML_KINDS:
        raise ParseError(
            f'Unsupported start tag "{name}" at byte offset {byte_offset(text, begin)}'
        )
    attrs, i = _read_attributes(text, i, begin)
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise ParseError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(text, begin)}'
        )
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise ParseError(
            f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {byte_offset(text, begin)}'
        )
    tag = _Tag(name, out.utf16, attrs)
    # <pre><code class="language-x"> is one pre entity with a language, not two entities.
    if name == "code" and stack and stack[-1].name == "pre":
        tag.inside_pre = True
        language = attrs.get("class", "")
        if language.startswith("language-"):
            stack[-1].language = language.removeprefix("language-")
    stack.append(tag)
    return i + 1


def _read_attributes(text: str, i: int, begin: int) -> tuple[dict[str, str], int]:
    """Attributes from `i` up to the tag's `>`; returns them and the index of `>`."""
    attrs: dict[str, str] = {}
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            raise ParseError(f"Unclosed start tag at byte offset {byte_offset(text, begin)}")
        if text[i] == ">":
            return attrs, i
        j = i
        while j < len(text) and (text[j].isalnum() or text[j] in "-_"):
            j += 1
        if j == i:
            raise ParseError(
                f"Empty attribute name in the tag at byte offset {byte_offset(text, begin)}"
            )
        name, i = text[i:j].lower(), j
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text) or text[i] != "=":
            attrs[name] = ""  # a bare attribute such as <blockquote expandable>
            continue
        attrs[name], i = _read_value(text, i + 1, begin)


def _read_value(text: str, i: int, begin: int) -> tuple[str, int]:
    """An attribute value after its `=`, quoted or bare; returns it and the index after it."""
    while i < len(text) and text[i].isspace():
        i += 1
    if i < len(text) and text[i] in "\"'":
        end = text.find(text[i], i + 1)
        if end < 0:
            raise ParseError(f"Unclosed start tag at byte offset {byte_offset(text, begin)}")
        return _decode_all(text[i + 1 : end]), end + 1
    j = i
    while j < len(text) and not text[j].isspace() and text[j] != ">":
        j += 1
    return _decode_all(text[i:j]), j


def _close_tag(text: str, begin: int, stack: list[_Tag], out: Out) -> int:
    """Read an end tag at `begin`, emit the entity; return the index after its `>`."""
    if not stack:
        raise ParseError(f"Unexpected end tag at byte offset {byte_offset(text, begin)}")
    i = begin + 2
    while i < len(text) and not text[i].isspace() and text[i] != ">":
        i += 1
    name = text[begin + 2 : i].lower()
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text) or text[i] != ">":
        raise ParseError(f"Unclosed end tag at byte offset {byte_offset(text, begin)}")
    tag = stack[-1]
    if name != tag.name:
        raise ParseError(
            f"Unmatched end tag at byte offset {byte_offset(text, begin)}, "
            f'expected "</{tag.name}>", found "</{name}>"'
        )
    stack.pop()
    _emit_html(tag, out)
    return i + 1


def _emit_html(tag: _Tag, out: Out) -> None:
    """The entity a closed tag stands for."""
    kind = _HTML_KINDS[tag.name]
    if tag.name == "a":
        href = tag.attrs.get("href", "")
        if href:  # <a> without href is plain text in Telegram
            out.entity("text_link", tag.start, url=href)
    elif tag.name == "pre":
        extra = {"language": tag.language} if tag.language else {}
        out.entity("pre", tag.start, **extra)
    elif tag.name == "code" and tag.inside_pre:
        return
    elif tag.name == "blockquote":
        out.entity("expandable_blockquote" if "expandable" in tag.attrs else kind, tag.start)
    elif tag.name == "tg-emoji":
        out.entity(kind, tag.start, custom_emoji_id=tag.attrs["emoji-id"])
    else:
        out.entity(kind, tag.start)
