"""Button data that cannot be forged or replayed against another question.

``callback_data`` is ``<kind>.<seq>.<arg>.<mac>`` (at most 64 bytes, as Telegram requires):

- ``kind`` what the button does: ``c`` pick option ``arg`` (its index), ``t`` toggle a multiple
  choice to the selection ``arg`` (a hex bit mask), ``d`` finish a multiple choice with ``arg``,
  ``a``/``m`` treat held text ``arg`` as the answer / as a message, ``l`` set language ``arg``,
  ``v`` voice ``arg`` (1 or 0);
- ``seq`` the session's ``seq`` (accepted inputs so far) in hex;
- ``mac`` an HMAC-SHA256 (12 bytes, base64url) over all of that plus what the button is bound
  to: the session id and the node the session waits at, or the participant for settings.

After any accepted answer ``seq`` changes, so every older button stops verifying: stale and
forged buttons are the same case and get the same kind reply.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

MAX_BYTES = 64
MAC_BYTES = 12
SESSION_KINDS = frozenset("ctdam")
PARTICIPANT_KINDS = frozenset("lv")


@dataclass(frozen=True)
class Callback:
    """A parsed (not yet verified) button press."""

    kind: str
    seq: int
    arg: str
    mac: str

    @property
    def index(self) -> int:
        return int(self.arg)

    @property
    def mask(self) -> int:
        return int(self.arg, 16)


def parse(data: str) -> Callback | None:
    """The parts of ``data``, or None if it is not ours (ours is always ASCII; anything else
    is forged and would break the MAC check: ``compare_digest`` refuses non-ASCII text)."""
    if not data.isascii():
        return None
    parts = data.split(".")
    if len(parts) != 4 or parts[0] not in SESSION_KINDS | PARTICIPANT_KINDS:
        return None
    kind, seq, arg, mac = parts
    try:
        number = int(seq, 16)
        if kind == "c":
            int(arg)
        elif kind in ("t", "d"):
            int(arg, 16)
    except ValueError:
        return None
    return Callback(kind=kind, seq=number, arg=arg, mac=mac)


class Signer:
    """Makes and checks button data with one secret (from the settings, never the token)."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the button secret must be at least 16 bytes")
        self._secret = secret

    def _mac(self, kind: str, seq: int, arg: str, binding: str) -> str:
        message = f"{kind}|{seq:x}|{arg}|{binding}".encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()[:MAC_BYTES]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def sign(self, kind: str, seq: int, arg: str, binding: str) -> str:
        """Button data for ``kind``/``arg``, bound to ``binding`` (see ``session_binding``)."""
        if "." in arg or not arg:
            raise ValueError(f"button argument {arg!r} must be non-empty without dots")
        data = f"{kind}.{seq:x}.{arg}.{self._mac(kind, seq, arg, binding)}"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {len(data.encode())}")
        return data

    def verify(self, callback: Callback, seq: int, binding: str) -> bool:
        """Whether the press is for this very wait (``seq`` and ``binding`` as they are now)."""
        if callback.seq != seq:
            return False
        expected = self._mac(callback.kind, callback.seq, callback.arg, binding)
        return hmac.compare_digest(expected, callback.mac)


def session_binding(session_id: str, node_id: str | None) -> str:
    return f"s:{session_id}:{node_id or ''}"


def participant_binding(participant_id: str) -> str:
    return f"p:{participant_id}"
