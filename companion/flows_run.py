"""``companion flows run``: chat through a flow in the terminal, scripted or typed, optionally
persisted so that a killed process continues at the last committed answer."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from companion.config import Settings
from companion.content import load_content
from companion.flows import Engine, Session, Sprint
from companion.flows.fakes import FixedClock
from companion.flows.inputs import Command, CommandInput, Input
from companion.flows.ports import Localizer
from companion.services import build_services, make_localizer
from companion.system import RandomIds, SystemClock
from companion.terminal import chat, play
from companion.transcripts import parse_script, run_script
from companion.yaml_dump import dump


def save_picture(session: Session, path: Path, localizer: Localizer) -> None:
    """Draw the session's network map to ``path`` (.png or .svg)."""
    from companion.network_map import map_labels, render_png, render_svg

    people = session.results.get("network", {}).get("people")
    if people is None:
        print(f"(no network map in this flow; {path} not written)")
        return
    family = session.flow_id == "nettverkskart_familie"
    labels = map_labels(localizer, session.locale, "family" if family else "youth")
    if path.suffix.lower() == ".svg":
        path.write_text(render_svg(people, labels), encoding="utf-8")
    else:
        path.write_bytes(render_png(people, labels))
    print(f"== picture: {path}")


def print_results(session: Session, as_json: bool) -> None:
    if as_json:
        print(json.dumps(session.results, ensure_ascii=False, indent=2))
        return
    print(f"== status: {session.status}")
    print("== results")
    print(dump(session.results).rstrip())


def run_flow(args: argparse.Namespace, settings: Settings, params: dict[str, Any]) -> int:
    if args.db:
        return _run_persisted(args, settings, params)
    content = load_content(settings.content_dirs)
    if args.answers:
        from companion.cli import read_script_file

        script = parse_script(read_script_file(args.answers), flow=args.flow)
        script = script.__class__(
            **{
                **script.__dict__,
                "locale": args.lang or script.locale,
                "params": {**script.params, **params},
            }
        )
        clock = FixedClock(SystemClock().now())
        engine = Engine(
            content.flows,
            clock=clock,
            ids=RandomIds(),
            localizer=make_localizer(content),
            safety=content.safety,
        )
        transcript = run_script(engine, script, clock)
        sys.stdout.write(transcript.text())
        if args.picture:
            save_picture(transcript.session, args.picture, engine.localizer)
        return 0
    engine = Engine(
        content.flows,
        clock=SystemClock(),
        ids=RandomIds(),
        localizer=make_localizer(content),
        safety=content.safety,
    )
    first = engine.start(args.flow, locale=args.lang, params=params)
    state = {"session": first.session}

    def resume(value: Input) -> Sprint:
        sprint = engine.resume(state["session"], value)
        state["session"] = sprint.session
        return sprint

    final = chat(first, resume)
    print_results(final.session, args.json)
    if args.picture:
        save_picture(final.session, args.picture, engine.localizer)
    return 0


def _run_persisted(args: argparse.Namespace, settings: Settings, params: dict[str, Any]) -> int:
    services = build_services(settings)
    participant = args.participant or "terminal"
    existing = services.flows.open_session(participant, args.flow)
    if existing is not None:
        print(f"(fortsetter samtale {existing.id[:8]} der du slapp)", flush=True)
        first = services.flows.resume(existing.id, CommandInput(command=Command.CONTINUE))
    else:
        first = services.flows.start(
            args.flow, participant_id=participant, locale=args.lang, params=params
        )
    session_id = first.session.id

    def resume(value: Input) -> Sprint:
        return services.flows.resume(session_id, value)

    if args.answers:
        from companion.cli import read_script_file

        script = parse_script(read_script_file(args.answers), flow=args.flow)
        final = play(first, script.steps, resume)
    else:
        final = chat(first, resume)
    print_results(final.session, args.json)
    if args.picture:
        save_picture(final.session, args.picture, services.engine.localizer)
    return 0
