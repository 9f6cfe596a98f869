"""``companion demo``: an encrypted demo database with clearly fictitious people, then a flow.

Typed at a terminal, you chat through the flow as the fictitious youth «Sara (demo)»; run again
and it continues where you stopped. Without a terminal (CI, pipes) it plays a scripted run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from companion.config import Settings
from companion.content import SHIPPED_DIR
from companion.content.yaml_files import read_yaml
from companion.flows.inputs import Command, CommandInput
from companion.flows_run import print_results
from companion.services import Services, build_services
from companion.store.keys import generate_key_file, read_key_file
from companion.terminal import chat, play
from companion.transcripts import parse_script

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


def demo_services() -> Services:
    """The demo's services on its encrypted database, seeded once with fictitious people."""
    from companion.demo_data import seed_demo

    services = build_services(demo_settings(), migrate_now=True)
    seed_demo(services)
    return services


def participant_named(services: Services, first_name: str) -> str:
    """The id of the demo participant whose display name starts with ``first_name``."""
    for worker in ("ali.demo", "eva.demo"):
        caseworker = services.directory.get_caseworker_by_username(worker)
        if caseworker is None:
            continue
        for case in services.directory.cases_for_caseworker(caseworker.id):
            for person in services.directory.participants_in_case(case.id):
                if person.display_name.split(" ")[0].lower() == first_name.lower():
                    return person.id
    raise LookupError(f"no demo participant {first_name}")


MENU = """companion demo · {fictitious}

  1  Kontaktperson: saksbehandlerverktøyet (TUI), innlogget som «Ali (demo)»
  2  Ungdom: telefonsimulatoren, som «Sara (demo)» i Telegram-boten (uten Telegram-konto)
  3  Forelder: telefonsimulatoren, som «Nadia (demo)»
  4  Chat i terminalen: HEVD som «Sara (demo)»
  q  Avslutt

Alle bruker samme krypterte demodatabase ({db}), så det Sara svarer på telefonen,
ser Ali i verktøyet. Prøv påminnelsene: i [1], åpne «Familien Demo», trykk A og gi Nadia
en hjemmeoppgave med «Oppfølging nå»; avslutt, velg [3] og svar på telefonen; velg [1]
igjen og se fanen Familieveiledning («Før neste møte»). Velg [1]: """


def menu(stdin: TextIO = sys.stdin) -> int:
    """At a terminal, ``make demo`` offers both sides: the caseworker's TUI and the phone."""
    services = demo_services()
    while True:
        print(MENU.format(fictitious=FICTITIOUS, db=services.settings.db_path), end="", flush=True)
        choice = (stdin.readline() or "q").strip().lower() or "1"
        if choice == "1":
            from tui.app import make_app  # the front ends load only when chosen

            make_app(services.settings, services, login_as="ali.demo").run()
        elif choice in ("2", "3"):
            from bots.telegram.phone.demo import run_phone

            run_phone(who="sara" if choice == "2" else "nadia")
            services = demo_services()
        elif choice == "4":
            return run_demo(flow="hevd")
        elif choice in ("q", "quit", "avslutt"):
            return 0


def run_demo(scripted: bool = False, flow: str = "hevd", lang: str = "nb") -> int:
    services = demo_services()
    sara = participant_named(services, "Sara")
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
        final = play(first, script.steps, lambda value: services.flows.resume(session_id, value))
    print_results(final.session, as_json=False)
    stored = services.conversations.answers_for(session_id)
    print(
        f"== stored: {len(stored)} answers in the encrypted database for session {session_id[:8]}"
    )
    return 0
