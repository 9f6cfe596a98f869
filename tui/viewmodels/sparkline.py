"""Numbers over time as one line of block characters (▁▂▃▄▅▆▇█)."""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], low: float, high: float) -> str:
    """One block per value, scaled between ``low`` and ``high`` (fixed, so lines compare)."""
    if high <= low:
        raise ValueError("high must be above low")
    top = len(BLOCKS) - 1
    blocks = []
    for value in values:
        share = (min(max(value, low), high) - low) / (high - low)
        blocks.append(BLOCKS[round(share * top)])
    return "".join(blocks)
