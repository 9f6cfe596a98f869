"""``companion users``, ``companion audit`` and ``companion db backup`` on real SQLCipher files."""

from __future__ import annotations

import io
import secrets
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion import admin_cli
from companion.accounts import LoginRefused, SignIn, Viewer
from companion.cli import CliError, main
from companion.config import Settings
from companion.demo_data import seed_demo
from companion.flows.fakes import FixedClock, SequentialIds
from companion.services import build_services
from companion.staff import StaffCases
from companion.store.audit import SqliteAuditLog
from companion.store.database import KeyRequired, WrongKey, open_database
from companion.store.directory import SqliteDirectoryStore
from companion.system import SystemClock

PASSWORD = "et langt og godt passord"


@pytest.fixture
def key() -> str:
    return secrets.token_hex(32)


@pytest.fixture
def db_path(tmp_path: Path, key: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated SQLCipher database named by the environment, as on a server."""
    path = tmp_path / "companion.db"
    monkeypatch.setenv("COMPANION_DB", str(path))
    monkeypatch.setenv("COMPANION_DB_KEY", key)
    assert main(["db", "init"]) == 0
    return path


def stdin(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def sign_in(path: Path, key: str, username: str, password: str) -> str:
    db = open_database(path, key, create=False)
    try:
        clock = SystemClock()
        directory = SqliteDirectoryStore(db, clock=clock, ids=SequentialIds())
        return SignIn(directory, SqliteAuditLog(db, clock=clock), clock)(username, password).role
    finally:
        db.conn.close()


def test_users_add_list_role_disable_enable_and_passwd(
    db_path: Path, key: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, PASSWORD)
    assert main(["users", "add", "Kari", "--name", "Kari Nordmann"]) == 0
    assert sign_in(db_path, key, "kari", PASSWORD) == "caseworker"
    assert main(["users", "role", "kari", "leader"]) == 0
    assert main(["users", "disable", "kari"]) == 0
    with pytest.raises(LoginRefused):
        sign_in(db_path, key, "kari", PASSWORD)
    assert main(["users", "enable", "kari"]) == 0
    stdin(monkeypatch, "et helt nytt passord")
    assert main(["users", "passwd", "kari"]) == 0
    assert sign_in(db_path, key, "kari", "et helt nytt passord") == "leader"
    stdin(monkeypatch, "et helt nytt passord", "mitt eget nye passord")
    assert main(["users", "passwd", "kari", "--own"]) == 0
    assert sign_in(db_path, key, "kari", "mitt eget nye passord") == "leader"
    capsys.readouterr()
    assert main(["users", "list"]) == 0
    listed = capsys.readouterr().out
    assert "kari" in listed and "leader" in listed and "active" in listed
    assert "$argon2" not in listed and PASSWORD not in listed
    main(["audit", "show", "--last", "50"])
    shown = capsys.readouterr().out
    for action in ("account.added", "account.role_changed", "account.disabled", "login.ok"):
        assert action in shown
    assert PASSWORD not in shown and "mitt eget" not in shown


def test_bad_input_is_one_line_and_changes_nothing(
    db_path: Path, key: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, "kort")
    assert main(["users", "add", "kari", "--name", "Kari"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    stdin(monkeypatch)  # nothing on stdin
    assert main(["users", "add", "kari", "--name", "Kari"]) == 2
    assert "no password on standard input" in capsys.readouterr().err
    assert main(["users", "disable", "ingen"]) == 1
    assert capsys.readouterr().err.strip() == "companion: no account 'ingen'"
    stdin(monkeypatch, PASSWORD)
    assert main(["users", "add", "kari", "--name", "Kari"]) == 0
    stdin(monkeypatch, "feil gammelt passord", "mitt eget nye passord")
    assert main(["users", "passwd", "kari", "--own"]) == 1
    assert "wrong username or password" in capsys.readouterr().err
    assert sign_in(db_path, key, "kari", PASSWORD) == "caseworker"
    with pytest.raises(SystemExit):  # a password is never accepted on the command line
        main(["users", "add", "ola", "--name", "Ola", "--password", PASSWORD])


def test_passwords_from_a_terminal_are_read_without_echo_and_confirmed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter([PASSWORD, PASSWORD, PASSWORD, "noe annet"])
    monkeypatch.setattr(admin_cli.getpass, "getpass", lambda prompt: next(answers))
    assert admin_cli.read_password("password: ", confirm=True, stdin=Terminal()) == PASSWORD
    with pytest.raises(CliError, match="differ"):
        admin_cli.read_password("password: ", confirm=True, stdin=Terminal())


@pytest.fixture
def demo_db(tmp_path: Path, key: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo database, encrypted, as ``companion demo`` seeds it."""
    path = tmp_path / "demo.db"
    settings = Settings(db_path=path, db_key=key)
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), timedelta(seconds=1))
    services = build_services(settings, clock=clock, migrate_now=True)
    people = seed_demo(services)
    ali = services.directory.get_caseworker_by_username("ali.demo")
    assert ali is not None
    staff = StaffCases(services, Viewer.of(ali))  # a morning's work: views and an invite
    for case in services.directory.cases_for_caseworker(ali.id):
        staff.open_case(case.id)
    staff.create_invite(people["sara"].id)
    services.db.conn.close()
    monkeypatch.setenv("COMPANION_DB", str(path))
    monkeypatch.setenv("COMPANION_DB_KEY", key)
    return path


