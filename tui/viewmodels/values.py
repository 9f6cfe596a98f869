"""Reading the loosely typed JSON of stored results safely."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def items(data: Mapping[str, Any], field: str) -> list[Any]:
    """``data[field]`` if it is a list, else an empty list."""
    value = data.get(field)
    return value if isinstance(value, list) else []
