"""Upgrade older flow documents to the current ``spec_version`` before validation.

Each migration takes a document of version N and returns one of version N+1. Version 1 is the
first published format, so the table is empty today; the mechanism is tested with a synthetic
migration so a later spec change only adds an entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from companion.flows.definition import SPEC_VERSION

Document = dict[str, Any]
Migration = Callable[[Document], Document]

MIGRATIONS: dict[int, Migration] = {}
"""``{from_version: upgrade}``; ``MIGRATIONS[n]`` turns version n into n + 1."""


class MigrationError(ValueError):
    pass


def migrate(
    document: Mapping[str, Any],
    migrations: Mapping[int, Migration] | None = None,
    target: int = SPEC_VERSION,
) -> Document:
    """Return ``document`` upgraded to ``target`` (a copy; the input is not changed)."""
    table = MIGRATIONS if migrations is None else migrations
    doc = dict(document)
    version = doc.get("spec_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise MigrationError(
            f"'spec_version' must be a whole number (this engine reads {SPEC_VERSION})"
        )
    if version > target:
        raise MigrationError(
            f"spec_version {version} is newer than this engine understands ({target}); "
            "upgrade companion"
        )
    while version < target:
        upgrade = table.get(version)
        if upgrade is None:
            raise MigrationError(f"no migration from spec_version {version} to {version + 1}")
        doc = upgrade(doc)
        version += 1
        doc["spec_version"] = version
    return doc
