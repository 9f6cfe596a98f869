"""``companion users …`` and ``companion audit …``: account administration and the audit log.

Run on the server by its operator. Passwords are never taken from the command line (it shows in
``ps`` and shell history): they are read without echo from the terminal, or one per line from
standard input when it is not a terminal (scripts, tests).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, TextIO

from companion.users import ROLES

USERS_HELP = "staff accounts: add, list, disable, enable, passwd, role"
AUDIT_HELP = "the audit log: verify the hash chain, show the last entries"


def add_parsers(commands: Any) -> None:
    """Register ``companion users`` and ``companion audit`` on the CLI's sub-parsers."""
    users = commands.add_parser("users", help=USERS_HELP)
    actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add an account (asks for the password)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the name shown in the TUI")
    add.add_argument("--role", choices=ROLES, default="caseworker")
    actions.add_parser("list", help="every account: role, disabled, locked (no hashes)")
    for name, text in (
        ("disable", "stop an account from signing in"),
        ("enable", "let a disabled or locked account sign in again"),
    ):
        actions.add_parser(name, help=text).add_argument("username")
    passwd = actions.add_parser("passwd", help="set a new password (asks for it)")
    passwd.add_argument("username")
    passwd.add_argument(
        "--own", action="store_true", help="change your own password: asks for the old one first"
    )
    role = actions.add_parser("role", help="change an account's role")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    users.set_defaults(func=cmd_users)

    audit = commands.add_parser("audit", help=AUDIT_HELP)
    audit_actions = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    audit_actions.add_parser("verify", help="check that no entry was edited or removed")
    show = audit_actions.add_parser("show", help="the last entries: ids and actions, no content")
    show.add_argument("--last", type=int, default=20, metavar="N")
    audit.set_defaults(func=cmd_audit)


def read_password(prompt: str, *, confirm: bool, stdin: TextIO | None = None) -> str:
    """A password from the terminal without echo (asked twice when ``confirm``), else a line."""
    stream = stdin or sys.stdin
    if stream.isatty():
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("again: ") != first:
            from companion.cli import CliError

            raise CliError("the two passwords differ; nothing was changed")
        return first
    line = stream.readline()
    if not line:
        from companion.cli import CliError

        raise CliError("no password on standard input; nothing was changed", 2)
    return line.rstrip("\r\n")


def operator() -> str:
    """Who ran the command, for the audit log (the server account, not a staff account)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:?"


def _stores(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    from companion.cli import _settings
    from companion.services import open_db
    from companion.store.audit import SqliteAuditLog
    from companion.store.directory import SqliteDirectoryStore
    from companion.system import RandomIds, SystemClock

    db = open_db(_settings(args), create=False)
    clock = SystemClock()
    return (
        SqliteDirectoryStore(db, clock=clock, ids=RandomIds()),
        SqliteAuditLog(db, clock=clock),
        clock,
    )


def cmd_users(args: argparse.Namespace) -> int:
    from companion.cli import CliError
    from companion.users import AccountError, Accounts, LoginRefused

    directory, audit, clock = _stores(args)
    accounts = Accounts(directory, audit, clock, actor=operator())
    try:
        if args.action == "list":
            for row in accounts.rows():
                state = "disabled" if row.disabled else "active"
                if row.locked_until is not None and row.locked_until > clock.now():
                    state += f", locked until {row.locked_until:%Y-%m-%d %H:%M} UTC"
                print(f"{row.username:<24} {row.role:<10} {state:<10} {row.display_name}")
            return 0
        if args.action == "add":
            password = read_password("password: ", confirm=True)
            added = accounts.add(args.username, args.name, args.role, password)
            print(f"added {added.username} ({added.role})")
        elif args.action == "disable":
            print(f"disabled {accounts.disable(args.username).username}")
        elif args.action == "enable":
            print(f"enabled {accounts.enable(args.username).username}")
        elif args.action == "role":
            changed = accounts.set_role(args.username, args.role)
            print(f"{changed.username} is now {changed.role}")
        elif args.own:
            old = read_password("old password: ", confirm=False)
            new = read_password("new password: ", confirm=True)
            accounts.change_own_password(args.username, old, new)
            print(f"password changed for {args.username}")
        else:
            accounts.set_password(args.username, read_password("new password: ", confirm=True))
            print(f"password set for {args.username}")
    except AccountError as error:
        raise CliError(str(error)) from None
    except LoginRefused:
        raise CliError("wrong username or password; nothing was changed") from None
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from companion.cli import CliError

    _, audit, _ = _stores(args)
    if args.action == "verify":
        problems = audit.verify()
        if problems:
            for problem in problems:
                print(f"BROKEN: {problem}", file=sys.stderr)
            raise CliError(f"audit log tampered with: first problem at {problems[0]}")
        entries = audit.entries()
        head = entries[-1].hash[:16] if entries else "-"
        # The head hash, noted somewhere else (a ticket, a log server), anchors the chain: a
        # rewrite of the whole chain by someone holding the key changes it.
        print(f"ok: {len(entries)} entries, chain intact (head {head})")
        return 0
    if args.last < 1:
        raise CliError("--last needs a positive number", 2)
    for entry in audit.entries()[-args.last :]:
        print(
            f"{entry.id:>7}  {entry.at:%Y-%m-%d %H:%M:%S}  {entry.actor:<20} "
            f"{entry.action:<24} {entry.subject}"
        )
    return 0
