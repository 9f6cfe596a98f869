"""The logic behind the screens, without the app."""

from __future__ import annotations

from companion.accounts import Viewer
from companion.flows.inputs import Command
from companion.services import Services
from tui.data import TuiData, open_tui_data
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile, CaseFiles
from tui.viewmodels.cases import CaseList, Filters
from tui.viewmodels.evaluation import evaluation_views
from tui.viewmodels.fv import fv_view
from tui.viewmodels.hevd import hevd_views
from tui.viewmodels.network import network_views
from tui.viewmodels.overview import overview
from tui.viewmodels.sparkline import sparkline
from tui.viewmodels.transcripts import conversations
from tui.viewmodels.worker_led import WorkerLed, flow_choices


def texts(services: Services) -> Texts:
    return Texts(services.engine.localizer, "nb")


_DATA: list[tuple[Services, TuiData]] = []


def data_of(services: Services) -> TuiData:
    """One TuiData per services, as the app has (the fakes keep «seen» in it)."""
    found = next((data for known, data in _DATA if known is services), None)
    if found is None:
        found = open_tui_data(services)
        _DATA.append((services, found))
    return found


def open_case(services: Services, viewer: Viewer, title_start: str) -> CaseFile:
    data = data_of(services)
    case_id = next(
        r.id for r in data.cases.summaries(viewer.id, None) if r.title.startswith(title_start)
    )
    return CaseFiles(services, data, viewer).open(case_id)


def test_caseworker_lists_own_cases_flagged_first(services, ali) -> None:
    """Ali's list holds his three cases, Sara's (open high flag) first, with badges."""
    rows = CaseList(open_tui_data(services).cases, ali, texts(services)).load()
    assert [r.title for r in rows] == [
        "Sara (demo) – ettervern",
        "Familien Demo – familieveiledning",
        "Jonas (demo) – ettervern",
    ]
    assert rows[0].badges.startswith("⚠ 1 flagg")
    assert "nye" in rows[1].badges


def test_leader_lists_every_case_with_aggregate_figures(services, kari) -> None:
    """Kari sees all four cases; the figures count cases and flags, naming nobody."""
    cases = CaseList(open_tui_data(services).cases, kari, texts(services))
    assert len(cases.load()) == 4
    figures = cases.figures(services.clock.now())
    assert (figures.cases, figures.open_flags) == (4, 1)


def test_search_and_filters(services, ali) -> None:
    """Words match title, participants or caseworker; toggles keep flagged or new only."""
    cases = CaseList(open_tui_data(services).cases, ali, texts(services))
    cases.load()
    assert [r.title for r in cases.filtered(Filters("omar"))] == [
        "Familien Demo – familieveiledning"
    ]
    assert [r.title for r in cases.filtered(Filters(only_flags=True))] == [
        "Sara (demo) – ettervern"
    ]
    assert cases.filtered(Filters("ingen slik sak")) == []


def test_opening_a_case_clears_its_new_badge(services, ali) -> None:
    """After Ali opens Jonas's case, it no longer counts new conversations for him."""
    open_case(services, ali, "Jonas")
    rows = CaseList(data_of(services).cases, ali, texts(services)).load()
    jonas = next(r for r in rows if r.title.startswith("Jonas"))
    assert jonas.new == 0 and "nye" not in jonas.badges


def test_hevd_themes_verbatim_with_rating_history(services, ali) -> None:
    """Sara's themes are her own words; ratings over time become a sparkline."""
    (view,) = hevd_views(open_case(services, ali, "Sara"))
    assert view.themes is not None
    assert view.themes[1] == ("Få en deltidsjobb ved siden av skolen", False, True)
    assert view.themes[3] == ("Å klare meg bedre med penger", True, False)
    assert view.top is not None
    first = view.top[0]
    assert first.ratings == (3, 4, 5)
    assert first.spark == sparkline([3, 4, 5], 1, 10)
    assert first.helped == ("Vi har sett på to leiligheter sammen med Ali",)
    assert view.not_wanted == ("Trening, det ordner jeg selv",)


