"""The real clock and id factory (the engine's ports, for production)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class RandomIds:
    """Random, unguessable ids (uuid4 hex)."""

    def new_id(self) -> str:
        return uuid.uuid4().hex
