"""Reading content YAML defensively: size-capped, strict UTF-8, no aliases, no duplicate keys.

Flow files may come from a service's own content pack, so they are treated as untrusted input:
an alias bomb or a 50 MB file must give a clear error, not hang or eat memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 64
"""Nesting deeper than this is refused before building objects: libyaml's constructor recurses
in C, and a 200 kB file of ``[[[[…`` crashes the whole process (a segfault, not an error)."""


class ContentFileError(ValueError):
    """A content file cannot be read; the message says why, for the author."""


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it (about ten times faster), else the pure-Python one."""


def _line(event: Any) -> int:
    mark = getattr(event, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else 0


def _refuse_anchors(text: str) -> None:
    """Aliases are how YAML bombs work, and flows never need them: refuse any anchor or alias.
    Also refuse nesting deeper than ``MAX_DEPTH`` (the event stream itself is flat and safe)."""
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ContentFileError(
                    f"line {_line(event)}: nested more than {MAX_DEPTH} levels deep"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.AliasEvent):
            raise ContentFileError(
                f"line {_line(event)}: aliases (*name) are not allowed in content files"
            )
        if getattr(event, "anchor", None):
            raise ContentFileError(
                f"line {_line(event)}: anchors (&name) are not allowed in content files"
            )


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    """A safe loader that refuses duplicate keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        keys = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in keys:
                raise ContentFileError(
                    f"line {key_node.start_mark.line + 1}: the key '{key}' appears twice"
                )
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, name: str = "<text>") -> Any:
    try:
        _refuse_anchors(text)
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506  # nosec B506  # _StrictLoader is a SafeLoader
    except ContentFileError:
        raise
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ContentFileError(f"{where}not valid YAML ({problem})") from None
    except (ValueError, TypeError) as error:
        # PyYAML lets these through: a list as a key (unhashable), a 5,000-digit number.
        raise ContentFileError(f"not usable as content ({error})") from None


def read_yaml(path: Path) -> Any:
    """Parse a content file, or raise ``ContentFileError`` with a one-line reason."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ContentFileError(f"cannot read the file ({error.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise ContentFileError(
            f"the file is {size} bytes; content files are at most {MAX_FILE_BYTES}"
        )
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContentFileError(f"not UTF-8 text (byte {error.start})") from None
    return parse_yaml(text, path.name)
