"""Fixtures for the TUI: demo-seeded fakes, an app factory, and the asyncio backend."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from services import memory_services

from companion.accounts import Viewer
from companion.config import Settings
from companion.demo_data import seed_demo
from companion.ports import Participant
from companion.services import Services
from tui.app import CompanionApp, make_app

AppFactory = Callable[..., CompanionApp]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def services() -> Services:
    """In-memory services with the demo's people and conversations."""
    found = memory_services()
    seed_demo(found)
    return found


@pytest.fixture
def people(services: Services) -> dict[str, Participant]:
    return seed_demo(services)


def viewer(services: Services, username: str) -> Viewer:
    worker = services.directory.get_caseworker_by_username(username)
    assert worker is not None
    return Viewer.of(worker)


@pytest.fixture
def ali(services: Services) -> Viewer:
    return viewer(services, "ali.demo")


@pytest.fixture
def eva(services: Services) -> Viewer:
    return viewer(services, "eva.demo")


@pytest.fixture
def kari(services: Services) -> Viewer:
    return viewer(services, "kari.demo")


@pytest.fixture
def make(services: Services, tmp_path: Path) -> AppFactory:
    """``make(login_as="ali.demo")``: the app over the seeded fakes, exporting into tmp."""

    def factory(**options: object) -> CompanionApp:
        options.setdefault("export_dir", tmp_path / "exports")
        options.setdefault("poll_seconds", 0.2)
        return make_app(Settings(), services, **options)  # type: ignore[arg-type]

    return factory
