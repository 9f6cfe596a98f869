"""Hermetic test settings shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def hermetic_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Keep the machine's own config, keys and home out of the tests."""
    home = tmp_path_factory.mktemp("home")
    for name in (
        "COMPANION_DB_KEY",
        "COMPANION_DB_KEY_FILE",
        "COMPANION_DB",
        "COMPANION_CONTENT_DIRS",
        "COMPANION_CONFIG",
        "TELEGRAM_TOKEN",
        "COMPANION_TELEGRAM_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    yield
