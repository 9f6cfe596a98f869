"""Named, ordered schema migrations (sqlite-utils ``Migrations``); add new ones at the end.

Tables are STRICT so a wrong type fails loudly. Timestamps are fixed-width UTC ISO text, so
they sort and compare as strings; JSON columns are checked with ``json_valid``.
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from companion.store.database import open_database

migrations = Migrations("companion")

_PEOPLE = """
CREATE TABLE caseworkers (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('caseworker', 'leader', 'admin')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    caseworker_id TEXT NOT NULL REFERENCES caseworkers (id),
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at TEXT NOT NULL,
    next_meeting_at TEXT
) STRICT;
CREATE INDEX cases_caseworker ON cases (caseworker_id, created_at);
CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    role TEXT NOT NULL CHECK (role IN ('youth', 'parent', 'child')),
    display_name TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'nb',
    voice INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX participants_case ON participants (case_id, created_at);
CREATE TABLE channel_links (
    participant_id TEXT NOT NULL REFERENCES participants (id),
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (channel, external_id)
) STRICT;
CREATE INDEX channel_links_participant ON channel_links (participant_id);
CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    code_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES caseworkers (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    redeemed_at TEXT
) STRICT;
CREATE INDEX invites_participant ON invites (participant_id);
"""

# Conversation tables name participants without a foreign key: the conversation and directory
# stores are separate ports (the fakes keep them apart too), and sessions may be anonymous.
_CONVERSATIONS = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    participant_id TEXT,
    flow_id TEXT NOT NULL,
    status TEXT NOT NULL,
    seq INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    timeout_at TEXT,
    expires_at TEXT NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data))
) STRICT;
CREATE INDEX sessions_participant ON sessions (participant_id, status, updated_at);
CREATE INDEX sessions_timeout ON sessions (status, timeout_at);
CREATE INDEX sessions_expiry ON sessions (status, expires_at);
CREATE TABLE answers (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    seq INTEGER NOT NULL,
    key TEXT NOT NULL,
    flow_id TEXT NOT NULL,
    node_id TEXT,
    value TEXT NOT NULL CHECK (json_valid(value)),
    source TEXT NOT NULL,
    confidence REAL,
    at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX answers_once ON answers (session_id, seq, key);
CREATE TABLE results (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    participant_id TEXT,
    flow_id TEXT NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (session_id, name)
) STRICT;
CREATE INDEX results_participant ON results (participant_id, name, updated_at);
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    participant_id TEXT,
    session_id TEXT REFERENCES sessions (id),
    seq INTEGER,
    consent TEXT NOT NULL,
    version TEXT NOT NULL,
    granted INTEGER NOT NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX consents_once ON consents (session_id, seq, consent);
CREATE INDEX consents_participant ON consents (participant_id, at);
CREATE TABLE flags (
    id TEXT PRIMARY KEY,
    participant_id TEXT,
    session_id TEXT REFERENCES sessions (id),
    seq INTEGER,
    severity TEXT NOT NULL CHECK (severity IN ('low', 'high')),
    reason TEXT NOT NULL,
    trigger TEXT,
    at TEXT NOT NULL,
    acknowledged_at TEXT
) STRICT;
CREATE UNIQUE INDEX flags_once ON flags (session_id, seq, reason);
CREATE INDEX flags_open ON flags (participant_id, at) WHERE acknowledged_at IS NULL;
CREATE INDEX flags_open_all ON flags (at) WHERE acknowledged_at IS NULL;
"""

