"""The ``companion`` command: flows, catalogs, the database and the demo.

Errors a person can fix print one line (``companion: …``) and exit non-zero, never a traceback:
exit 2 for invalid content or usage, 1 for everything else.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from companion.chat_commands import ChatCommandError
from companion.config import ConfigError, Settings, load_settings
from companion.content import SHIPPED_DIR, content_dirs, load_content
from companion.content.yaml_files import ContentFileError, read_yaml
from companion.flows import FlowLoadError
from companion.flows.definition import Flow
from companion.flows.engine import UnknownFlow
from companion.store.database import DatabaseOpenError
from companion.transcripts import ScriptError

SCHEMA_PATH = SHIPPED_DIR / "flow.schema.json"


class CliError(Exception):
    """A one-line error for the person at the terminal."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="a content pack directory (repeatable; also COMPANION_CONTENT_DIRS)",
    )


def _settings(args: argparse.Namespace, **overrides: Any) -> Settings:
    settings = load_settings(**overrides)
    packs = tuple(getattr(args, "content", []) or [])
    if packs:
        settings = settings.model_copy(update={"content_dirs": settings.content_dirs + packs})
    return settings


# --- flows -----------------------------------------------------------------------------------


def cmd_flows_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    content = load_content(settings.content_dirs)
    print(f"ok: {len(content.flows)} flows valid ({', '.join(sorted(content.flows))})")
    if content.safety is not None:
        terms = sum(len(t) for t in content.safety.terms.values())
        print(f"ok: safety lexicon with {terms} terms → flow '{content.safety.flow_id}'")
    return 0


def cmd_flows_list(args: argparse.Namespace) -> int:
    content = load_content(_settings(args).content_dirs)
    for flow_id in sorted(content.flows):
        flow = content.flows[flow_id]
        print(f"{flow_id:<24} {flow.status:<8} {', '.join(flow.audience):<16} {flow.title}")
    return 0


def cmd_flows_graph(args: argparse.Namespace) -> int:
    from companion.flows.graph import to_mermaid

    content = load_content(_settings(args).content_dirs)
    flow = content.flows.get(args.flow)
    if flow is None:
        raise UnknownFlow(
            f"unknown flow '{args.flow}' (known flows: {', '.join(sorted(content.flows))})"
        )
    sys.stdout.write(to_mermaid(flow))
    return 0


def flow_schema() -> str:
    schema = Flow.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "companion flow (spec_version 1)"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def cmd_flows_schema(args: argparse.Namespace) -> int:
    text = flow_schema()
    if args.check:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if current != text:
            raise CliError(f"{SCHEMA_PATH} is out of date: run `companion flows schema --write`")
        print(f"ok: {SCHEMA_PATH} is up to date")
    elif args.write:
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
    else:
        sys.stdout.write(text)
    return 0


