"""``companion invite create``, ``companion flows send`` and ``companion bot run``.

Invites print the deep link and a QR code in the terminal (and a PNG with ``--png``); the code
is shown once and only its hash is stored. ``flows send`` starts a flow for a participant and
leaves its first messages in the outbox for the running bot to deliver.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from companion.config import Settings
from companion.inbox import OfficeHoursError
from companion.invites import InviteError, deep_link, qr_png, qr_text
from companion.participants import SendError, send_flow
from companion.services import build_services


class ChatCommandError(Exception):
    """A one-line error for the person at the terminal (exit 1)."""


def add_parsers(commands: Any, flow_cmds: Any) -> None:
    """Register the commands on the CLI's sub-parsers."""
    invite = commands.add_parser("invite", help="invite a participant to the chat bot")
    invite_cmds = invite.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = invite_cmds.add_parser("create", help="a single-use invite: deep link and QR code")
    create.add_argument("participant", help="the participant's id")
    create.add_argument("--png", type=Path, metavar="FILE", help="also write the QR code as PNG")
    create.add_argument("--no-qr", action="store_true", help="print the link only")
    create.set_defaults(func=cmd_invite_create)

    send = flow_cmds.add_parser("send", help="send a flow to a participant's chat")
    send.add_argument("participant", help="the participant's id")
    send.add_argument("flow", help="the flow id, e.g. hevd")
    send.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    send.set_defaults(func=cmd_flows_send)

    bot = commands.add_parser("bot", help="the Telegram bot")
    bot_cmds = bot.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = bot_cmds.add_parser("run", help="run the bot (polling, or webhook: COMPANION_BOT_MODE)")
    run.set_defaults(func=cmd_bot_run)


def cmd_invite_create(args: argparse.Namespace) -> int:
    settings = _settings()
    if not settings.telegram_bot_username:
        raise ChatCommandError("set COMPANION_TELEGRAM_BOT_USERNAME (the bot's @name) first")
    services = build_services(settings)
    try:
        made = services.invites.create(args.participant)
    except InviteError as error:
        raise ChatCommandError(str(error)) from None
    link = deep_link(settings.telegram_bot_username, made.code)
    expires = made.invite.expires_at.astimezone().strftime("%Y-%m-%d %H:%M")
    print(f"Invite for participant {args.participant} (single use, valid until {expires}):")
    print(link)
    if not args.no_qr:
        sys.stdout.write(qr_text(link))
    if args.png:
        args.png.write_bytes(qr_png(link))
        print(f"QR code written to {args.png}")
    return 0


def cmd_flows_send(args: argparse.Namespace) -> int:
    from companion.cli import _parse_params

    services = build_services(_settings())
    try:
        sprint = send_flow(
            args.participant,
            args.flow,
            engine=services.engine,
            directory=services.directory,
            conversations=services.conversations,
            audit=services.audit,
            actor="cli",
            params=_parse_params(args.param),
        )
    except SendError as error:
        raise ChatCommandError(str(error)) from None
    print(
        f"sent '{args.flow}' to participant {args.participant} (session {sprint.session.id}); "
        "the running bot delivers it"
    )
    return 0


def cmd_bot_run(args: argparse.Namespace) -> int:
    settings = _settings()
    if settings.telegram_token is None:
        raise ChatCommandError("no bot token: set COMPANION_TELEGRAM_TOKEN")
    # The bot is a front end: imported only here, so the core never loads telegram.
    from bots.telegram.app import BotConfigError, run_bot

    try:
        return run_bot(settings)
    except (BotConfigError, OfficeHoursError) as error:
        raise ChatCommandError(str(error)) from None


def _settings() -> Settings:
    from companion.config import load_settings

    return load_settings()
