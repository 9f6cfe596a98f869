"""Turn the content flows' loosely typed person dicts into clean, display-ready records."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Closeness = Literal["inner", "middle", "outer"]
Quality = Literal["supportive", "mixed", "burdensome"]

RINGS: tuple[Closeness, ...] = ("inner", "middle", "outer")
QUALITIES: tuple[Quality, ...] = ("supportive", "mixed", "burdensome")
MAX_LABEL_CHARS = 18
FALLBACK_CATEGORY = "annet"
ELLIPSIS = "…"

# Bidi embeddings/overrides/isolates can visually reorder the rest of a label (spoofing), and
# U+FEFF is invisible; neither belongs in a name.
_INVISIBLE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Person:
    """One person on the map, cleaned and normalised."""

    name: str
    label: str
    category: str
    ring: Closeness
    quality: Quality | None
    gives_support: bool
    wants_more_contact: bool
    support: tuple[str, ...] = ()

    @property
    def truncated(self) -> bool:
        """Whether the label had to be shortened."""
        return self.label != self.name


def clean_text(value: object) -> str:
    """Drop control, surrogate, non-XML and bidi characters and collapse whitespace."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    kept: list[str] = []
    for char in text:
        if char in "\t\n\r":
            kept.append(" ")
            continue
        # Cc/Cs/Co and the U+FFFE/U+FFFF non-characters are either invalid XML or invisible.
        if unicodedata.category(char) in {"Cc", "Cs", "Co"} or char in _INVISIBLE:
            continue
        if char in "\ufffe\uffff":
            continue
        kept.append(char)
    return _SPACES.sub(" ", "".join(kept)).strip()


def truncate(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """Shorten to at most ``limit`` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def _slug(value: object) -> str:
    return clean_text(value).lower()


def normalize(raw: Mapping[str, object]) -> Person:
    """Build a :class:`Person` from one input dict; unknown values fall back quietly."""
    name = clean_text(raw.get("text")) or "?"
    closeness = raw.get("closeness")
    quality = raw.get("quality")
    support = raw.get("support")
    return Person(
        name=name,
        label=truncate(name),
        category=_slug(raw.get("category")) or FALLBACK_CATEGORY,
        # Unknown closeness goes to the outer ring: placing someone closer than the youth said
        # would put words in their mouth.
        ring=closeness if closeness in RINGS else "outer",
        quality=quality if quality in QUALITIES else None,
        gives_support=raw.get("gives_support") is True,
        wants_more_contact=raw.get("contact_wish") == "more",
        support=tuple(_slug(s) for s in support if isinstance(s, str))
        if isinstance(support, list | tuple)
        else (),
    )
