"""Exports from the TUI are in the audit log (ids and counts, never content)."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.services import Services

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


async def test_exporting_the_network_map_is_audited(
    make, services: Services, tmp_path: Path
) -> None:
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "4")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
    assert (tmp_path / "exports" / "nettverkskart-sara-demo.svg").exists()
    entry = services.audit.entries()[-1]
    assert (entry.actor, entry.action, entry.details) == (
        "ali.demo",
        "case.exported",
        {"what": "network_map", "files": 2},
    )
    assert "Mormor" not in repr(services.audit.entries())
