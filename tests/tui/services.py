"""Services for the TUI tests: the in-memory fakes, or a real SQLite database in a folder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.config import Settings
from companion.content import Content, load_content
from companion.flows.fakes import FixedClock, SequentialIds
from companion.services import Services, build_services
from companion.services import memory_services as core_memory_services

_CONTENT: list[Content] = []
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def content() -> Content:
    if not _CONTENT:
        _CONTENT.append(load_content())
    return _CONTENT[0]


def clock() -> FixedClock:
    return FixedClock(START, timedelta(seconds=1))


def memory_services() -> Services:
    """Services on the in-memory fakes, a fixed clock (one second per reading) and plain ids."""
    return core_memory_services(Settings(), clock=clock(), ids=SequentialIds(), content=content())


def sqlite_services(folder: Path) -> Services:
    """Services on a plaintext SQLite database in ``folder`` (migrated), with a fixed clock."""
    settings = Settings(db_path=folder / "companion.db", allow_plaintext=True)
    return build_services(
        settings, clock=clock(), ids=SequentialIds(), content=content(), migrate_now=True
    )