def test_sparkline_scales_between_fixed_ends() -> None:
    """1 is the lowest block and 10 the highest, whatever the other values are."""
    assert sparkline([1, 10], 1, 10) == "▁█"
    assert sparkline([], 1, 10) == ""


def test_overview_lists_participants_consent_and_what_is_due(services, ali) -> None:
    """Sara consented; her interrupted weekly check is waiting; the timeline is newest first."""
    view = overview(open_case(services, ali, "Sara"), services.content.flows, texts(services))
    (sara,) = view.participants
    assert sara.role == "ungdom" and sara.consent.startswith("samtykke gitt")
    assert any("Ukesjekk" in line for line in view.due)
    assert view.timeline[0].at >= view.timeline[-1].at


def test_network_map_is_drawn_in_text_with_every_name(services, ali) -> None:
    """The terminal map names everyone on Sara's map, and the list gives ring and quality."""
    case_file = open_case(services, ali, "Sara")
    (view,) = network_views(case_file, services.engine.localizer, "nb")
    for name in ("Mamma", "Mormor", "Kim", "Ali-trener", "Meg"):
        assert name in view.picture
    assert [line.ring for line in view.lines][:2] == ["Nær", "Nærmest"]


def test_fv_checkins_per_week_and_usefulness_trend(services, ali) -> None:
    """Nadia's three check-ins, newest first; the weekly means rise."""
    view = fv_view(open_case(services, ali, "Familien"), texts(services))
    assert [c.tried for c in view.checkins] == ["ikke ennå", "ja", "delvis"]
    assert view.checkins[0].component == "Fremme samarbeid med gode beskjeder"
    means = [w.mean for w in view.weeks]
    assert len(means) == 3 and means == sorted(means)


def test_evaluation_answers_and_decision(services, ali) -> None:
    """Jonas's evaluation: his three answers verbatim and the decision in words."""
    (view,) = evaluation_views(open_case(services, ali, "Jonas"), texts(services))
    assert view.answers[0][1].startswith("Ja, mye.")
    assert view.decision == "Tiltaket fortsetter med justeringer"


def test_transcripts_mark_voice_with_confidence(services, ali) -> None:
    """A confirmed voice note shows 🎤 with its confidence; times are shown."""
    case_file = open_case(services, ali, "Sara")
    found = conversations(
        case_file, services.conversations, services.content.flows, texts(services)
    )
    assert found is not None
    lines = [line for c in found for line in c.lines]
    voiced = [line for line in lines if line.mark.startswith("🎤")]
    assert voiced and voiced[0].answer == "Få en deltidsjobb ved siden av skolen"
    assert "0.84" in voiced[0].mark
    assert any("jeg orker ikke mer" in line.answer for line in lines)  # the flag, in place


def test_worker_led_tre_hus_is_stored_as_the_childs_conversation(services, ali) -> None:
    """Ali runs De tre husene with Omar; the houses result is Omar's, with his choices."""
    case_file = open_case(services, ali, "Familien")
    omar = next(p for p in case_file.people if p.participant.role == "child")
    assert "tre_hus" in [c.id for c in flow_choices(services, omar, texts(services))]
    meeting = WorkerLed(services, ali, case_file, omar)
    turn = meeting.start("tre_hus", {"variant": "slutt"})
    assert turn.question is not None
    meeting.press(("good",), "Ja")
    meeting.say("Vi spiser middag sammen")
    meeting.command(Command.STOP)
    houses = services.conversations.results_for(omar.participant.id)["houses"]
    latest = max(houses, key=lambda r: r.updated_at)
    assert latest.data["good"] == [{"text": "Vi spiser middag sammen"}]
    assert services.audit.entries()[-1].action == "worker_led.started"
