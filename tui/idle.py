"""Garbage collection at a quiet moment instead of in the middle of opening a case.

With 10,000 cases the case list holds some 100,000 Python objects. A full collection walks all
of them (about 0.1 s), and Python starts one whenever enough objects have survived since the
last, which after loading the list is typically during the next key press. Collecting right
after the list is drawn, and freezing what survived, moves that cost to a moment when the
caseworker is reading; later collections then skip the list. Nothing is kept alive by this:
the next ``settle`` unfreezes first, so cycles that became garbage in between are collected.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect now and keep the survivors out of later scans (until the next ``settle``)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
