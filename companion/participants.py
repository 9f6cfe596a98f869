"""What a participant can do about themselves, whatever the channel: consent, own data, deletion,
settings; and what a caseworker sends them (a flow).

Consent is the ``companion_use`` consent of the onboarding flow: until it is granted nothing
but onboarding (and the safety path) runs, and nothing the person writes is kept as a message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from companion.flows import Engine, Sprint
from companion.flows.ports import Clock
from companion.outbox import events_entry
from companion.ports import (
    AuditLog,
    ChannelLink,
    ConversationStore,
    DirectoryStore,
    Flag,
    InboxStore,
    Participant,
)

CONSENT = "companion_use"
ONBOARDING = "onboarding"
DELETION_REASON = "deletion_requested"
UNREACHABLE_REASON = "unreachable"


class SendError(Exception):
    """A flow cannot be sent to this participant now; the message says why."""


def has_consent(conversations: ConversationStore, participant_id: str) -> bool:
    """Whether the participant's latest answer to the use consent was yes."""
    answers = [c for c in conversations.consents_for(participant_id) if c.consent == CONSENT]
    return bool(answers) and answers[-1].granted


def reachable_links(directory: DirectoryStore, participant_id: str) -> list[ChannelLink]:
    """The participant's chat accounts that have not refused delivery (403)."""
    return [link for link in directory.links_for(participant_id) if link.unreachable_at is None]


def has_answered_consent(conversations: ConversationStore, participant_id: str) -> bool:
    return any(c.consent == CONSENT for c in conversations.consents_for(participant_id))


def profile_changes(sprint: Sprint) -> dict[str, Any]:
    """Language and voice chosen in a completed onboarding, as participant settings."""
    session = sprint.session
    if session.flow_id != ONBOARDING or session.status != "completed":
        return {}
    profile = session.results.get("profile", {})
    changes: dict[str, Any] = {}
    if isinstance(profile.get("language"), str):
        changes["locale"] = profile["language"]
    if isinstance(profile.get("voice"), bool):
        changes["voice"] = profile["voice"]
    return changes


def my_data(
    participant: Participant, conversations: ConversationStore, inbox: InboxStore
) -> dict[str, Any]:
    """A copy of what is stored from and about this person: their own answers, results,
    consents and messages. Never other people's data or the caseworker's notes."""
    sessions = conversations.sessions_for(participant.id)
    return {
        "participant": {
            "name": participant.display_name,
            "language": participant.locale,
            "voice": participant.voice,
            "since": participant.created_at.isoformat(),
        },
        "conversations": [
            {
                "flow": s.flow_id,
                "status": s.status,
                "started": s.created_at.isoformat(),
                "updated": s.updated_at.isoformat(),
                "answers": [
                    {"question": a.key, "answer": a.value, "at": a.at.isoformat()}
                    for a in conversations.answers_for(s.id)
                ],
                "results": s.results,
            }
            for s in sessions
        ],
        "consents": [
            {
                "consent": c.consent,
                "version": c.version,
                "granted": c.granted,
                "text": c.text,
                "at": c.at.isoformat(),
            }
            for c in conversations.consents_for(participant.id)
        ],
        "messages": [
            {
                "from": "me" if m.direction == "in" else "kontaktperson",
                "text": m.text,
                "at": m.at.isoformat(),
            }
            for m in inbox.messages_for(participant.id)
        ],
    }


def my_data_file(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def request_deletion(
    participant: Participant, conversations: ConversationStore, audit: AuditLog
) -> Flag:
    """Record that the person asked for deletion; the caseworker decides and confirms."""
    flag = conversations.add_flag(participant.id, "low", DELETION_REASON)
    audit.append(
        f"participant:{participant.id}",
        "participant.deletion_requested",
        f"participant:{participant.id}",
        {"flag_id": flag.id},
    )
    return flag


def mark_unreachable(
    participant_id: str,
    channel: str,
    external_id: str,
    directory: DirectoryStore,
    conversations: ConversationStore,
    audit: AuditLog,
) -> Flag | None:
    """The channel refused a message (blocked): mark the link and raise a high flag, once."""
    if not directory.set_reachable(channel, external_id, False):
        return None
    flag = conversations.add_flag(participant_id, "high", UNREACHABLE_REASON, trigger=channel)
    audit.append(
        "system",
        "participant.unreachable",
        f"participant:{participant_id}",
        {"channel": channel, "flag_id": flag.id},
    )
    return flag


def send_flow(
    participant_id: str,
    flow_id: str,
    *,
    engine: Engine,
    directory: DirectoryStore,
    conversations: ConversationStore,
    audit: AuditLog,
    actor: str,
    params: Mapping[str, Any] | None = None,
    clock: Clock | None = None,
) -> Sprint:
    """Start ``flow_id`` for the participant and enqueue its first messages to their chats.

    Refused (``SendError``) before consent, when messages are stopped, when no chat account is
    reachable, or while another conversation waits for an answer.
    """
    participant = directory.get_participant(participant_id)
    if participant is None:
        raise SendError(f"no participant {participant_id}")
    if flow_id not in engine.flows:
        raise SendError(f"unknown flow '{flow_id}' (known: {', '.join(sorted(engine.flows))})")
    if not has_consent(conversations, participant_id):
        raise SendError(f"participant {participant_id} has not consented to the chat yet")
    if participant.messages_stopped:
        raise SendError(f"participant {participant_id} has stopped messages (/stop)")
    links = reachable_links(directory, participant_id)
    if not links:
        raise SendError(f"participant {participant_id} has no reachable chat account")
    waiting = conversations.open_session(participant_id)
    if waiting is not None:
        raise SendError(
            f"participant {participant_id} has an open conversation ('{waiting.flow_id}'); "
            "it must end first"
        )
    sprint = engine.start(
        flow_id, locale=participant.locale, participant_id=participant_id, params=params
    )
    entries = [
        events_entry(link.channel, link.external_id, sprint, participant_id=participant_id)
        for link in links
    ]
    conversations.record_sprint(None, sprint.session, sprint.events, outbox=entries)
    audit.append(
        actor,
        "flow.sent",
        f"participant:{participant_id}",
        {"flow": flow_id, "session_id": sprint.session.id},
    )
    return sprint