def tamper(path: Path, key: str, sql: str) -> None:
    """Change the audit log as someone holding the file and the key could: drop the trigger,
    edit, put the trigger back (so nothing looks different)."""
    from companion.store.migrations import _AUDIT

    db = open_database(path, key, create=False)
    triggers = _AUDIT[_AUDIT.index("CREATE TRIGGER") :]
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute(sql)
    db.executescript(triggers)
    db.conn.close()


def test_audit_verify_passes_on_the_demo_and_fails_after_an_edit(
    demo_db: Path, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: ") and "entries, chain intact" in out
    tamper(demo_db, key, "UPDATE audit_log SET actor = 'noen andre' WHERE id = 1")
    assert main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "entry 1: content does not match its hash (edited?)" in err


def test_audit_verify_fails_after_a_deleted_entry(
    demo_db: Path, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "show", "--last", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert not any(name in "\n".join(lines) for name in ("Sara", "Nadia", "Omar", "Jonas"))
    tamper(demo_db, key, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    assert main(["audit", "verify"]) == 1
    assert "missing (deleted?)" in capsys.readouterr().err
    assert main(["audit", "show", "--last", "0"]) == 2


def test_audit_verify_fails_on_a_file_edited_without_sql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plaintext (demo) file edited byte by byte, without SQLite and its triggers."""
    path = tmp_path / "plain.db"
    monkeypatch.setenv("COMPANION_DB", str(path))
    monkeypatch.setenv("COMPANION_ALLOW_PLAINTEXT", "1")
    assert main(["db", "init"]) == 0
    db = open_database(path, None)
    audit = SqliteAuditLog(db, clock=SystemClock())
    for n in range(3):
        audit.append("kari", "case.viewed", f"case-{n}", {})
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    raw = path.read_bytes()
    assert raw.count(b"case-1") == 1
    path.write_bytes(raw.replace(b"case-1", b"case-7"))
    assert main(["audit", "verify"]) == 1
    assert "entry 2: content does not match its hash" in capsys.readouterr().err


def test_backup_is_encrypted_private_complete_and_never_overwrites(
    demo_db: Path, key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "backup" / "copy.db"
    copy.parent.mkdir()
    assert main(["db", "backup", str(copy)]) == 0
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert b"Sara" not in copy.read_bytes() and not copy.read_bytes().startswith(b"SQLite")
    with pytest.raises(KeyRequired):
        open_database(copy, None, create=False)
    with pytest.raises(WrongKey):
        open_database(copy, secrets.token_hex(32), create=False)
    original, backup = open_database(demo_db, key), open_database(copy, key, create=False)
    for table in ("caseworkers", "participants", "answers", "results", "invites", "flags"):
        assert backup.table(table).count == original.table(table).count > 0, table
    # the backup's own audit entry is written to the live log after the copy
    assert backup.table("audit_log").count == original.table("audit_log").count - 1
    assert backup.execute("PRAGMA user_version").fetchone() == (
        original.execute("PRAGMA user_version").fetchone()
    )
    assert SqliteAuditLog(backup, clock=SystemClock()).verify() == []
    names = {r["name"] for r in backup.query("SELECT name FROM _sqlite_migrations")}
    assert "0006_accounts_security" in names
    last = SqliteAuditLog(original, clock=SystemClock()).entries()[-1]
    assert (last.action, last.subject) == ("db.backup", "copy.db")
    before = copy.read_bytes()
    capsys.readouterr()
    assert main(["db", "backup", str(copy)]) == 1
    assert "already exists; not overwriting it" in capsys.readouterr().err
    assert copy.read_bytes() == before


def test_backup_under_its_own_key_file(
    demo_db: Path, key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "backup.key"
    assert main(["db", "keygen", str(other)]) == 0
    copy = tmp_path / "copy.db"
    assert main(["db", "backup", str(copy), "--key-file", str(other)]) == 0
    with pytest.raises(WrongKey):
        open_database(copy, key, create=False)
    opened = open_database(copy, other.read_text().strip(), create=False)
    assert opened.table("participants").count == 6


def test_a_plaintext_database_is_only_backed_up_encrypted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COMPANION_DB", str(tmp_path / "plain.db"))
    monkeypatch.setenv("COMPANION_ALLOW_PLAINTEXT", "1")
    assert main(["db", "init"]) == 0
    copy = tmp_path / "copy.db"
    assert main(["db", "backup", str(copy)]) == 2
    assert "--key-file" in capsys.readouterr().err and not copy.exists()
    key_file = tmp_path / "k.key"
    assert main(["db", "keygen", str(key_file)]) == 0
    assert main(["db", "backup", str(copy), "--key-file", str(key_file)]) == 0
    assert not copy.read_bytes().startswith(b"SQLite format 3")
    assert (
        open_database(copy, key_file.read_text().strip(), create=False)
        .table("caseworkers")
        .exists()
    )


def test_backup_to_a_missing_folder_is_one_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "backup", str(tmp_path / "nowhere" / "copy.db")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("companion: cannot create") and err.count("\n") == 1


def test_a_new_database_file_is_private(db_path: Path) -> None:
    """Only the service account may even copy the (encrypted) file."""
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0, suffix


def test_the_database_is_refused_without_a_key_outside_demo_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Encryption at rest is the default: no key, no database (nothing is created)."""
    path = tmp_path / "c.db"
    monkeypatch.setenv("COMPANION_DB", str(path))
    for command in (["db", "init"], ["users", "list"], ["audit", "verify"]):
        assert main(command) == 1
        assert "no encryption key configured" in capsys.readouterr().err
    assert not path.exists()
    monkeypatch.setenv("COMPANION_ALLOW_PLAINTEXT", "0")
    assert main(["db", "init"]) == 1
    assert not path.exists()


def test_rekey_is_audited_and_an_earlier_backup_keeps_its_key(
    demo_db: Path, key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After `db rekey` the database needs the new key; a backup made before keeps the old one."""
    copy = tmp_path / "before.db"
    assert main(["db", "backup", str(copy)]) == 0
    new_key = secrets.token_hex(32)
    monkeypatch.setenv("COMPANION_NEW_DB_KEY", new_key)
    assert main(["db", "rekey"]) == 0
    with pytest.raises(WrongKey):
        open_database(demo_db, key, create=False)
    db = open_database(demo_db, new_key, create=False)
    entries = SqliteAuditLog(db, clock=SystemClock()).entries()
    assert entries[-1].action == "db.rekeyed" and entries[-1].actor.startswith("cli:")
    monkeypatch.setenv("COMPANION_DB_KEY", new_key)
    assert main(["audit", "verify"]) == 0
    assert open_database(copy, key, create=False).table("participants").count == 6
