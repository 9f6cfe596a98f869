"""Lets top-level tests use the sample flows of tests/flows."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "flows"))

from sample_flows import ALL as SAMPLE_FLOWS

__all__ = ["SAMPLE_FLOWS"]
