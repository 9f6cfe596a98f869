"""Editing a youth's tiltaksplan draft: load (saved, else from their answers), save, export."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from companion.access import AccessDenied
from companion.accounts import Viewer
from companion.services import Services
from companion.staff import StaffCases
from tui import strings as s
from tui.data.ports import PlanStore
from tui.data.records import StoredPlan
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFile, Person
from tui.viewmodels.plan import Plan, from_hevd, from_tiltaksplan
from tui.viewmodels.plan_export import to_html, to_markdown
from tui.viewmodels.transcripts import flow_title


def plan_person(case_file: CaseFile) -> Person | None:
    """Whose plan it is: the case's youth (or, failing that, its first participant)."""
    people = case_file.people
    return next((p for p in people if p.participant.role == "youth"), None) or (
        people[0] if people else None
    )


def slug(text: str) -> str:
    cleaned = re.sub(r"[^a-z0-9æøå]+", "-", text.casefold()).strip("-")
    return cleaned[:60] or "sak"


@dataclass
class PlanDraft:
    plan: Plan
    stored: StoredPlan | None
    source_flow: str | None
    """The flow whose answers filled an unsaved draft (None when it was saved or is empty)."""


class PlanEditor:
    """One case's plan for one youth."""

    def __init__(
        self,
        services: Services,
        store: PlanStore,
        viewer: Viewer,
        case_file: CaseFile,
        texts: Texts,
    ) -> None:
        self.services = services
        self.store = store
        self.viewer = viewer
        self.case_file = case_file
        self.texts = texts
        self.person = plan_person(case_file)

    @property
    def participant_id(self) -> str | None:
        return self.person.participant.id if self.person else None

    def load(self) -> PlanDraft:
        case_id = self.case_file.case.id
        if not self.editable:
            return PlanDraft(Plan(), None, None)
        stored = self.store.plan_for(case_id, self.participant_id)
        if stored is not None:
            return PlanDraft(Plan.from_data(stored.data), stored, None)
        if self.person is not None:
            made = self.person.latest("tiltaksplan")
            if made is not None:
                return PlanDraft(from_tiltaksplan(made.data), None, made.flow_id)
            hevd = self.person.latest("hevd")
            if hevd is not None:
                return PlanDraft(from_hevd(hevd.data), None, hevd.flow_id)
        return PlanDraft(Plan(), None, None)

    @property
    def editable(self) -> bool:
        """Only the case's own kontaktperson drafts, saves and exports the plan."""
        return self.case_file.audience == "kontaktperson" and self.person is not None

    def _check(self) -> None:
        if not self.editable:
            raise AccessDenied(self.case_file.case.id)
        StaffCases(self.services, self.viewer).own_case(self.case_file.case.id)  # in the core

    def save(self, plan: Plan) -> StoredPlan:
        self._check()
        stored = self.store.save_plan(
            self.case_file.case.id,
            self.participant_id,
            plan.to_data(),
            self.viewer.id,
            self.services.clock.now(),
        )
        self._audit("plan.saved", {"plan": stored.id})
        return stored

    def export(self, plan: Plan, directory: Path) -> list[Path]:
        """Write the plan as Markdown and HTML into ``directory``; return both paths."""
        self._check()
        name = self.person.name if self.person else self.case_file.case.title
        directory.mkdir(parents=True, exist_ok=True)
        base = directory / f"tiltaksplan-{slug(name)}"
        markdown, page = base.with_suffix(".md"), base.with_suffix(".html")
        markdown.write_text(to_markdown(plan, name, self.texts), encoding="utf-8")
        page.write_text(to_html(plan, name, self.texts), encoding="utf-8")
        self._audit("plan.exported", {"files": [markdown.name, page.name]})
        return [markdown, page]

    def describe(self, draft: PlanDraft) -> str:
        """One line under the editor: when it was saved, or where the draft came from."""
        if draft.stored is not None and draft.stored.updated_at is not None:
            worker = self.services.directory.get_caseworker(draft.stored.updated_by)
            who = worker.display_name if worker else "?"
            return self.texts(
                s.PLAN_LAST_SAVED, when=self.texts.datetime(draft.stored.updated_at), who=who
            )
        if draft.source_flow:
            flows = self.services.content.flows
            title = flow_title(flows, draft.source_flow, self.texts.localizer, self.texts.locale)
            return self.texts(s.PLAN_FROM_YOUTH, flow=title)
        return self.texts(s.PLAN_NOT_SAVED)

    def _audit(self, action: str, details: dict[str, object]) -> None:
        self.services.audit.append(
            self.viewer.username, action, self.case_file.case.id, {**details}
        )