def _parse_params(raw: Sequence[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in raw:
        name, sep, value = item.partition("=")
        if not sep:
            raise CliError(f"--param expects NAME=VALUE, got '{item}'", 2)
        params[name] = {"true": True, "false": False}.get(value.lower(), value)
    return params


def cmd_flows_run(args: argparse.Namespace) -> int:
    from companion.flows_run import run_flow

    return run_flow(args, _settings(args), _parse_params(args.param))


# --- i18n ------------------------------------------------------------------------------------


def cmd_i18n(args: argparse.Namespace) -> int:
    from companion.i18n import catalogs

    locales = SHIPPED_DIR / "locales"
    packs = list(_settings(args).content_dirs)
    quiet = bool(args.quiet)
    actions: dict[str, Callable[[], int]] = {
        "extract": lambda: catalogs.run_extract(locales, packs, quiet),
        "update": lambda: catalogs.run_update(locales, quiet),
        "compile": lambda: catalogs.run_compile(locales, quiet),
        "check": lambda: catalogs.run_check(locales, packs, quiet),
    }
    return actions[args.action]()


# --- db --------------------------------------------------------------------------------------


def cmd_db(args: argparse.Namespace) -> int:
    from companion.db_commands import run_db

    return run_db(args, _settings(args))


def cmd_demo(args: argparse.Namespace) -> int:
    from companion.demo import run_demo

    if not args.scripted and not args.chat and sys.stdin.isatty():
        from companion.demo import menu

        return menu()
    return run_demo(scripted=args.scripted, flow=args.flow, lang=args.lang)


def cmd_phone(args: argparse.Namespace) -> int:
    from bots.telegram.phone.demo import run_phone  # lazily: PTB and Textual only when asked

    return run_phone(who=args.who)


def cmd_tui(args: argparse.Namespace) -> int:
    from tui.cli import run_tui  # lazily: the core never imports the TUI

    return run_tui(args, _settings(args))


# --- parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="companion",
        description="A conversation companion for child welfare services (Grunnmodell).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    flows = commands.add_parser(
        "flows", aliases=["flow"], help="check, list, run, send and draw flows"
    )
    flow_cmds = flows.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = flow_cmds.add_parser("check", help="validate every flow (exit 2 with named errors)")
    _content_option(check)
    check.set_defaults(func=cmd_flows_check)
    listing = flow_cmds.add_parser("list", help="list the flows")
    _content_option(listing)
    listing.set_defaults(func=cmd_flows_list)
    run = flow_cmds.add_parser("run", help="chat through a flow in the terminal")
    run.add_argument("flow")
    run.add_argument("--lang", default="nb", help="nb, nn or en (default nb)")
    run.add_argument("--answers", type=Path, help="a script of inputs: print the transcript")
    run.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    run.add_argument("--db", action="store_true", help="persist in the configured database")
    run.add_argument("--participant", help="participant id (with --db: resume their session)")
    run.add_argument("--json", action="store_true", help="print the result as JSON at the end")
    run.add_argument(
        "--picture", type=Path, metavar="FILE", help="draw the network map to FILE (.png or .svg)"
    )
    _content_option(run)
    run.set_defaults(func=cmd_flows_run)
    graph = flow_cmds.add_parser("graph", help="print a Mermaid flowchart of a flow")
    graph.add_argument("flow")
    _content_option(graph)
    graph.set_defaults(func=cmd_flows_graph)
    schema = flow_cmds.add_parser("schema", help="print the flow JSON Schema (editor support)")
    schema.add_argument("--write", action="store_true", help=f"write {SCHEMA_PATH.name}")
    schema.add_argument("--check", action="store_true", help="fail if the file is stale")
    schema.set_defaults(func=cmd_flows_schema)

    i18n = commands.add_parser("i18n", help="translation catalogs (Babel)")
    i18n.add_argument("action", choices=["extract", "update", "compile", "check"])
    i18n.add_argument("--quiet", action="store_true")
    _content_option(i18n)
    i18n.set_defaults(func=cmd_i18n)

    from companion.chat_commands import add_parsers as add_chat_parsers

    add_chat_parsers(commands, flow_cmds)

    from companion.reminders.cli import add_parsers as add_reminder_parsers

    add_reminder_parsers(commands)

    from companion.admin_cli import add_parsers as add_admin_parsers

    add_admin_parsers(commands)

    from companion.retention import add_parsers as add_retention_parsers

    add_retention_parsers(commands)

    from companion.voice.cli import add_parsers as add_voice_parsers

    add_voice_parsers(commands)

    db = commands.add_parser("db", help="the database")
    db.add_argument("action", choices=["init", "migrate", "status", "keygen", "rekey", "backup"])
    db.add_argument(
        "path", nargs="?", type=Path, help="keygen: the new key file; backup: the backup file"
    )
    db.add_argument(
        "--key-file", type=Path, help="backup: encrypt the copy with this key file instead"
    )
    db.set_defaults(func=cmd_db)

    tui = commands.add_parser("tui", help="the caseworker TUI (Textual)")
    tui.add_argument("--demo", action="store_true", help="a fictitious demo database, signed in")
    tui.add_argument("--lang", default=None, help="UI language: nb (default), nn or en")
    _content_option(tui)
    tui.set_defaults(func=cmd_tui)

    phone = commands.add_parser(
        "phone", help="the demo bot on a simulated phone (no Telegram account needed)"
    )
    phone.add_argument("--as", dest="who", choices=["sara", "nadia"], default="sara")
    phone.set_defaults(func=cmd_phone)

    demo = commands.add_parser("demo", help="the demo with fictitious data")
    demo.add_argument("--scripted", action="store_true", help="no typing: play a scripted run")
    demo.add_argument("--chat", action="store_true", help="chat through a flow in the terminal")
    demo.add_argument("--flow", default="hevd")
    demo.add_argument("--lang", default="nb")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except FlowLoadError as error:
        for issue in error.issues:
            print(str(issue), file=sys.stderr)
        print(f"companion: {len(error.issues)} problem(s) in the content", file=sys.stderr)
        return 2
    except (CliError, UnknownFlow, ScriptError, ContentFileError) as error:
        print(f"companion: {error}", file=sys.stderr)
        return getattr(error, "code", 2)
    except (DatabaseOpenError, ConfigError, ChatCommandError) as error:
        print(f"companion: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ncompanion: stopped", file=sys.stderr)
        return 130


def read_script_file(path: Path) -> Any:
    try:
        return read_yaml(path)
    except ContentFileError as error:
        raise CliError(f"{path}: {error}", 2) from None


__all__ = ["build_parser", "content_dirs", "main"]
