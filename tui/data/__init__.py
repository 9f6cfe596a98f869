"""Storage the TUI owns: the case list's read model and tiltaksplan drafts."""

from __future__ import annotations

from dataclasses import dataclass

from companion.memory_store import MemoryConversationStore, MemoryDirectoryStore
from companion.services import Services
from tui.data.ports import CaseIndex, PlanStore
from tui.data.records import CaseSummary, StoredPlan


@dataclass(frozen=True)
class TuiData:
    cases: CaseIndex
    plans: PlanStore


def open_tui_data(services: Services) -> TuiData:
    """SQLite adapters when the services have a database, the in-memory ones for the fakes."""
    if services.db is not None:
        from tui.data.sqlite import SqliteCaseIndex, SqlitePlanStore

        return TuiData(SqliteCaseIndex(services.db), SqlitePlanStore(services.db, services.ids))
    from tui.data.memory import MemoryCaseIndex, MemoryPlanStore

    directory, conversations = services.directory, services.conversations
    if not isinstance(directory, MemoryDirectoryStore) or not isinstance(
        conversations, MemoryConversationStore
    ):
        raise TypeError("services without a database must use the memory stores")
    index = MemoryCaseIndex(directory, conversations, services.inbox_store)
    return TuiData(index, MemoryPlanStore(services.ids))


__all__ = ["CaseIndex", "CaseSummary", "PlanStore", "StoredPlan", "TuiData", "open_tui_data"]
