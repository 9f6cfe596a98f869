"""``companion tui``: the TUI on the configured database, or ``--demo`` on fictitious data."""

from __future__ import annotations

import argparse

from companion.config import Settings

DEMO_USER = "ali.demo"


def run_tui(args: argparse.Namespace, settings: Settings) -> int:
    from tui.app import make_app

    if args.demo:
        from companion.demo import demo_services

        services = demo_services()
        settings = services.settings
        app = make_app(settings, services, login_as=DEMO_USER, locale=args.lang)
    else:
        app = make_app(settings, locale=args.lang)
    app.run()
    return 0
