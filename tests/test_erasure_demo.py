"""Acceptance (#8): a confirmed deletion in the demo leaves no trace of the participant's answers
in the database file, checked by decrypting it — logically (``sqlcipher_export``) and page by
page (every page of the file and the WAL, decrypted with the key through ``openssl``)."""

from __future__ import annotations

import shutil
import subprocess  # nosec B404  # openssl with fixed arguments, for the test only
from pathlib import Path
from typing import Any

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from companion.accounts import Viewer
from companion.data_rights import DataRights
from companion.demo import demo_settings
from companion.demo_data import seed_demo
from companion.outbox import text_entry
from companion.services import Services, build_services

PAGE = 4096
RESERVE = 80  # SQLCipher 4: a 16-byte IV and a 64-byte HMAC at the end of every page
SECRET_MESSAGE = "Jeg vil ikke at pappa skal vite om Zebrafjell-hemmeligheten"
HELD_TEXT = "Kanskje Blåbærskogen-svaret mitt"
NOTE_TEXT = "Hun nevnte Tyttebærhaugen-saken i møtet"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _answers_of(services: Services, participant_id: str) -> set[str]:
    found: set[str] = set()
    for session in services.conversations.sessions_for(participant_id):
        for answer in services.conversations.answers_for(session.id):
            found.update(_strings(answer.value))
    return found


def _decrypted_pages(path: Path, key: str) -> bytes:
    """Every page of an SQLCipher file decrypted (AES-256-CBC, raw key, the page's own IV)."""
    raw = path.read_bytes()
    out = bytearray()
    for start in range(0, len(raw) - PAGE + 1, PAGE):
        page = raw[start : start + PAGE]
        body_from = 16 if start == 0 else 0  # page 1 begins with the salt
        body = page[body_from : PAGE - RESERVE]
        iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
        done = subprocess.run(  # nosec B603
            ["openssl", "enc", "-d", "-aes-256-cbc", "-nopad", "-K", key, "-iv", iv.hex()],
            input=body,
            capture_output=True,
            check=True,
        )
        out += done.stdout
    return bytes(out)


def _exported(path: Path, key: str, folder: Path) -> bytes:
    """A plaintext copy of everything the database holds (``sqlcipher_export``)."""
    plain = folder / "plain.db"
    plain.unlink(missing_ok=True)
    conn = sqlcipher.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = \"x'{key}'\"")
        conn.execute(f"ATTACH DATABASE '{plain}' AS plaintext KEY ''")
        conn.execute("SELECT sqlcipher_export('plaintext')")
        conn.execute("DETACH DATABASE plaintext")
    finally:
        conn.close()
    return plain.read_bytes()


@pytest.fixture
def demo(tmp_path: Path) -> Services:
    services = build_services(demo_settings(tmp_path / "demo"), migrate_now=True)
    seed_demo(services)
    return services


def _sara(services: Services) -> tuple[str, str]:
    ali = services.directory.get_caseworker_by_username("ali.demo")
    assert ali is not None
    for case in services.directory.cases_for_caseworker(ali.id):
        for person in services.directory.participants_in_case(case.id):
            if person.display_name.startswith("Sara"):
                return person.id, case.id
    raise AssertionError("no Sara in the demo")


def test_confirmed_deletion_leaves_no_answer_in_the_decrypted_file(
    demo: Services, tmp_path: Path
) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to decrypt the pages")
    services = demo
    key = services.settings.key
    assert key is not None and len(key) == 64
    path = services.settings.db_path
    sara, case_id = _sara(services)
    directory = services.directory
    directory.link_channel(sara, "telegram", "777000111")
    services.inbox_store.add_message(case_id, sara, "in", SECRET_MESSAGE)
    services.inbox_store.hold("hold-1", sara, "s-none", HELD_TEXT)
    services.outbox.enqueue([text_entry("telegram", "777000111", SECRET_MESSAGE)])
    author = directory.get_caseworker_by_username("ali.demo")
    assert author is not None
    services.notes.add_note(case_id, sara, "s-none/themes", author.id, NOTE_TEXT)
    # Distinctive: Sara's free-text answers that nobody else in the demo gave.
    others = set[str]()
    for person_case in directory.cases_for_caseworker(directory.get_case(case_id).caseworker_id):  # type: ignore[union-attr]
        for person in directory.participants_in_case(person_case.id):
            if person.id != sara:
                others |= _answers_of(services, person.id)
    ours = {a for a in _answers_of(services, sara) - others if len(a) >= 12}
    assert len(ours) >= 3, ours
    secrets = [*ours, SECRET_MESSAGE, HELD_TEXT, NOTE_TEXT]
    encoded = [s.encode("utf-8") for s in secrets]

    before = _exported(path, key, tmp_path)
    assert all(s in before for s in encoded)  # the check can see them

    ali = directory.get_caseworker_by_username("ali.demo")
    assert ali is not None
    counts = DataRights(services, Viewer.of(ali)).confirm_deletion(sara)
    assert counts["answers"] > 0 and counts["sessions"] > 0 and counts["messages"] == 1
    assert counts["notes"] == 1
    services.db.close()

    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed: no old page images
    exported = _exported(path, key, tmp_path)
    pages = _decrypted_pages(path, key)
    assert b"SQLite format 3" in exported and b"CREATE TABLE" in pages  # really decrypted
    for text, raw in zip(secrets, encoded, strict=True):
        assert raw not in exported, f"{text!r} is still in the database"
        assert raw not in pages, f"{text!r} is still in a page of the file"
        assert raw not in path.read_bytes()


def test_the_tombstone_and_the_audit_keep_ids_only(demo: Services) -> None:
    services = demo
    sara, case_id = _sara(services)
    ali = services.directory.get_caseworker_by_username("ali.demo")
    assert ali is not None
    DataRights(services, Viewer.of(ali)).confirm_deletion(sara)
    person = services.directory.get_participant(sara)
    assert person is not None and person.erased_at is not None
    assert "Sara" not in person.display_name and person.messages_stopped
    assert services.conversations.sessions_for(sara) == []
    assert services.directory.links_for(sara) == []
    entry = services.audit.entries()[-1]
    assert (entry.action, entry.subject) == ("participant.erased", f"participant:{sara}")
    assert entry.details["case"] == case_id
    assert services.audit.verify() == []
    assert not any("Sara" in str(e.details) for e in services.audit.entries())
