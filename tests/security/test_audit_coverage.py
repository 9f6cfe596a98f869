"""The audit log records what issue #8 names, through the paths people actually use.

Logins (tests/security/test_accounts.py), backups and rekeys (test_admin_cli.py) are covered
there; here: consent given in the bot and in a meeting, invite creation and redemption, case
views, exports, flags, and that no entry holds what a participant wrote.
"""

from __future__ import annotations

from bots.telegram.core import BotCore
from companion.accounts import Viewer
from companion.flows.inputs import ChoiceInput
from companion.staff import StaffCases
from tests.bots.support import Chat, memory, youth


def actions(services) -> list[str]:
    return [e.action for e in services.audit.entries()]


def test_bot_onboarding_audits_invite_redemption_and_consent() -> None:
    services = memory()
    chat = Chat(BotCore(services))
    sara = youth(services)
    kari = services.directory.get_caseworker_by_username("kari")
    assert kari is not None
    staff = StaffCases(services, Viewer.of(kari))
    code = staff.create_invite(sara.id).code
    chat.command("start", code)
    chat.press("Ja, det er greit")
    chat.text("Jeg heter egentlig Sara Hemmelig")  # words that must never reach the log
    done = actions(services)
    assert done[:3] == ["invite.created", "invite.redeemed", "consent.given"]
    consent = next(e for e in services.audit.entries() if e.action == "consent.given")
    assert consent.subject == f"participant:{sara.id}"
    assert set(consent.details) == {"consent", "version", "session"}
    text = repr(services.audit.entries())
    assert code not in text and "Hemmelig" not in text and "Sara" not in text


def test_declining_consent_is_audited_as_refused() -> None:
    services = memory()
    chat = Chat(BotCore(services))
    sara = youth(services)
    chat.command("start", services.invites.create(sara.id).code)
    chat.press("Nei, ikke nå")
    assert "consent.refused" in actions(services)


def test_consent_given_in_a_meeting_is_audited_under_the_caseworker() -> None:
    """Worker-led onboarding: the kontaktperson types the answer; the entry names them."""
    services = memory()
    sara = youth(services)
    kari = services.directory.get_caseworker_by_username("kari")
    assert kari is not None
    staff = StaffCases(services, Viewer.of(kari))
    sprint = staff.run_flow(sara.id, "onboarding")
    assert sprint.question is not None and sprint.question.kind == "consent"
    assert "consent.given" not in actions(services)
    staff.answer(sprint.session.id, ChoiceInput(values=("yes",)))
    entry = next(e for e in services.audit.entries() if e.action == "consent.given")
    assert entry.actor == "kari"
    assert "worker_led.started" in actions(services)


def test_views_exports_and_flags_are_audited() -> None:
    services = memory()
    sara = youth(services)
    kari = services.directory.get_caseworker_by_username("kari")
    assert kari is not None
    flag = services.conversations.add_flag(sara.id, "high", "safety_path", trigger="ord")
    staff = StaffCases(services, Viewer.of(kari))
    staff.open_case(sara.case_id)
    staff.record_export(sara.case_id, "report", 2)
    staff.acknowledge_flag(flag.id)
    assert actions(services) == ["case.viewed", "case.exported", "flag.acknowledged"]
    assert services.audit.entries()[1].details == {"what": "report", "files": 2}
    assert "ord" not in repr(services.audit.entries())
