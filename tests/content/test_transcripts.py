"""Golden transcripts: every script in tests/content/scripts runs through the real engine.

The rendered transcript and the JSON events must equal the files in tests/content/golden.
Regenerate after a reviewed content or engine change with:
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/content/test_transcripts.py
and read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from companion.content import Content
from companion.content.yaml_files import read_yaml
from companion.flows import Engine
from companion.flows.fakes import FixedClock, SequentialIds
from companion.i18n.localizer import BabelLocalizer
from companion.transcripts import parse_script, run_script

HERE = Path(__file__).parent
SCRIPTS = sorted((HERE / "scripts").glob("*.yaml"))
GOLDEN = HERE / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _check(path: Path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path.name} did not exist; written now; review it and run again")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} changed; review, then UPDATE_GOLDEN=1 to accept"


@pytest.mark.parametrize("script_path", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_golden_transcript(script_path: Path, content: Content) -> None:
    """A scripted conversation renders exactly as its reviewed golden transcript."""
    script = parse_script(read_yaml(script_path))
    clock = FixedClock()
    localizer = BabelLocalizer(content.locales_dirs[0])
    engine = Engine(
        content.flows,
        clock=clock,
        ids=SequentialIds(),
        localizer=localizer,
        safety=content.safety,
    )
    transcript = run_script(engine, script, clock)
    _check(GOLDEN / f"{script_path.stem}.txt", transcript.text())
    _check(GOLDEN / f"{script_path.stem}.events.json", transcript.events_json())


def test_every_shipped_flow_has_a_script_per_locale(content: Content) -> None:
    """Each shipped flow has at least one golden script in nb, nn and en."""
    covered: dict[str, set[str]] = {}
    for path in SCRIPTS:
        script = parse_script(read_yaml(path))
        covered.setdefault(script.flow or "", set()).add(script.locale)
    missing = {
        flow_id: sorted({"nb", "nn", "en"} - covered.get(flow_id, set()))
        for flow_id in content.flows
        if {"nb", "nn", "en"} - covered.get(flow_id, set())
    }
    assert not missing, f"flows without golden scripts per locale: {missing}"
