"""The case report: Markdown and HTML, what the viewer may see only, audited, map embedded."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.access import AccessDenied
from companion.accounts import Viewer
from companion.ports import Participant
from companion.services import Services
from tui.data import open_tui_data
from tui.i18n import Texts
from tui.screens.case import CaseScreen
from tui.viewmodels.case_report import export_case_report

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def export(services: Services, viewer: Viewer, case_id: str, folder: Path) -> tuple[str, str]:
    texts = Texts(services.engine.localizer, "nb")
    paths = export_case_report(services, open_tui_data(services), viewer, case_id, texts, folder)
    markdown, page = (p.read_text(encoding="utf-8") for p in paths)
    return markdown, page


def house_words(services: Services, person: Participant) -> dict[str, list[str]]:
    result = services.conversations.results_for(person.id)["houses"][-1].data
    return {
        key: [str(i["text"]) for i in result.get(key) or []]  # type: ignore[union-attr,index]
        for key in ("good", "worries", "dreams")
    }


async def test_export_from_the_case_screen(make, services: Services, people, tmp_path) -> None:
    """Ctrl+R writes both files with Sara's themes verbatim and her map embedded; audited."""
    app = make(login_as="ali.demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
    files = sorted((tmp_path / "exports").glob("sak-*"))
    assert [f.suffix for f in files] == [".html", ".md"]
    page, markdown = (f.read_text(encoding="utf-8") for f in files)
    for text in (markdown, page):
        assert "Få en deltidsjobb ved siden av skolen" in text
        assert "Saksrapport: Sara (demo)" in text
        assert "Tiltaksplan" in text and "Evaluering" in text
    assert "data:image/png;base64," in markdown
    assert "<svg" in page and "<script" not in page and " src=" not in page
    exported = [e for e in services.audit.entries() if e.action == "case.exported"]
    assert len(exported) == 1 and exported[0].subject == people["sara"].case_id


def test_a_hidden_house_is_not_in_a_leaders_export(
    services: Services, people, ali: Viewer, kari: Viewer, tmp_path: Path
) -> None:
    """Omar kept houses for the kontaktperson: Ali's report has his words, Kari's has none."""
    omar = people["omar"]
    words = house_words(services, omar)
    kept = [w for ws in words.values() for w in ws]
    assert kept
    own_md, own_html = export(services, ali, omar.case_id, tmp_path / "ali")
    leader_md, leader_html = export(services, kari, omar.case_id, tmp_path / "kari")
    hidden_somewhere = False
    for word in kept:
        assert word in own_md or word.replace("'", "&#x27;") in own_html
        if word not in leader_md and word not in leader_html:
            hidden_somewhere = True
    assert hidden_somewhere
    assert "Skjult:" in leader_md
    assert "Tiltaksplanen skrives av kontaktpersonen i saken." in leader_md


def test_hidden_houses_follow_field_visible(
    services: Services, people, kari: Viewer, tmp_path: Path
) -> None:
    """Every house the leader may not see is absent from every line of the leader's report."""
    from companion.access import field_visible

    omar = people["omar"]
    result = services.conversations.results_for(omar.id)["houses"][-1].data
    words = house_words(services, omar)
    leader_md, leader_html = export(services, kari, omar.case_id, tmp_path)
    hidden = [k for k in words if not field_visible(result, k, "leader")]
    assert hidden, "the demo should hide at least one house from a leader"
    for key in hidden:
        for word in words[key]:
            assert word not in leader_md
            assert word not in leader_html


def test_another_caseworker_cannot_export(
    services: Services, people, eva: Viewer, tmp_path: Path
) -> None:
    with pytest.raises(AccessDenied):
        export(services, eva, people["sara"].case_id, tmp_path)
    assert not tmp_path.exists() or not list(tmp_path.iterdir())
    assert not any(e.action == "case.exported" for e in services.audit.entries())
