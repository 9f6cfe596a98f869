"""Staff accounts: argon2id, old scrypt hashes, lockout, one refusal for all, administration."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.accounts import (
    LOCK_FOR,
    MAX_FAILURES,
    LoginRefused,
    SignIn,
    hash_password,
    scrypt_hash,
    verify_password,
)
from companion.flows.fakes import FixedClock, SequentialIds
from companion.memory_store import MemoryAuditLog, MemoryDirectoryStore
from companion.users import AccountError, Accounts

RIGHT = "korrekt hest batteri"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(step=timedelta(0))


@pytest.fixture
def directory(clock: FixedClock) -> MemoryDirectoryStore:
    return MemoryDirectoryStore(clock=clock, ids=SequentialIds())


@pytest.fixture
def audit(clock: FixedClock) -> MemoryAuditLog:
    return MemoryAuditLog(clock=clock)


@pytest.fixture
def sign_in(directory, audit, clock) -> SignIn:
    directory.add_caseworker("nina", "Nina", "caseworker", hash_password(RIGHT))
    return SignIn(directory, audit, clock)


def actions(audit: MemoryAuditLog) -> list[str]:
    return [e.action for e in audit.entries()]


def test_new_hashes_are_argon2id_and_foreign_ones_never_match() -> None:
    stored = hash_password(RIGHT)
    assert stored.startswith("$argon2id$") and RIGHT not in stored
    assert verify_password(RIGHT, stored) and not verify_password(RIGHT + "x", stored)
    for foreign in ("!demo-no-login", "", "$argon2id$broken", "scrypt$1$2"):
        assert not verify_password(RIGHT, foreign)


def test_an_old_scrypt_hash_signs_in_and_is_replaced_by_argon2(sign_in, directory, audit) -> None:
    old = directory.add_caseworker("per", "Per", "leader", scrypt_hash(RIGHT))
    assert old.password_hash.startswith("scrypt$")
    assert sign_in("per", RIGHT).role == "leader"
    now = directory.get_caseworker(old.id)
    assert now is not None and now.password_hash.startswith("$argon2id$")
    assert sign_in("per", RIGHT).id == old.id  # and the new hash works
    assert actions(audit) == ["account.rehashed", "login.ok", "login.ok"]


def test_sign_in_and_refusals_are_audited_without_secrets(sign_in, audit) -> None:
    """ok, wrong password, unknown user, disabled: one exception; the log says which."""
    sign_in("nina", RIGHT)
    with pytest.raises(LoginRefused):
        sign_in("nina", "feil passord")
    with pytest.raises(LoginRefused):
        sign_in("mitt hemmelige passord", RIGHT)  # a password typed as the username
    assert actions(audit) == ["login.ok", "login.failed", "login.failed"]
    text = repr(audit.entries())
    for secret in (RIGHT, "feil passord", "mitt hemmelige passord"):
        assert secret not in text
    assert audit.entries()[-1].subject == "unknown"


def test_five_failures_lock_the_account_for_a_while(sign_in, directory, clock, audit) -> None:
    """After five wrong passwords even the right one is refused, until the lock runs out."""
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefused):
            sign_in("nina", "gjett")
    nina = directory.get_caseworker_by_username("nina")
    assert nina is not None and nina.locked_until == clock.now() + LOCK_FOR
    with pytest.raises(LoginRefused):
        sign_in("nina", RIGHT)
    assert actions(audit)[-2:] == ["login.locked", "login.locked"]
    assert [e.details["why"] for e in audit.entries()[-2:]] == ["too_many_failures", "locked"]
    clock.advance(LOCK_FOR)
    assert sign_in("nina", RIGHT).username == "nina"
    nina = directory.get_caseworker_by_username("nina")
    assert nina is not None and (nina.failed_logins, nina.locked_until) == (0, None)


def test_a_success_resets_the_failure_count(sign_in, directory) -> None:
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginRefused):
            sign_in("nina", "gjett")
    sign_in("nina", RIGHT)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginRefused):
            sign_in("nina", "gjett")
    assert sign_in("nina", RIGHT).username == "nina"


def test_a_disabled_account_cannot_sign_in_even_with_the_right_password(
    sign_in, directory, audit, clock
) -> None:
    accounts = Accounts(directory, audit, clock, actor="cli:root")
    accounts.disable("nina")
    with pytest.raises(LoginRefused):
        sign_in("nina", RIGHT)
    assert audit.entries()[-1].details["why"] == "disabled"
    accounts.enable("nina")
    assert sign_in("nina", RIGHT).username == "nina"


def test_admin_adds_accounts_with_checked_names_roles_and_passwords(directory, audit, clock):
    accounts = Accounts(directory, audit, clock, actor="cli:root")
    added = accounts.add("Ola.Hansen", "Ola Hansen", "admin", RIGHT)
    assert (added.username, added.role) == ("ola.hansen", "admin")
    for bad, match in (
        (("ola.hansen", "Ola", "caseworker", RIGHT), "taken"),
        (("ola hansen", "Ola", "caseworker", RIGHT), "invalid username"),
        (("ola2", "", "caseworker", RIGHT), "display name"),
        (("ola2", "Ola", "root", RIGHT), "unknown role"),
        (("ola2", "Ola", "caseworker", "kort"), "at least 12"),
        (("ola2", "Ola", "caseworker", " " * 20), "only spaces"),
    ):
        with pytest.raises(AccountError, match=match):
            accounts.add(*bad)
    assert [c.username for c in directory.list_caseworkers()] == ["ola.hansen"]
    assert [(e.actor, e.action) for e in audit.entries()] == [("cli:root", "account.added")]


def test_role_change_and_password_reset_lift_a_lock(sign_in, directory, audit, clock) -> None:
    accounts = Accounts(directory, audit, clock, actor="cli:root")
    assert accounts.set_role("nina", "leader").role == "leader"
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefused):
            sign_in("nina", "gjett")
    accounts.set_password("nina", "et nytt langt passord")
    assert sign_in("nina", "et nytt langt passord").role == "leader"
    assert "account.role_changed" in actions(audit) and "account.password_set" in actions(audit)
    assert [r.username for r in accounts.rows()] == ["nina"]


def test_changing_ones_own_password_needs_the_old_one(sign_in, directory, audit, clock) -> None:
    accounts = Accounts(directory, audit, clock, actor="cli:nina")
    with pytest.raises(LoginRefused):
        accounts.change_own_password("nina", "feil", "et nytt langt passord")
    with pytest.raises(AccountError, match="at least"):
        accounts.change_own_password("nina", RIGHT, "kort")
    with pytest.raises(AccountError, match="differ"):
        accounts.change_own_password("nina", RIGHT, RIGHT)
    accounts.change_own_password("nina", RIGHT, "et nytt langt passord")
    with pytest.raises(LoginRefused):
        sign_in("nina", RIGHT)
    assert sign_in("nina", "et nytt langt passord").username == "nina"
    assert "account.password_changed" in actions(audit)


def test_unknown_accounts_give_a_clear_error(directory, audit, clock) -> None:
    accounts = Accounts(directory, audit, clock, actor="cli:root")
    for action in (accounts.disable, accounts.enable):
        with pytest.raises(AccountError, match="no account 'ingen'"):
            action("ingen")
    assert audit.entries() == []
