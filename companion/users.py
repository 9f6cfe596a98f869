"""Staff accounts: add, list, disable, enable, set a role or password — and change one's own.

Administration runs on the server (``companion users …``), where the operator already holds the
database key; the actor written to the audit log is the operating-system user. Changing one's own
password needs the old one. No method returns or logs a password or a hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from companion.accounts import (
    LoginRefused,
    PasswordRejected,
    SignIn,
    check_new_password,
    hash_password,
)
from companion.flows.ports import Clock
from companion.ports import AuditLog, Caseworker, DirectoryStore, StaffRole

ROLES: tuple[StaffRole, ...] = ("caseworker", "leader", "admin")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
"""Lower-case letters, digits, dot, dash, underscore; 2–64 long (no spaces or look-alikes)."""


class AccountError(ValueError):
    """A one-line reason the change was refused; nothing was written."""


@dataclass(frozen=True)
class AccountRow:
    """What ``list`` shows: no hashes."""

    username: str
    display_name: str
    role: StaffRole
    disabled: bool
    locked_until: datetime | None
    created_at: datetime


class Accounts:
    """Account administration and password changes, each audited under ``actor``."""

    def __init__(
        self, directory: DirectoryStore, audit: AuditLog, clock: Clock, *, actor: str
    ) -> None:
        self.directory = directory
        self.audit = audit
        self.clock = clock
        self.actor = actor

    def add(self, username: str, display_name: str, role: str, password: str) -> Caseworker:
        username = username.strip().lower()
        if not USERNAME.fullmatch(username):
            raise AccountError(
                f"invalid username {username!r}: use 2–64 of a–z, 0–9, '.', '-', '_'"
            )
        if not display_name.strip():
            raise AccountError("the display name cannot be empty")
        staff_role = self._role(role)
        self._password(password)
        if self.directory.get_caseworker_by_username(username) is not None:
            raise AccountError(f"the username {username!r} is taken")
        added = self.directory.add_caseworker(
            username, display_name.strip(), staff_role, hash_password(password)
        )
        self.audit.append(self.actor, "account.added", added.id, {"role": staff_role})
        return added

    def rows(self) -> list[AccountRow]:
        return [
            AccountRow(c.username, c.display_name, c.role, c.disabled, c.locked_until, c.created_at)
            for c in self.directory.list_caseworkers()
        ]

    def disable(self, username: str) -> Caseworker:
        found = self._find(username)
        changed = self.directory.update_caseworker(found.id, disabled=True)
        self.audit.append(self.actor, "account.disabled", found.id, {})
        return changed

    def enable(self, username: str) -> Caseworker:
        """Enable the account and lift a lockout."""
        found = self._find(username)
        changed = self.directory.update_caseworker(found.id, disabled=False)
        self.directory.set_login_state(found.id, 0, None)
        self.audit.append(self.actor, "account.enabled", found.id, {})
        return changed

    def set_role(self, username: str, role: str) -> Caseworker:
        found = self._find(username)
        staff_role = self._role(role)
        changed = self.directory.update_caseworker(found.id, role=staff_role)
        self.audit.append(
            self.actor, "account.role_changed", found.id, {"from": found.role, "to": staff_role}
        )
        return changed

    def set_password(self, username: str, password: str) -> None:
        """An administrator sets a new password (e.g. a forgotten one); lifts a lockout."""
        found = self._find(username)
        self._password(password)
        self.directory.update_caseworker(found.id, password_hash=hash_password(password))
        self.directory.set_login_state(found.id, 0, None)
        self.audit.append(self.actor, "account.password_set", found.id, {})

    def change_own_password(self, username: str, old: str, new: str) -> None:
        """The account holder changes their password; the old one must be right.

        A wrong old password counts as a failed sign-in (and can lock the account), so this
        cannot be used to guess passwords faster than the login screen.
        """
        viewer = SignIn(self.directory, self.audit, self.clock)(username, old, via="passwd")
        self._password(new)
        if new == old:
            raise AccountError("the new password must differ from the old one")
        self.directory.update_caseworker(viewer.id, password_hash=hash_password(new))
        self.audit.append(viewer.username, "account.password_changed", viewer.id, {})

    def _find(self, username: str) -> Caseworker:
        found = self.directory.get_caseworker_by_username(username.strip().lower())
        if found is None:
            raise AccountError(f"no account {username.strip()!r}")
        return found

    @staticmethod
    def _role(role: str) -> StaffRole:
        for known in ROLES:
            if role == known:
                return known
        raise AccountError(f"unknown role {role!r}: use {', '.join(ROLES)}")

    @staticmethod
    def _password(password: str) -> None:
        try:
            check_new_password(password)
        except PasswordRejected as error:
            raise AccountError(str(error)) from None


__all__ = ["AccountError", "AccountRow", "Accounts", "LoginRefused"]
