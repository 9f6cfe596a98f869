"""AuditLog contract: append-only, hash-chained, and tampering is found by verify()."""

from __future__ import annotations

import pytest

from companion.memory_store import MemoryAuditLog
from tests.store.support import Stores


def fill(stores: Stores, count: int = 4) -> None:
    for n in range(1, count + 1):
        stores.audit.append("kari", "case.viewed", f"case-{n}", {"n": n, "why": "møte"})


def edit(stores: Stores, entry_id: int, subject: str) -> None:
    """Change an entry behind the log's back, as someone with raw access could."""
    if isinstance(stores.audit, MemoryAuditLog):
        entries = stores.audit._entries
        index = next(i for i, e in enumerate(entries) if e.id == entry_id)
        entries[index] = entries[index].model_copy(update={"subject": subject})
        return
    assert stores.db is not None
    stores.db.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    stores.db.execute("UPDATE audit_log SET subject = ? WHERE id = ?", [subject, entry_id])


def delete(stores: Stores, entry_id: int) -> None:
    """Remove an entry behind the log's back."""
    if isinstance(stores.audit, MemoryAuditLog):
        stores.audit._entries[:] = [e for e in stores.audit._entries if e.id != entry_id]
        return
    assert stores.db is not None
    stores.db.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    stores.db.execute("DELETE FROM audit_log WHERE id = ?", [entry_id])


def test_entries_are_chained(stores: Stores) -> None:
    """Entries come back in order, each linked to the hash of the one before."""
    fill(stores, 3)
    entries = stores.audit.entries()
    assert [e.id for e in entries] == [1, 2, 3]
    assert [e.subject for e in entries] == ["case-1", "case-2", "case-3"]
    assert entries[0].details == {"n": 1, "why": "møte"}
    assert entries[0].prev_hash == "0" * 64
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert len({e.hash for e in entries}) == 3
    assert stores.audit.verify() == []


def test_an_empty_log_verifies(stores: Stores) -> None:
    """Nothing logged is nothing wrong."""
    assert stores.audit.entries() == []
    assert stores.audit.verify() == []


def test_verify_finds_an_edited_entry(stores: Stores) -> None:
    """Changing an entry's content breaks its hash."""
    fill(stores)
    edit(stores, 2, "case-99")
    assert stores.audit.verify() == ["entry 2: content does not match its hash (edited?)"]


def test_verify_finds_a_deleted_entry(stores: Stores) -> None:
    """Removing an entry leaves a gap and a broken link."""
    fill(stores)
    delete(stores, 2)
    problems = stores.audit.verify()
    assert "entry 2 is missing (deleted?)" in problems
    assert "entry 3: does not follow the entry before it" in problems


def test_verify_finds_a_deleted_last_entry_after_the_next_append(stores: Stores) -> None:
    """Ids never go back, so a deleted last entry shows as a gap once anything follows it."""
    fill(stores)
    delete(stores, 4)
    stores.audit.append("kari", "case.viewed", "case-5", {})
    assert stores.audit.verify() == ["entry 4 is missing (deleted?)"]


def test_details_must_be_json(stores: Stores) -> None:
    """Details that cannot be written as JSON are refused before anything is stored."""
    with pytest.raises(TypeError):
        stores.audit.append("kari", "case.viewed", "case-1", {"when": object()})
    assert stores.audit.entries() == []


def test_the_database_refuses_to_rewrite_history(sql_stores: Stores) -> None:
    """Triggers make UPDATE and DELETE on audit_log fail outright."""
    fill(sql_stores, 2)
    assert sql_stores.db is not None
    with pytest.raises(Exception, match="append-only"):
        sql_stores.db.execute("UPDATE audit_log SET actor = 'ola'")
    with pytest.raises(Exception, match="append-only"):
        sql_stores.db.execute("DELETE FROM audit_log")
    assert sql_stores.audit.verify() == []


def test_verify_finds_a_deleted_last_entry_at_once(stores: Stores) -> None:
    """Cutting off the newest entries is found even before anything else is appended."""
    fill(stores)
    delete(stores, 4)
    delete(stores, 3)
    assert stores.audit.verify() == ["entry 3-4 is missing (deleted?)"]
