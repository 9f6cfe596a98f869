"""An engine over the sample flows, with a fixed clock and sequential ids."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sample_flows import ALL, LOOPY

from companion.flows import Engine, load_flows
from companion.flows.fakes import FixedClock, SequentialIds, SourceLocalizer
from companion.flows.safety import SafetyLexicon

SAFETY_FLOW = {
    "spec_version": 1,
    "id": "safety",
    "title": "Hjelp nå",
    "audience": ["youth"],
    "entry": "numbers",
    "nodes": [
        {"type": "message", "id": "numbers", "text": "Ring 113 hvis det haster.", "next": "flag"},
        {"type": "flag", "id": "flag", "severity": "high", "reason": "safety_path"},
    ],
}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def flows():
    return load_flows({**ALL, "loopy.flow.yaml": LOOPY, "safety.flow.yaml": SAFETY_FLOW})


@pytest.fixture
def engine(flows, clock: FixedClock) -> Engine:
    lexicon = SafetyLexicon(flow_id="safety", terms={"nb": ["vil ikke leve", "skade meg selv"]})
    return Engine(
        flows, clock=clock, ids=SequentialIds(), localizer=SourceLocalizer(), safety=lexicon
    )
