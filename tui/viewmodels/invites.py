"""Inviting a participant to the chat: a single-use deep link and its QR code, drawn in text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from companion.access import AccessDenied
from companion.accounts import Viewer
from companion.invites import deep_link, qr_text
from companion.services import Services
from companion.staff import StaffCases
from tui.viewmodels.case_file import CaseFile, Person

PLACEHOLDER_BOT = "din_bot"
"""Shown in the link when the deployment has not set its bot's username."""


@dataclass(frozen=True)
class InviteView:
    link: str
    qr: str
    expires_at: datetime
    bot_configured: bool


def create_invite(
    services: Services, viewer: Viewer, case_file: CaseFile, person: Person
) -> InviteView:
    """A new invite for ``person``; only the case's own kontaktperson may make one."""
    if case_file.person(person.participant.id) is None:
        raise AccessDenied(case_file.case.id)
    created = StaffCases(services, viewer).create_invite(person.participant.id)  # checks
    bot = services.settings.telegram_bot_username
    link = deep_link(bot or PLACEHOLDER_BOT, created.code)
    return InviteView(link, qr_text(link), created.invite.expires_at, bot is not None)
