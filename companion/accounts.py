"""Caseworker passwords: salted scrypt hashes, and signing in against the directory.

scrypt is in the standard library (OpenSSL), so signing in needs no extra dependency; the hash
text names its parameters, so they can be raised later without breaking stored hashes. Accounts
whose hash does not start with ``scrypt$`` (the demo's ``!demo-no-login``) cannot sign in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from companion.ports import Caseworker, DirectoryStore

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
"""scrypt cost (about 16 MiB and 50 ms per check): slow for guessing, quick for signing in."""
SALT_BYTES = 16
KEY_BYTES = 32
_MAXMEM = 64 * 1024 * 1024


class LoginRefused(Exception):
    """Wrong username or password, or a disabled account (one message for all: no hints)."""


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


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$key`` for ``password``."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=N, r=R, p=P, maxmem=_MAXMEM, dklen=KEY_BYTES
    )
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; malformed or foreign hashes never match."""
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


def authenticate(directory: DirectoryStore, username: str, password: str) -> Viewer:
    """The viewer for these credentials; raise ``LoginRefused`` otherwise."""
    caseworker = directory.get_caseworker_by_username(username.strip())
    if caseworker is None:
        verify_password(password, hash_password("timing"))  # same work either way
        raise LoginRefused(username)
    if caseworker.disabled or not verify_password(password, caseworker.password_hash):
        raise LoginRefused(username)
    return Viewer.of(caseworker)
