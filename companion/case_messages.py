"""A case's messages as staff read and answer them: access-checked, audited, marked read.

Participants write to *their kontaktperson* (the acknowledgement says so), so only the case's
own caseworker reads the thread, marks it read and replies. Anyone else who may open the case
(a leader) is refused like a stranger: reading would also clear the kontaktperson's unread
badge. Replies go through ``Inbox.reply``: stored as ``out`` and enqueued in the same
transaction for the participant's reachable chats, which the bot's sender delivers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from companion.access import AccessDenied, CaseGuard
from companion.accounts import Viewer
from companion.inbox import Inbox
from companion.participants import reachable_links
from companion.ports import AuditLog, Case, DirectoryStore, InboxMessage, InboxStore
from companion.services import Services

MAX_REPLY = 2000
"""Characters in one reply: a chat message, not a letter (Telegram splits above 4096)."""


class ReplyRejected(ValueError):
    """A reply that cannot be sent as written; ``reason`` says why (the text is kept)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ThreadMessage:
    """One message as the caseworker reads it."""

    id: str
    participant_id: str | None
    incoming: bool
    sender: str
    """First name of the participant (incoming) or of the caseworker (replies)."""
    text: str
    at: datetime
    unread: bool
    delivered: bool


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


class CaseMessages:
    """The case inbox for one signed-in member of staff."""

    def __init__(
        self,
        store: InboxStore,
        inbox: Inbox,
        directory: DirectoryStore,
        audit: AuditLog,
        viewer: Viewer,
    ) -> None:
        self.store = store
        self.inbox = inbox
        self.directory = directory
        self.audit = audit
        self.viewer = viewer
        self.guard = CaseGuard(directory, audit, viewer)

    def _own_case(self, case_id: str) -> Case:
        return self._require_own(self.guard.case(case_id))

    def _require_own(self, case: Case) -> Case:
        if not self.may_read(case):
            self.audit.append(
                self.viewer.username, "messages.denied", case.id, {"role": self.viewer.role}
            )
            raise AccessDenied(case.id)
        return case

    def may_read(self, case: Case) -> bool:
        """Whether the viewer reads this case's messages (no audit entry: for the UI only)."""
        return case.caseworker_id == self.viewer.id

    def thread(self, case_id: str) -> list[ThreadMessage]:
        """Every message of the case, oldest first; audited as read (never the contents)."""
        case = self._own_case(case_id)
        messages = sorted(self.store.messages_in_case(case.id), key=lambda m: m.at)
        names = {p.id: p.display_name for p in self.directory.participants_in_case(case.id)}
        workers: dict[str, str] = {}
        shown = [self._shown(m, names, workers) for m in messages]
        self.audit.append(self.viewer.username, "messages.viewed", case.id, {"count": len(shown)})
        return shown

    def _shown(
        self, message: InboxMessage, names: dict[str, str], workers: dict[str, str]
    ) -> ThreadMessage:
        incoming = message.direction == "in"
        if incoming:
            sender = names.get(message.participant_id or "", "?")
        else:
            author = message.author or ""
            if author not in workers:
                worker = self.directory.get_caseworker(author)
                workers[author] = worker.display_name if worker else "?"
            sender = workers[author]
        return ThreadMessage(
            id=message.id,
            participant_id=message.participant_id,
            incoming=incoming,
            sender=first_name(sender),
            text=message.text,
            at=message.at,
            unread=incoming and message.read_at is None,
            delivered=message.delivered_at is not None,
        )

    def mark_read(self, case_id: str) -> int:
        """Mark the case's unread incoming messages read; how many there were."""
        case = self._own_case(case_id)
        unread = [
            m
            for m in self.store.messages_in_case(case.id)
            if m.direction == "in" and m.read_at is None
        ]
        for message in unread:
            self.store.mark_read(message.id)
        if unread:
            self.audit.append(
                self.viewer.username, "messages.read", case.id, {"count": len(unread)}
            )
        return len(unread)

    def reply(self, participant_id: str, text: str) -> InboxMessage:
        """Send ``text`` to the participant through the bot; ``ReplyRejected`` if it cannot go."""
        participant, case = self.guard.participant(participant_id)
        self._require_own(case)
        body = text.strip()
        if not body:
            raise ReplyRejected("empty")
        if len(body) > MAX_REPLY:
            raise ReplyRejected("too_long")
        if participant.messages_stopped:
            raise ReplyRejected("stopped")
        if not reachable_links(self.directory, participant.id):
            raise ReplyRejected("no_chat")
        return self.inbox.reply(participant.id, body, self.viewer.id)


def case_messages(services: Services, viewer: Viewer) -> CaseMessages:
    """``CaseMessages`` over the composition root's stores."""
    return CaseMessages(
        services.inbox_store, services.inbox, services.directory, services.audit, viewer
    )