_WORK = """
CREATE TABLE assignments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    participant_id TEXT REFERENCES participants (id),
    meeting_no INTEGER NOT NULL,
    component TEXT NOT NULL,
    text TEXT NOT NULL,
    simpler_text TEXT,
    assigned_at TEXT NOT NULL,
    due_at TEXT,
    status TEXT NOT NULL DEFAULT 'open'
) STRICT;
CREATE INDEX assignments_case ON assignments (case_id, meeting_no);
CREATE INDEX assignments_participant ON assignments (participant_id, status, due_at);
CREATE TABLE reminders (
    id TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    kind TEXT NOT NULL,
    due_at TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    status TEXT NOT NULL DEFAULT 'pending',
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX reminders_due ON reminders (status, due_at);
CREATE INDEX reminders_participant ON reminders (participant_id, due_at);
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    reminder_id TEXT NOT NULL REFERENCES reminders (id),
    attempt INTEGER NOT NULL,
    sent_at TEXT,
    status TEXT NOT NULL,
    error TEXT,
    UNIQUE (reminder_id, attempt)
) STRICT;
CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    participant_id TEXT REFERENCES participants (id),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    text TEXT NOT NULL,
    at TEXT NOT NULL,
    read_at TEXT,
    delivered_at TEXT
) STRICT;
CREATE INDEX messages_case ON messages (case_id, at);
CREATE INDEX messages_participant ON messages (participant_id, at);
"""

# The triggers stop the application (not an attacker) from rewriting history; the hash chain
# is what detects tampering.
_AUDIT = """
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL CHECK (json_valid(details)),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"""


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    """Every table the first release needs."""
    for script in (_PEOPLE, _CONVERSATIONS, _WORK, _AUDIT):
        db.executescript(script)


_DELIVERY = """
CREATE TABLE processed_inputs (
    key TEXT PRIMARY KEY,
    at TEXT NOT NULL
) STRICT;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('api', 'text', 'events')),
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    participant_id TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    progress INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    not_before TEXT,
    sent_at TEXT,
    error TEXT,
    message_id INTEGER
) STRICT;
CREATE INDEX outbox_pending ON outbox (channel, id) WHERE status = 'pending';
CREATE INDEX outbox_chat ON outbox (channel, chat_id, id);
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    count INTEGER NOT NULL
) STRICT;
CREATE TABLE held_inputs (
    id TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX held_inputs_participant ON held_inputs (participant_id);
ALTER TABLE participants ADD COLUMN messages_stopped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channel_links ADD COLUMN unreachable_at TEXT;
ALTER TABLE messages ADD COLUMN author TEXT;
"""


@migrations(name="0002_bot_delivery")
def _bot_delivery(db: Database) -> None:
    """The bot: processed inputs, the outbox, rate limits, held inputs, reachability."""
    db.executescript(_DELIVERY)


# Written and read by the caseworker TUI (tui/data/sqlite.py).
_PLANS = """
CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    participant_id TEXT REFERENCES participants (id),
    data TEXT NOT NULL CHECK (json_valid(data)),
    created_by TEXT NOT NULL REFERENCES caseworkers (id),
    updated_by TEXT NOT NULL REFERENCES caseworkers (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX plans_once ON plans (case_id, coalesce(participant_id, ''));
CREATE TABLE case_reads (
    caseworker_id TEXT NOT NULL REFERENCES caseworkers (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    seen_at TEXT NOT NULL,
    PRIMARY KEY (caseworker_id, case_id)
) STRICT;
"""


@migrations(name="0003_tiltaksplan_drafts")
def _plans(db: Database) -> None:
    """Tiltaksplan drafts per case and youth, and when each caseworker last read a case."""
    db.executescript(_PLANS)


