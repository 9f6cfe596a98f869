"""``companion tui``: the TUI on the configured database, or ``--demo`` on fictitious data."""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.config import Settings
from companion.services import build_services

DEMO_DIR = Path("var/demo-tui")
DEMO_USER = "ali.demo"


def run_tui(args: argparse.Namespace, settings: Settings) -> int:
    from tui.app import make_app

    if args.demo:
        from companion.demo import demo_settings
        from tui.demo_data import seed_demo

        settings = demo_settings(DEMO_DIR)
        services = build_services(settings, migrate_now=True)
        seed_demo(services)
        app = make_app(settings, services, login_as=DEMO_USER, locale=args.lang)
    else:
        app = make_app(settings, locale=args.lang)
    app.run()
    return 0
