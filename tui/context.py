"""What every screen needs: the services, the TUI's data, texts; and who is signed in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from companion.accounts import Viewer
from companion.services import Services
from tui.data import TuiData
from tui.i18n import Texts
from tui.viewmodels.case_file import CaseFiles
from tui.viewmodels.cases import CaseList
from tui.viewmodels.flags import Flags


@dataclass(frozen=True)
class Context:
    services: Services
    data: TuiData
    texts: Texts
    export_dir: Path
    """Where plans and maps are exported."""
    poll_seconds: float
    """How often the store is checked for new safety flags (the bot writes from another process)."""


@dataclass(frozen=True)
class SignedIn:
    """A signed-in viewer with the view-models that enforce what they may see."""

    ctx: Context
    viewer: Viewer
    cases: CaseList
    files: CaseFiles
    flags: Flags

    @classmethod
    def start(cls, ctx: Context, viewer: Viewer) -> SignedIn:
        return cls(
            ctx=ctx,
            viewer=viewer,
            cases=CaseList(ctx.data.cases, viewer, ctx.texts),
            files=CaseFiles(ctx.services, ctx.data, viewer),
            flags=Flags(ctx.services, viewer),
        )

    @property
    def texts(self) -> Texts:
        return self.ctx.texts
