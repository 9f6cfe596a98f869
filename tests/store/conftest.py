"""Every store contract test runs against the fake, plain SQLite and SQLCipher (G19)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.flows import Engine, load_flows
from companion.flows.fakes import FixedClock, SequentialIds, SourceLocalizer
from tests.flows.sample_flows import ALL
from tests.store.support import KINDS, Stores, make_stores


@pytest.fixture(params=KINDS)
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    made = make_stores(request.param, tmp_path)
    yield made
    if made.db is not None:
        made.db.close()


@pytest.fixture(params=["sqlite", "sqlcipher"])
def sql_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    made = make_stores(request.param, tmp_path)
    yield made
    assert made.db is not None
    made.db.close()


@pytest.fixture
def engine() -> Engine:
    return Engine(
        load_flows(ALL),
        clock=FixedClock(),
        ids=SequentialIds(),
        localizer=SourceLocalizer(),
    )
