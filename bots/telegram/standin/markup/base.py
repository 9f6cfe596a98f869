"""What every parse mode shares: the text being built, UTF-16 units and parse errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Entity = dict[str, Any]


class ParseError(Exception):
    """The detail after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def byte_offset(text: str, index: int) -> int:
    """UTF-8 byte offset of `text[index]`, the unit of tdlib's error positions."""
    return len(text[:index].encode("utf-8"))


@dataclass
class Out:
    """The plain text being built, with its UTF-16 length and finished entities."""

    chars: list[str] = field(default_factory=list)
    utf16: int = 0
    entities: list[Entity] = field(default_factory=list)

    def add(self, piece: str) -> None:
        """Append plain text."""
        self.chars.append(piece)
        self.utf16 += utf16_len(piece)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        """Finish an entity that began at UTF-16 offset `start` and ends here."""
        # Empty entities are dropped, as Telegram does.
        if self.utf16 > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.utf16 - start, **extra}
            )

    def text(self) -> str:
        """The plain text so far."""
        return "".join(self.chars)
