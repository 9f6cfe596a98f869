"""Fixtures for content tests: the shipped content and an engine over it."""

from __future__ import annotations

import pytest

from companion.content import Content, load_content


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()
