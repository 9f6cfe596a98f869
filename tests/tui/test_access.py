"""Who may see what, through the view-model API (no app): cases, flags, result fields."""

from __future__ import annotations

import pytest

from companion.access import AccessDenied, field_visible
from companion.accounts import Viewer
from companion.services import Services
from tui.data import open_tui_data
from tui.viewmodels.case_file import CaseFiles
from tui.viewmodels.flags import Flags
from tui.viewmodels.houses import houses_views
from tui.viewmodels.transcripts import conversations


def _case_id(services: Services, viewer: Viewer, title_start: str) -> str:
    rows = open_tui_data(services).cases.summaries(viewer.id, None)
    return next(r.id for r in rows if r.title.startswith(title_start))


def test_caseworker_cannot_open_another_caseworkers_case(services, ali, eva) -> None:
    """Opening Eva's case as Ali raises AccessDenied, and the attempt is audited."""
    minas_case = _case_id(services, eva, "Mina")
    files = CaseFiles(services, open_tui_data(services), ali)
    with pytest.raises(AccessDenied):
        files.open(minas_case)
    last = services.audit.entries()[-1]
    assert (last.actor, last.action, last.subject) == ("ali.demo", "case.denied", minas_case)


def test_unknown_case_is_denied_like_a_foreign_one(services, ali) -> None:
    """No hint whether a case exists: an unknown id gives the same AccessDenied."""
    with pytest.raises(AccessDenied):
        CaseFiles(services, open_tui_data(services), ali).open("no-such-case")


def test_caseworker_opens_own_case_and_the_view_is_audited(services, ali) -> None:
    """Ali opens Sara's case as its kontaktperson; the view is in the audit log."""
    case_id = _case_id(services, ali, "Sara")
    case_file = CaseFiles(services, open_tui_data(services), ali).open(case_id)
    assert case_file.audience == "kontaktperson"
    assert [p.name for p in case_file.people] == ["Sara (demo)"]
    assert services.audit.entries()[-1].action == "case.viewed"


def test_leader_opens_any_case_as_leader(services, kari, eva) -> None:
    """Kari (leader) may open Eva's case and reads it with the leader audience."""
    case_file = CaseFiles(services, open_tui_data(services), kari).open(
        _case_id(services, eva, "Mina")
    )
    assert case_file.audience == "leader"


def test_admin_sees_no_cases(services) -> None:
    """An admin account manages users only; every case is denied."""
    admin = services.directory.add_caseworker("it", "IT", "admin", "x")
    viewer = Viewer.of(admin)
    any_case = _case_id(services, Viewer("", "", "", "leader"), "Sara")
    with pytest.raises(AccessDenied):
        CaseFiles(services, open_tui_data(services), viewer).open(any_case)


def test_leader_does_not_see_a_house_the_child_kept_for_the_kontaktperson(
    services, kari, ali
) -> None:
    """Omar chose «bare kontaktpersonen» for the worries: hidden from the leader, shown to Ali."""
    case_id = _case_id(services, ali, "Familien")
    data = open_tui_data(services)
    as_leader = houses_views(CaseFiles(services, data, kari).open(case_id), _texts(services))
    as_worker = houses_views(CaseFiles(services, data, ali).open(case_id), _texts(services))
    worries = {v.name: [h for h in v.houses if h.key == "worries"][0] for v in as_leader}
    assert worries["Omar (demo)"].words is None
    shown = [h for h in as_worker[0].houses if h.key == "worries"][0]
    assert shown.words == (
        "Mamma og pappa krangler om kvelden",
        "Jeg vet ikke om jeg får bli på skolen",
    )


def test_raw_conversations_are_for_the_kontaktperson_only(services, kari, ali) -> None:
    """A leader gets no transcripts (they hold words kept from everyone else)."""
    case_id = _case_id(services, ali, "Familien")
    case_file = CaseFiles(services, open_tui_data(services), kari).open(case_id)
    flows = services.content.flows
    assert conversations(case_file, services.conversations, flows, _texts(services)) is None


def test_fields_without_a_choice_are_for_the_kontaktperson() -> None:
    """No ``_visibility`` entry means kontaktperson only (docs/content.md)."""
    data = {"a": 1, "_visibility": {"b": ["kontaktperson", "leader"]}}
    assert field_visible(data, "a", "kontaktperson")
    assert not field_visible(data, "a", "leader")
    assert field_visible(data, "b", "leader")


def test_flags_follow_case_access_and_acknowledging_is_audited(services, ali, eva) -> None:
    """Sara's open high flag is Ali's; Eva neither sees nor can acknowledge it."""
    mine = Flags(services, ali).open_flags()
    assert [(f.name, f.severity) for f in mine] == [("Sara (demo)", "high")]
    assert mine[0].trigger == "jeg orker ikke mer, alt er bare kaos"
    assert Flags(services, eva).open_flags() == []
    with pytest.raises(AccessDenied):
        Flags(services, eva).acknowledge(mine[0].id)
    Flags(services, ali).acknowledge(mine[0].id)
    assert Flags(services, ali).open_flags() == []
    entry = services.audit.entries()[-1]
    assert (entry.actor, entry.action, entry.subject) == (
        "ali.demo",
        "flag.acknowledged",
        mine[0].id,
    )


def _texts(services: Services):
    from tui.i18n import Texts

    return Texts(services.engine.localizer, "nb")
