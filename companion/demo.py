"""``companion demo``: an encrypted demo database with clearly fictitious people, then a flow.

Typed at a terminal, you chat through the flow as the fictitious youth «Sara (demo)»; run again
and it continues where you stopped. Without a terminal (CI, pipes) it plays a scripted run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from companion.config import Settings
from companion.content import SHIPPED_DIR
from companion.content.yaml_files import read_yaml
from companion.flows.inputs import Command, CommandInput
from companion.flows_run import print_results
from companion.services import Services, build_services
from companion.store.keys import generate_key_file, read_key_file
from companion.terminal import chat, show
from companion.transcripts import Wait, describe_input, parse_script

DEMO_DIR = Path("var/demo")
DEMO_SCRIPTS = SHIPPED_DIR / "demo"
FICTITIOUS = "Fiktive demodata: ingen ekte personer."


def demo_settings(directory: Path = DEMO_DIR) -> Settings:
    directory.mkdir(parents=True, exist_ok=True)
    key_file = directory / "demo.key"
    key = read_key_file(key_file) if key_file.exists() else generate_key_file(key_file)
    return Settings.model_validate(
        {
            "db_path": directory / "companion.db",
            "db_key": key,
            "db_key_file": key_file,
            "demo": True,
        }
    )


def seed(services: Services) -> dict[str, str]:
    """Create the fictitious caseworker, cases and participants once; return participant ids."""
    directory = services.directory
    worker = directory.get_caseworker_by_username("ali.demo")
    if worker is None:
        worker = directory.add_caseworker("ali.demo", "Ali (demo)", "caseworker", "!demo-no-login")
        directory.add_caseworker("kari.demo", "Kari (demo, leder)", "leader", "!demo-no-login")
        youth_case = directory.add_case(worker.id, "Sara (demo) – ettervern")
        family_case = directory.add_case(worker.id, "Familien Demo – familieveiledning")
        directory.add_participant(youth_case.id, "youth", "Sara (demo)", "nb")
        directory.add_participant(family_case.id, "parent", "Nadia (demo)", "nb", voice=True)
        directory.add_participant(family_case.id, "child", "Omar (demo)", "nb")
        services.audit.append("system", "demo.seeded", "demo", {"note": FICTITIOUS})
    people: dict[str, str] = {}
    for case in directory.cases_for_caseworker(worker.id):
        for participant in directory.participants_in_case(case.id):
            people[participant.display_name.split(" ")[0].lower()] = participant.id
    return people


def run_demo(scripted: bool = False, flow: str = "hevd", lang: str = "nb") -> int:
    services = build_services(demo_settings(), migrate_now=True)
    people = seed(services)
    sara = people["sara"]
    print(f"companion demo · {FICTITIOUS}")
    print(f"database: {services.settings.db_path} (kryptert med SQLCipher)")
    interactive = not scripted and sys.stdin.isatty()
    existing = services.flows.open_session(sara, flow)
    if existing is not None and interactive:
        first = services.flows.resume(existing.id, CommandInput(command=Command.CONTINUE))
    else:
        first = services.flows.start(flow, participant_id=sara, locale=lang)
    session_id = first.session.id
    if interactive:
        print("Du er «Sara (demo)». Skriv svarene dine; «hjelp», «tilbake», «pause», «stopp».\n")
        final = chat(first, lambda value: services.flows.resume(session_id, value))
    else:
        script_path = DEMO_SCRIPTS / f"{flow}_{lang}.yaml"
        script = parse_script(read_yaml(script_path), flow=flow)
        show(first, sys.stdout)
        final = first
        for step in script.steps:
            if isinstance(step, Wait) or not final.session.is_resumable:
                continue
            print(describe_input(step))
            final = services.flows.resume(session_id, step)
            show(final, sys.stdout)
    print_results(final.session, as_json=False)
    stored = services.conversations.answers_for(session_id)
    print(
        f"== stored: {len(stored)} answers in the encrypted database for session {session_id[:8]}"
    )
    return 0
