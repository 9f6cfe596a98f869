"""Opening the database: encryption, keys and the one-line errors a person sees."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database

from companion.flows import Engine, load_flows
from companion.flows.fakes import FixedClock, SequentialIds, SourceLocalizer
from companion.flows.inputs import text
from companion.store import (
    DatabaseOpenError,
    SqliteAuditLog,
    SqliteConversationStore,
    init_database,
    open_database,
    rekey,
)
from companion.store.database import (
    DatabaseMissing,
    KeyRequired,
    NotADatabase,
    NotEncrypted,
    WrongKey,
)
from tests.flows.sample_flows import ALL

KEY = "ab" * 32
OTHER_KEY = "cd" * 32
SECRET = "hemmelig-svar-4711"


def make(path: Path, key: str | None) -> None:
    """Create a migrated database holding one known answer, stored by the real store, then close."""
    engine = Engine(
        load_flows(ALL), clock=FixedClock(), ids=SequentialIds(), localizer=SourceLocalizer()
    )
    db = init_database(path, key)
    store = SqliteConversationStore(db, clock=FixedClock(), ids=SequentialIds("r"))
    start = engine.start("tour", participant_id="p1", session_id="s1")
    store.record_sprint(None, start.session, start.events)
    named = engine.resume(start.session, text(SECRET))
    store.record_sprint(start.session, named.session, named.events)
    db.close()


def stored_answer(db: Database) -> object:
    """The one answer value in ``db``, decoded from its JSON column."""
    return json.loads(db.execute("SELECT value FROM answers").fetchone()[0])


def one_line(error: pytest.ExceptionInfo[DatabaseOpenError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_wrong_key_is_one_clear_line(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A wrong key says so in one line, and SQLCipher prints nothing to stderr."""
    path = tmp_path / "c.db"
    make(path, KEY)
    with pytest.raises(WrongKey) as error:
        open_database(path, OTHER_KEY)
    assert one_line(error) == f"cannot open {path}: the encryption key does not match this database"
    assert capfd.readouterr().err == ""


def test_plain_file_with_a_key_is_refused(tmp_path: Path) -> None:
    """A key for an unencrypted file is an error, not a silent plaintext database."""
    path = tmp_path / "c.db"
    make(path, None)
    with pytest.raises(NotEncrypted) as error:
        open_database(path, KEY)
    assert one_line(error) == (
        f"cannot open {path}: the file is not encrypted, but a database key is set"
    )


def test_encrypted_file_without_a_key_names_the_settings(tmp_path: Path) -> None:
    """Opening an encrypted file without a key says which setting to use."""
    path = tmp_path / "c.db"
    make(path, KEY)
    with pytest.raises(KeyRequired) as error:
        open_database(path, None)
    assert one_line(error) == (
        f"cannot open {path}: the database is encrypted: "
        "set COMPANION_DB_KEY or COMPANION_DB_KEY_FILE"
    )


@pytest.mark.parametrize("key", [None, KEY])
def test_missing_file_without_create(tmp_path: Path, key: str | None) -> None:
    """create=False refuses to make a new database."""
    path = tmp_path / "c.db"
    with pytest.raises(DatabaseMissing) as error:
        open_database(path, key, create=False)
    assert one_line(error) == f"cannot open {path}: the file does not exist"
    assert not path.exists()


def test_missing_folder(tmp_path: Path) -> None:
    """A database in a folder that does not exist is a clear error."""
    path = tmp_path / "nope" / "c.db"
    with pytest.raises(DatabaseMissing, match=r"folder .* does not exist"):
        open_database(path, None)


@pytest.mark.parametrize("key", [None, KEY])
def test_a_file_that_is_no_database(tmp_path: Path, key: str | None) -> None:
    """Some other file is reported as not a database, with or without a key."""
    path = tmp_path / "notes.txt"
    path.write_text("handleliste: melk, brød\n")
    with pytest.raises(NotADatabase) as error:
        open_database(path, key)
    assert one_line(error) == f"cannot open {path}: the file is not a database"


def test_a_folder_is_no_database(tmp_path: Path) -> None:
    """A folder path fails with a clear message."""
    with pytest.raises(NotADatabase, match="folder"):
        open_database(tmp_path, None)


@pytest.mark.parametrize("key", [None, KEY])
def test_connection_settings(tmp_path: Path, key: str | None) -> None:
    """WAL, a busy timeout, NORMAL sync and foreign keys are on for every connection."""
    db = open_database(tmp_path / "c.db", key)
    pragmas = {
        name: db.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "busy_timeout", "synchronous", "foreign_keys")
    }
    db.close()
    assert pragmas == {
        "journal_mode": "wal",
        "busy_timeout": 5000,
        "synchronous": 1,
        "foreign_keys": 1,
    }


def test_a_passphrase_with_quotes_works(tmp_path: Path) -> None:
    """A non-hex key is used as a passphrase; quotes in it are escaped, not injected."""
    path = tmp_path / "c.db"
    passphrase = "Mia's hund' ; DROP TABLE x; --"
    make(path, passphrase)
    db = open_database(path, passphrase)
    assert stored_answer(db) == SECRET
    db.close()
    with pytest.raises(WrongKey):
        open_database(path, "Mia's hund")


def test_encrypted_file_reveals_nothing(tmp_path: Path) -> None:
    """On disk the encrypted database has no SQLite header and no plaintext answer."""
    plain, secret = tmp_path / "plain.db", tmp_path / "secret.db"
    make(plain, None)
    make(secret, KEY)
    assert SECRET.encode() in plain.read_bytes()  # the control: plain SQLite shows it
    on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("secret.db*"))
    assert SECRET.encode() not in on_disk
    assert not on_disk.startswith(b"SQLite format 3\x00")
    with closing(sqlite3.connect(secret)) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_the_wal_is_encrypted_too(tmp_path: Path) -> None:
    """While the database is open, uncheckpointed pages in the WAL are encrypted as well."""
    path = tmp_path / "c.db"
    db = init_database(path, KEY)
    SqliteAuditLog(db, clock=FixedClock()).append("kari", "note", SECRET, {"svar": SECRET})
    wal = path.with_name("c.db-wal")
    assert wal.exists() and wal.stat().st_size > 0
    assert SECRET.encode() not in wal.read_bytes() + path.read_bytes()
    db.close()


def test_rekey_changes_the_key(tmp_path: Path) -> None:
    """After rekey the old key fails and the new one opens the same data."""
    path = tmp_path / "c.db"
    make(path, KEY)
    db = open_database(path, KEY)
    rekey(db, OTHER_KEY)
    db.close()
    with pytest.raises(WrongKey):
        open_database(path, KEY)
    db = open_database(path, OTHER_KEY)
    assert stored_answer(db) == SECRET
    db.close()


def test_rekey_needs_an_encrypted_database(tmp_path: Path) -> None:
    """A plain database cannot be rekeyed (SQLCipher would need an export)."""
    db = open_database(tmp_path / "c.db", None)
    with pytest.raises(DatabaseOpenError, match="not encrypted"):
        rekey(db, KEY)
    db.close()


def test_an_empty_key_is_refused(tmp_path: Path) -> None:
    """An empty key would silently mean "no encryption" to SQLCipher."""
    with pytest.raises(DatabaseOpenError, match="empty"):
        open_database(tmp_path / "c.db", "")
