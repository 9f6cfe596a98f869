"""A participant's data rights, enforced in the core: withdrawing consent, and deletion that a
caseworker confirms.

Withdrawal is a «no» to the use consent, recorded with its version and time like the onboarding
answer, plus ``messages_stopped``; the checks that already guard sending (``send_flow``, the
reminder dispatcher, deadline deliveries) then refuse, unsent rows for the person's chats are
given up, and ``undeliverable`` lets a channel's sender drop anything enqueued later. Only the
bot's direct answer to something the person writes themselves still goes (so they can come back).

Deletion: the person asks (``participants.request_deletion`` raises a flag), the caseworker
confirms in the TUI, and ``DataRights.confirm_deletion`` erases their data in every table (see
``ErasureStore``), removes kept voice notes, compacts the file so no old page keeps the text, and
writes ids and counts only to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from companion.access import CaseGuard
from companion.accounts import Viewer
from companion.config import Settings
from companion.participants import CONSENT, has_answered_consent, has_consent
from companion.ports import (
    AuditLog,
    Consent,
    ConversationStore,
    DirectoryStore,
    ErasureStore,
    OutboxItem,
    OutboxStore,
    Participant,
)
from companion.services import Services

WITHDRAWN = "consent_withdrawn"
ERASED = "erased"
WITHDRAWAL_TEXT = "Samtykket til å bruke chatten er trukket tilbake."
"""Stored as the consent's ``text``: what the record means, never what the person wrote."""


def withdraw_consent(
    participant: Participant,
    *,
    conversations: ConversationStore,
    directory: DirectoryStore,
    outbox: OutboxStore,
    audit: AuditLog,
    actor: str,
) -> Consent:
    """Record a «no» to the use consent and stop every message to the participant."""
    earlier = [c for c in conversations.consents_for(participant.id) if c.consent == CONSENT]
    version = earlier[-1].version if earlier else "withdrawal"
    consent = conversations.record_consent(
        participant.id, CONSENT, version, granted=False, text=WITHDRAWAL_TEXT
    )
    directory.update_participant(participant.id, messages_stopped=True)
    dropped = sum(
        outbox.fail_pending(link.channel, link.external_id, WITHDRAWN)
        for link in directory.links_for(participant.id)
    )
    audit.append(
        actor,
        "consent.withdrawn",
        f"participant:{participant.id}",
        {"consent": CONSENT, "version": version, "dropped": dropped},
    )
    return consent


def undeliverable(
    item: OutboxItem, directory: DirectoryStore, conversations: ConversationStore
) -> str | None:
    """Why a channel must not send this outbox row (``erased``, ``consent_withdrawn``), or None.

    ``api`` rows are the bot's direct answers to what the person just wrote; they still go after
    a withdrawal (that is how someone says yes again), never after an erasure.
    """
    if item.participant_id is None:
        return None
    person = directory.get_participant(item.participant_id)
    if person is None or person.erased_at is not None:
        return ERASED
    if item.kind == "api":
        return None
    if has_answered_consent(conversations, person.id) and not has_consent(conversations, person.id):
        return WITHDRAWN
    return None


def erasure_store(services: Services) -> ErasureStore:
    """The erasure adapter for the services' database (or their in-memory fakes)."""
    if services.db is not None:
        from companion.store.erasure import SqliteErasure

        return SqliteErasure(services.db, clock=services.clock)
    from companion.memory_store import (
        MemoryConversationStore,
        MemoryDirectoryStore,
        MemoryErasure,
        MemoryInboxStore,
        MemoryNoteStore,
        MemoryOutboxStore,
    )

    assert isinstance(services.conversations, MemoryConversationStore)
    assert isinstance(services.directory, MemoryDirectoryStore)
    assert isinstance(services.inbox_store, MemoryInboxStore)
    assert isinstance(services.outbox, MemoryOutboxStore)
    assert isinstance(services.notes, MemoryNoteStore)
    return MemoryErasure(
        services.conversations,
        services.directory,
        services.inbox_store,
        services.outbox,
        services.notes,
    )


def audio_directory(settings: Settings) -> Path:
    """Where the bot keeps voice notes (``COMPANION_AUDIO_DIR``, else ``audio`` next to the
    database): the one place deletion and retention clean."""
    return settings.audio_dir or settings.db_path.parent / "audio"


def erase_audio(directory: Path | None, external_ids: Iterable[str]) -> int:
    """Delete kept voice notes of these chat accounts (``<channel>-<account>-<update>.oga``)."""
    if directory is None or not directory.is_dir():
        return 0
    removed = 0
    for account in external_ids:
        for path in directory.glob(f"*-{account}-*.oga"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class DataRights:
    """What a member of staff does about a participant's data rights; every call is
    access-checked (``CaseGuard``) and audited."""

    def __init__(
        self, services: Services, viewer: Viewer, *, audio_dir: Path | None = None
    ) -> None:
        self.services = services
        self.viewer = viewer
        self.guard = CaseGuard(services.directory, services.audit, viewer)
        self.audio_dir = audio_dir

    def withdraw_consent(self, participant_id: str) -> Consent:
        """The person told their caseworker they withdraw consent: record it and stop messages."""
        participant, _case = self.guard.participant(participant_id)
        s = self.services
        return withdraw_consent(
            participant,
            conversations=s.conversations,
            directory=s.directory,
            outbox=s.outbox,
            audit=s.audit,
            actor=self.viewer.username,
        )

    def confirm_deletion(self, participant_id: str) -> dict[str, int]:
        """Erase the participant's data everywhere; rows removed per kind."""
        participant, case = self.guard.participant(participant_id)
        s = self.services
        accounts = [link.external_id for link in s.directory.links_for(participant.id)]
        store = erasure_store(s)
        counts = store.erase_participant(participant.id)
        counts["audio"] = erase_audio(self.audio_dir, accounts)
        s.audit.append(
            self.viewer.username,
            "participant.erased",
            f"participant:{participant.id}",
            {"case": case.id, "removed": dict(counts)},
        )
        store.compact()
        return counts
