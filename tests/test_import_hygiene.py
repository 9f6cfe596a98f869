"""The engine is pure: importing it loads no front end and no storage (checked in a subprocess)."""

from __future__ import annotations

import subprocess
import sys

import pytest

FORBIDDEN = ("textual", "telegram", "sqlite_utils", "sqlcipher3", "babel", "yaml")


@pytest.mark.parametrize("module", ["companion.flows", "companion.flows.engine"])
def test_engine_imports_no_front_end_or_storage(module: str) -> None:
    code = f"import sys, {module}; print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_core_imports_no_front_end() -> None:
    code = (
        "import sys, companion.content, companion.transcripts, companion.case_actions; "
        "print(','.join(m for m in ('textual', 'telegram', 'tui') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
