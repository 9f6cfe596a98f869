"""The session: everything the engine needs to continue a conversation, as plain data.

A session is immutable. The engine returns a new one from every start or resume, and hosts
store it as JSON (``session.model_dump_json()``). Deadlines live here, never in timers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SessionStatus = Literal["waiting", "paused", "completed", "stopped", "expired", "failed"]
RESUMABLE: frozenset[str] = frozenset({"waiting", "paused"})
MAX_HISTORY = 15
"""How many earlier questions ``back`` can return to."""


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# The small values inside a session are slotted frozen dataclasses: the engine creates and
# replaces them on every step, and pydantic still validates and serializes them in ``Session``.


@dataclass(frozen=True, slots=True, kw_only=True)
class LoopState:
    """Where a ``loop`` node is in its list."""

    node_id: str
    index: int
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Wait:
    """What the session waits for, and until when."""

    flow_id: str
    node_id: str
    started_at: datetime
    timeout_at: datetime | None = None
    attempts: int = 0
    """Invalid answers so far at this wait (for gentler hints)."""
    collected: int = 0
    """Items collected so far at a ``collect`` node."""
    heard: str | None = None
    """A voice transcript waiting for the person's «Stemmer det?» before it becomes the answer."""
    heard_confidence: float | None = None
    safety_shown: bool = False
    """The safety path already ran from this question: words that would trigger it again are
    taken as the answer (and flagged), so nobody is looped back to the emergency numbers."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Frame:
    """One running flow; sub-flows push frames."""

    flow_id: str
    node_id: str
    loops: tuple[LoopState, ...] = ()
    interrupt: bool = False
    """A safety interrupt: when it ends, the interrupted question is asked again."""
    trigger: str | None = None
    """The words that started a safety interrupt (shown to the caseworker with the flag)."""
    saved_wait: Wait | None = None
    """The interrupted wait, restored when the interrupt ends."""

    def at(self, node_id: str) -> Frame:
        """This frame moved to ``node_id`` (a direct constructor call: hot path)."""
        return Frame(
            flow_id=self.flow_id,
            node_id=node_id,
            loops=self.loops,
            interrupt=self.interrupt,
            trigger=self.trigger,
            saved_wait=self.saved_wait,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """An accepted answer with where it came from."""

    value: Any
    source: Literal["typed", "button", "voice", "skipped", "system"] = "typed"
    confidence: float | None = None
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """How to undo one accepted input, so ``back`` can return to the wait before it.

    Only what the step changed is kept (the earlier value of each touched answer and result),
    so a long conversation's history stays small.
    """

    frames: tuple[Frame, ...]
    wait: Wait | None
    answers_before: dict[str, Answer | None] = field(default_factory=dict)
    """Earlier value of each answer the step set (``None``: it did not exist)."""
    results_before: dict[str, dict[str, Any]] = field(default_factory=dict)
    """How to undo each result field the step changed, by result and field: ``{"length": n}``
    (appended to), ``{"index": i, "item": x}`` (one item changed) or ``{"value": x}``."""


class Session(_Data):
    """A conversation in progress (or finished)."""

    id: str
    flow_id: str
    locale: str
    status: SessionStatus
    participant_id: str | None = None
    frames: tuple[Frame, ...] = ()
    answers: dict[str, Answer] = Field(default_factory=dict)
    """Accepted answers keyed ``flow.node`` (``flow.node[2]`` inside a loop)."""
    results: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Structured results by name (themes, network map, houses …)."""
    params: dict[str, Any] = Field(default_factory=dict)
    wait: Wait | None = None
    history: tuple[Snapshot, ...] = ()
    seq: int = 0
    """Number of accepted inputs; hosts use it to make answer writes idempotent."""
    created_at: datetime
    updated_at: datetime
    expires_at: datetime

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    @property
    def is_resumable(self) -> bool:
        return self.status in RESUMABLE
