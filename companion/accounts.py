"""Staff passwords and signing in: argon2id hashes, lockout after repeated failures, audit.

New hashes are argon2id (``argon2-cffi``, RFC 9106 defaults). Hashes made before that are salted
scrypt (``scrypt$n$r$p$salt$key``); they still verify and are replaced by argon2id at the next
successful sign-in. Accounts whose hash is neither (the demo's ``!demo-no-login``) cannot sign in.

Every refusal — unknown user, wrong password, disabled or locked account — raises the same
``LoginRefused`` so the screen shows one message and gives no hint which it was; the audit log
records which (without the password, and with only a short hash of an unknown username, in case
someone typed their password into the username field).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from companion.flows.ports import Clock
from companion.ports import AuditLog, Caseworker, DirectoryStore

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
"""scrypt cost of the old hashes (still verified; never written any more)."""
SALT_BYTES = 16
KEY_BYTES = 32
_MAXMEM = 64 * 1024 * 1024

MAX_FAILURES = 5
"""Failed sign-ins in a row before the account locks."""
LOCK_FOR = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
"""Long passphrases beat complexity rules (NSM's and NIST SP 800-63B's advice)."""
MAX_PASSWORD_LENGTH = 1024
"""Hashing megabytes of "password" on every attempt would be a cheap denial of service."""

_hasher = PasswordHasher()


class LoginRefused(Exception):
    """Wrong username or password, a disabled or locked account (one message for all: no hints)."""


class PasswordRejected(ValueError):
    """A new password that does not meet the rules; the message says what to do."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in member of staff, as the view-models see them."""

    id: str
    username: str
    display_name: str
    role: str

    @classmethod
    def of(cls, caseworker: Caseworker) -> Viewer:
        return cls(caseworker.id, caseworker.username, caseworker.display_name, caseworker.role)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; the text names its parameters)."""
    return _hasher.hash(password)


def scrypt_hash(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$key``: the old format, kept to test that such hashes still work."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=N, r=R, p=P, maxmem=_MAXMEM, dklen=KEY_BYTES
    )
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(key)}"


def _verify_scrypt(password: str, stored: str) -> bool:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, expected = base64.b64decode(parts[4]), base64.b64decode(parts[5])
        key = hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(key, expected)


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; malformed or foreign hashes never match."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    if stored.startswith("$argon2"):
        try:
            return _hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    return _verify_scrypt(password, stored)


def needs_rehash(stored: str) -> bool:
    """Whether a verified hash should be replaced (old scheme or weaker parameters)."""
    if not stored.startswith("$argon2"):
        return True
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def check_new_password(password: str) -> None:
    """Raise ``PasswordRejected`` unless ``password`` may be set."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordRejected(f"the password must be at most {MAX_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise PasswordRejected("the password cannot be only spaces")


def username_tag(username: str) -> str:
    """A short, one-way tag for an unknown username in the audit log (never the text itself)."""
    return hashlib.sha256(username.encode("utf-8")).hexdigest()[:12]


class SignIn:
    """Checks credentials against the directory, counts failures and locks, writes the audit."""

    def __init__(self, directory: DirectoryStore, audit: AuditLog, clock: Clock) -> None:
        self.directory = directory
        self.audit = audit
        self.clock = clock

    def __call__(self, username: str, password: str, *, via: str = "tui") -> Viewer:
        """The viewer for these credentials; raise ``LoginRefused`` otherwise."""
        name = username.strip()
        caseworker = self.directory.get_caseworker_by_username(name) if name else None
        if caseworker is None:
            verify_password(password, _dummy_hash())  # the same work either way: no timing hint
            self.audit.append(
                "?", "login.failed", "unknown", {"via": via, "tag": username_tag(name)}
            )
            raise LoginRefused()
        now = self.clock.now()
        if caseworker.locked_until is not None and now < caseworker.locked_until:
            verify_password(password, _dummy_hash())
            self._refuse(caseworker, "login.locked", via, "locked")
        stored = caseworker.password_hash
        if not stored.startswith(("$argon2", f"{SCHEME}$")):
            verify_password(password, _dummy_hash())  # an account that cannot sign in: same work
        if not verify_password(password, stored):
            failures = caseworker.failed_logins + 1
            if failures >= MAX_FAILURES:
                self.directory.set_login_state(caseworker.id, 0, now + LOCK_FOR)
                self._refuse(caseworker, "login.locked", via, "too_many_failures")
            self.directory.set_login_state(caseworker.id, failures, None)
            self._refuse(caseworker, "login.failed", via, "password")
        if caseworker.disabled:
            self._refuse(caseworker, "login.failed", via, "disabled")
        self.directory.set_login_state(caseworker.id, 0, None)
        if needs_rehash(stored):
            self.directory.update_caseworker(caseworker.id, password_hash=hash_password(password))
            self.audit.append(caseworker.username, "account.rehashed", caseworker.id, {})
        self.audit.append(caseworker.username, "login.ok", caseworker.id, {"via": via})
        return Viewer.of(caseworker)

    def _refuse(self, caseworker: Caseworker, action: str, via: str, reason: str) -> NoReturn:
        self.audit.append(caseworker.username, action, caseworker.id, {"via": via, "why": reason})
        raise LoginRefused()
