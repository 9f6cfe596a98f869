"""Retention: what is deleted by age, once a day (``companion retention run``).

- kept voice notes older than ``retention_audio_days`` (0: every one, at the next run);
- messages between meetings older than ``retention_inbox_days``;
- everyone in a case closed with no activity for ``retention_closed_case_months``: erased like a
  confirmed deletion (answers, results, conversations, messages …; an anonymised tombstone stays).

Idempotent: a second run with the same clock removes nothing more. Counts only, never content,
go to the audit log and the terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from companion.data_rights import audio_directory, erasure_store
from companion.services import Services
from companion.store.records import utc_text

MONTH = timedelta(days=30)
DAY_SECONDS = 24 * 60 * 60.0
log = logging.getLogger(__name__)


def expired_audio(directory: Path | None, cutoff: datetime) -> int:
    """Delete voice notes last written before ``cutoff``; how many."""
    if directory is None or not directory.is_dir():
        return 0
    removed = 0
    for path in directory.glob("*.oga"):
        if path.stat().st_mtime <= cutoff.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def run_retention(services: Services) -> dict[str, int]:
    """Apply the retention settings now (``services.clock``); rows or files removed per kind."""
    settings = services.settings
    now = services.clock.now()
    counts = {
        "audio": expired_audio(
            audio_directory(settings), now - timedelta(days=settings.retention_audio_days)
        ),
        "messages": 0,
        "participants": 0,
    }
    db: Any = services.db
    if db is None:  # the in-memory fakes keep nothing long enough to need it
        return counts
    inbox_cutoff = utc_text(now - timedelta(days=settings.retention_inbox_days))
    with services.atomic():
        counts["messages"] = db.execute(
            "DELETE FROM messages WHERE at < ?", [inbox_cutoff]
        ).rowcount
    case_cutoff = utc_text(now - settings.retention_closed_case_months * MONTH)
    # Latest activity of a closed case: its newest session, message or its creation.
    rows = db.execute(
        """
        SELECT p.id FROM participants p JOIN cases c ON c.id = p.case_id
        WHERE c.status = 'closed' AND p.erased_at IS NULL AND max(
            c.created_at,
            coalesce((SELECT max(s.updated_at) FROM sessions s
                      JOIN participants q ON q.id = s.participant_id
                      WHERE q.case_id = c.id), ''),
            coalesce((SELECT max(m.at) FROM messages m WHERE m.case_id = c.id), '')
        ) < ?
        """,
        [case_cutoff],
    ).fetchall()
    store = erasure_store(services)
    for (participant_id,) in rows:
        store.erase_participant(participant_id)
        counts["participants"] += 1
    if any(counts.values()):
        services.audit.append("system", "retention.run", "retention", dict(counts))
        store.compact()
    return counts


async def daily(services: Services, interval: float = DAY_SECONDS) -> None:
    """Inside a long-running process (the bot): a run at start, then one a day. On the event
    loop itself, not a thread, because the services share one database connection."""
    while True:
        try:
            counts = run_retention(services)
            log.info("retention: %s", counts)  # counts only
        except Exception as error:  # a failed run must not stop the bot; tomorrow tries again
            log.error("retention run failed: %s", type(error).__name__)
        await asyncio.sleep(interval)


def add_parsers(commands: Any) -> None:
    retention = commands.add_parser("retention", help="delete data past its retention time")
    actions = retention.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = actions.add_parser("run", help="apply the retention settings once (idempotent)")
    run.set_defaults(func=cmd_retention_run)


def cmd_retention_run(args: argparse.Namespace) -> int:
    from companion.config import load_settings
    from companion.services import build_services

    counts = run_retention(build_services(load_settings()))
    print(
        f"retention: {counts['audio']} voice notes, {counts['messages']} messages, "
        f"{counts['participants']} participants of closed cases removed"
    )
    return 0
