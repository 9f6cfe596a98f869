"""Invites: how a caseworker links one participant's chat account to their case.

A code is single-use, 192 random bits in 32 URL-safe characters (fits Telegram's ``start``
payload: at most 64 of ``A-Za-z0-9_-``) and valid for 7 days. Only its sha256 is stored, so
the database cannot hand out working codes. Redeeming is rate-limited per chat account by a
counter keyed with an HMAC of the account id: nothing else is kept about people who are not
linked. Every failure looks the same to the person.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from companion.flows.ports import Clock
from companion.ports import (
    AlreadyExists,
    AuditLog,
    DirectoryStore,
    Invite,
    OutboxStore,
    Participant,
)

INVITE_TTL = timedelta(days=7)
ATTEMPTS_PER_WINDOW = 5
ATTEMPT_WINDOW = timedelta(hours=1)
CODE_BYTES = 24
"""192 bits of entropy; ``token_urlsafe`` makes 32 characters of them."""
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class InviteError(Exception):
    """The invite cannot be made (unknown participant, no caseworker)."""


@dataclass(frozen=True)
class CreatedInvite:
    """A new invite and its code; the code is shown once and never stored."""

    invite: Invite
    code: str


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii", "replace")).hexdigest()


def deep_link(bot_username: str, code: str) -> str:
    """``https://t.me/<bot>?start=<code>``: opens the bot and sends ``/start <code>``."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={code}"


def qr_png(text: str, *, box_size: int = 10) -> bytes:
    """A QR code of ``text`` as PNG bytes (dark on white, quiet zone included)."""
    import qrcode
    from qrcode.image.pil import PilImage

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return buffer.getvalue()


def qr_text(text: str, *, invert: bool = True) -> str:
    """A QR code drawn with half blocks, two modules per character cell.

    ``invert`` (the default) draws the light modules, which is right on the usual terminal
    with light text on a dark background: the code then reads as dark on light.
    """
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(text)
    code.make(fit=True)
    matrix = [[bool(cell) != invert for cell in row] for row in code.get_matrix()]
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    glyphs = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    lines = [
        "".join(glyphs[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(matrix[::2], matrix[1::2], strict=True)
    ]
    return "\n".join(lines) + "\n"


class Invites:
    """Create and redeem invites."""

    def __init__(
        self,
        directory: DirectoryStore,
        audit: AuditLog,
        counters: OutboxStore,
        clock: Clock,
        secret: bytes,
    ) -> None:
        self.directory = directory
        self.audit = audit
        self.counters = counters
        self.clock = clock
        self.secret = secret

    def create(self, participant_id: str, created_by: str | None = None) -> CreatedInvite:
        """A new invite for the participant, made by ``created_by`` (default: the case's
        caseworker). Earlier unredeemed invites stay valid until they expire."""
        participant = self.directory.get_participant(participant_id)
        if participant is None:
            raise InviteError(f"no participant {participant_id}")
        if created_by is None:
            case = self.directory.get_case(participant.case_id)
            if case is None:
                raise InviteError(f"participant {participant_id} has no case")
            created_by = case.caseworker_id
        code = new_code()
        invite = self.directory.add_invite(
            participant_id, hash_code(code), created_by, self.clock.now() + INVITE_TTL
        )
        self.audit.append(
            f"caseworker:{created_by}",
            "invite.created",
            f"participant:{participant_id}",
            {"invite_id": invite.id, "expires_at": invite.expires_at.isoformat()},
        )
        return CreatedInvite(invite=invite, code=code)

    def attempt_key(self, channel: str, external_id: str, purpose: str = "invite") -> str:
        """A rate-limit counter's key: an HMAC, so the account id itself is not stored."""
        digest = hmac.new(self.secret, f"{purpose}:{channel}:{external_id}".encode(), "sha256")
        return f"{purpose}:" + digest.hexdigest()[:32]

    def may_reply(self, channel: str, external_id: str) -> bool:
        """Whether an unknown account still gets the neutral reply (a few an hour, so nobody
        can make the bot spend its sending limits on them)."""
        key = self.attempt_key(channel, external_id, "stranger")
        return self.counters.hit(key, ATTEMPT_WINDOW) <= ATTEMPTS_PER_WINDOW

    def redeem(self, code: str, channel: str, external_id: str) -> Participant | None:
        """Link the account to the invite's participant; None for every kind of failure.

        Counts the attempt first: more than ``ATTEMPTS_PER_WINDOW`` in an hour fail without
        looking at the code.
        """
        attempts = self.counters.hit(self.attempt_key(channel, external_id), ATTEMPT_WINDOW)
        if attempts > ATTEMPTS_PER_WINDOW or not CODE_PATTERN.fullmatch(code):
            return None
        if self.directory.participant_by_channel(channel, external_id) is not None:
            return None
        invite = self.directory.redeem_invite(hash_code(code), self.clock.now())
        if invite is None:
            return None
        try:
            self.directory.link_channel(invite.participant_id, channel, external_id)
        except AlreadyExists:
            return None
        self.audit.append(
            f"participant:{invite.participant_id}",
            "invite.redeemed",
            f"participant:{invite.participant_id}",
            {"invite_id": invite.id, "channel": channel},
        )
        return self.directory.get_participant(invite.participant_id)