# Home-assignment reminders (companion/reminders): courses, meetings, per-participant timing,
# the dispatcher's lease, and what ties a reminder and a check-in to its assignment.
_REMINDERS = """
CREATE TABLE courses (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    participant_id TEXT NOT NULL REFERENCES participants (id),
    pathway TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended'))
) STRICT;
CREATE INDEX courses_participant ON courses (participant_id, created_at);
CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    participant_id TEXT REFERENCES participants (id),
    course_id TEXT REFERENCES courses (id),
    meeting_no INTEGER,
    starts_at TEXT NOT NULL,
    place TEXT,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled'))
) STRICT;
CREATE INDEX meetings_participant ON meetings (participant_id, starts_at);
CREATE INDEX meetings_case ON meetings (case_id, starts_at);
CREATE TABLE reminder_settings (
    participant_id TEXT PRIMARY KEY REFERENCES participants (id),
    preferred_time TEXT NOT NULL,
    quiet_start TEXT NOT NULL,
    quiet_end TEXT NOT NULL,
    timezone TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
ALTER TABLE assignments ADD COLUMN course_id TEXT REFERENCES courses (id);
ALTER TABLE assignments ADD COLUMN variant TEXT;
ALTER TABLE assignments ADD COLUMN checkin_session_id TEXT;
CREATE INDEX assignments_checkin ON assignments (checkin_session_id)
    WHERE checkin_session_id IS NOT NULL;
ALTER TABLE reminders ADD COLUMN not_after TEXT;
ALTER TABLE reminders ADD COLUMN assignment_id TEXT REFERENCES assignments (id);
ALTER TABLE reminders ADD COLUMN meeting_id TEXT REFERENCES meetings (id);
ALTER TABLE reminders ADD COLUMN session_id TEXT;
ALTER TABLE reminders ADD COLUMN note TEXT;
ALTER TABLE reminders ADD COLUMN handled_at TEXT;
CREATE INDEX reminders_assignment ON reminders (assignment_id) WHERE assignment_id IS NOT NULL;
CREATE INDEX reminders_meeting ON reminders (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX deliveries_reminder ON deliveries (reminder_id, attempt);
"""


@migrations(name="0004_reminders")
def _reminders(db: Database) -> None:
    """Courses, meetings, reminder timing per participant, the dispatcher lease, and links from
    reminders and check-ins to their assignment and meeting."""
    db.executescript(_REMINDERS)


@migrations(name="0005_notes")
def _notes(db: Database) -> None:
    """Caseworkers' notes on answers and result items (``NoteStore``)."""
    db.executescript(
        """
        CREATE TABLE notes (
            id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases (id),
            participant_id TEXT REFERENCES participants (id),
            subject TEXT NOT NULL,
            author_id TEXT NOT NULL REFERENCES caseworkers (id),
            text TEXT NOT NULL,
            at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX notes_case ON notes (case_id, at);
        CREATE INDEX notes_participant ON notes (participant_id) WHERE participant_id IS NOT NULL;
        """
    )


@migrations(name="0006_accounts_security")
def _accounts_security(db: Database) -> None:
    """Sign-in lockout (``companion.accounts``): failed attempts in a row and the lock's end."""
    db.executescript(
        "ALTER TABLE caseworkers ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE caseworkers ADD COLUMN locked_until TEXT;"
    )


@migrations(name="0007_data_rights")
def _data_rights(db: Database) -> None:
    """Deletion leaves an anonymised participant row (``erased_at``) so audit ids still resolve."""
    db.executescript("ALTER TABLE participants ADD COLUMN erased_at TEXT;")


@migrations(name="0008_bot_speed")
def _bot_speed(db: Database) -> None:
    """``processed_inputs`` WITHOUT ROWID: the key is the table's own b-tree, so marking an
    update processed writes one page per commit instead of a table page and an index page."""
    # One statement at a time: executescript would commit first, and the copy must be all or
    # nothing with the migration's record.
    for statement in (
        "CREATE TABLE processed_inputs_by_key (key TEXT PRIMARY KEY, at TEXT NOT NULL) "
        "STRICT, WITHOUT ROWID",
        "INSERT INTO processed_inputs_by_key (key, at) SELECT key, at FROM processed_inputs",
        "DROP TABLE processed_inputs",
        "ALTER TABLE processed_inputs_by_key RENAME TO processed_inputs",
    ):
        db.execute(statement)


def pending(db: Database) -> list[str]:
    """Names of migrations not yet applied to ``db``."""
    return [migration.name for migration in migrations.pending(db)]


def migrate(db: Database) -> list[str]:
    """Apply pending migrations, each in its own transaction; the names applied."""
    names = pending(db)
    migrations.apply(db)
    return names


def init_database(path: str | Path, key: str | None) -> Database:
    """Open (creating if needed) and bring the schema up to date."""
    db = open_database(path, key)
    migrate(db)
    return db
