"""The tiltaksplan draft: filled from the youth's answers, saved, exported (Markdown, HTML)."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.access import AccessDenied
from companion.services import Services
from tui.data import open_tui_data
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFiles
from tui.viewmodels.plan import DELMAL_FIELDS, Plan, from_hevd, from_tiltaksplan
from tui.viewmodels.plan_editor import PlanEditor
from tui.viewmodels.plan_export import to_html, to_markdown

RESULT = {
    "hovedmal": [
        {"text": "Egen leilighet", "theme": "Et sted å bo", "varighet": "12 måneder"},
        {"text": "Snakke med mamma", "theme": "Mamma", "varighet": "6 måneder"},
    ],
    "delmal": [
        {
            "text": "Søke leiligheter",
            "hovedmal": "Egen leilighet",
            "tiltak": "Bostøtte",
            "hvem_ma_inn": "NAV",
            "bv_oppgaver": "Følge til NAV",
            "ungdommens_oppgaver": "Annonser",
            "tidspunkt_for_evaluering": "2027-01-22",
        },
        {"text": "Kafé", "hovedmal": "Snakke med mamma", "tiltak": "Samtaler"},
    ],
}


def _editor(services: Services, viewer, title: str, texts: Texts) -> PlanEditor:
    data = open_tui_data(services)
    case_id = next(r.id for r in data.cases.summaries(viewer.id, None) if r.title.startswith(title))
    case_file = CaseFiles(services, data, viewer).open(case_id)
    return PlanEditor(services, data.plans, viewer, case_file, texts)


def test_delmal_fields_are_exactly_the_templates() -> None:
    """Delmål, Tiltak, Hvem må inn, BVs oppgaver, Ungdommens oppgaver, Tidspunkt for evaluering."""
    assert DELMAL_FIELDS == (
        "text",
        "tiltak",
        "hvem_ma_inn",
        "bv_oppgaver",
        "ungdommens_oppgaver",
        "tidspunkt_for_evaluering",
    )


def test_plan_from_the_youths_tiltaksplan_groups_delmal_under_their_hovedmal() -> None:
    """Each Delmål lands under the Hovedmål it names; the data round-trips."""
    plan = from_tiltaksplan(RESULT)
    assert [h.text for h in plan.filled()] == ["Egen leilighet", "Snakke med mamma"]
    assert plan.hovedmal[0].delmal[0].bv_oppgaver == "Følge til NAV"
    assert plan.hovedmal[1].delmal[0].text == "Kafé"
    assert Plan.from_data(plan.to_data()).to_data() == plan.to_data()


def test_plan_from_hevd_carries_the_top_themes_as_hints() -> None:
    plan = from_hevd({"top_themes": [{"text": "Jobb"}, {"text": "Bolig"}]})
    assert [h.theme for h in plan.hovedmal[:2]] == ["Jobb", "Bolig"]
    assert plan.filled() == []


def test_markdown_and_html_have_every_field_and_escape_words(services) -> None:
    """Exports name every template field; HTML escapes what people wrote."""
    texts = Texts(services.engine.localizer, "nb")
    plan = from_tiltaksplan(RESULT)
    plan.hovedmal[0].delmal[0].tiltak = "<script>alert(1)</script>"
    markdown = to_markdown(plan, "Sara", texts)
    for label in (
        "Hovedmål 1",
        "Varighet",
        "Delmål 1",
        "Tiltak",
        "Hvem må inn",
        "BVs oppgaver",
        "Ungdommens oppgaver",
        "Tidspunkt for evaluering",
    ):
        assert label in markdown
    page = to_html(plan, "Sara", texts)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_editor_loads_the_youths_plan_saves_and_exports(services, ali, tmp_path: Path) -> None:
    """Sara's draft comes from hevd_goals; saving stores it; export writes .md and .html."""
    texts = Texts(services.engine.localizer, "nb")
    editor = _editor(services, ali, "Sara", texts)
    draft = editor.load()
    assert draft.stored is None and draft.source_flow == "hevd_goals"
    draft.plan.hovedmal[0].varighet = "Ett år"
    editor.save(draft.plan)
    again = editor.load()
    assert again.stored is not None and again.plan.hovedmal[0].varighet == "Ett år"
    paths = editor.export(again.plan, tmp_path)
    assert [p.suffix for p in paths] == [".md", ".html"]
    assert "Ett år" in paths[0].read_text(encoding="utf-8")
    assert [e.action for e in services.audit.entries()[-2:]] == ["plan.saved", "plan.exported"]


def test_only_the_kontaktperson_edits_the_plan(services, kari, tmp_path: Path) -> None:
    """A leader reads no draft and cannot save or export one."""
    editor = _editor(services, kari, "Sara", Texts(services.engine.localizer, "nb"))
    assert not editor.editable and editor.load().plan.filled() == []
    with pytest.raises(AccessDenied):
        editor.save(Plan())
    with pytest.raises(AccessDenied):
        editor.export(Plan(), tmp_path)
