"""One retry loop for everyone (``Conversations``), used by a channel (``ChannelFlows``) with
its input key and replies; and a running conversation changing language."""

from __future__ import annotations

from companion.channels import ChannelFlows
from companion.conversations import Conversations
from companion.flows import Engine, Sprint
from companion.flows.inputs import text
from companion.ports import OutboxEntry
from tests.store.support import Stores


def reply(sprint: Sprint) -> list[OutboxEntry]:
    return [
        OutboxEntry(
            channel="telegram",
            chat_id="42",
            kind="text",
            payload={"text": f"seq {sprint.session.seq}"},
            participant_id="p1",
        )
    ]


def test_a_channel_input_on_an_old_state_goes_to_the_newer_one(
    stores: Stores, engine: Engine
) -> None:
    """The channel read the session, then another writer answered first: the input is applied
    to the newer state, and its key and reply are stored once, with that sprint."""
    flows = Conversations(engine, stores.conversations)
    channel = ChannelFlows(flows)
    start = channel.start("tour", participant_id="p1", locale="nb")
    old = start.session
    flows.resume(old.id, text("Mia"))  # someone else, first
    sprint = channel.resume(old, text("Ola"), input_key="telegram:7", render=reply)
    assert sprint.session.seq > old.seq + 1
    assert stores.outbox.processed("telegram:7")
    assert [i.payload["text"] for i in stores.outbox.items()] == [f"seq {sprint.session.seq}"]
    assert stores.conversations.get_session(old.id) == sprint.session


def test_change_locale_keeps_the_place_and_stores_the_language(
    stores: Stores, engine: Engine
) -> None:
    """The session waits at the same question, now in another language; stored so."""
    flows = Conversations(engine, stores.conversations)
    start = flows.start("tour", participant_id="p1", locale="nb")
    changed = flows.change_locale(start.session, "en")
    assert changed.locale == "en" and changed.wait == start.session.wait
    stored = stores.conversations.get_session(start.session.id)
    assert stored is not None and stored.locale == "en"
    assert flows.change_locale(changed, "en") is changed  # nothing to do
