"""Nettverkskart: the map drawn in characters, the list of people; Ctrl+E saves SVG and PNG."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.network import NetworkView, export_pictures
from tui.viewmodels.plan_editor import slug
from tui.widgets.text import LazyPane, bullets, heading, muted, para


class NetworkPane(LazyPane):
    def __init__(self, views: list[NetworkView], texts: Texts, export_dir: Path) -> None:
        super().__init__(id="network-pane")
        self.views = views
        self.texts = texts
        self.export_dir = export_dir

    def build(self) -> list[Widget]:
        t = self.texts
        if not self.views:
            return [muted(t(s.NET_NONE))]
        out: list[Widget] = []
        for view in self.views:
            out.append(heading(view.name))
            if view.people is None:
                out.append(muted(t(s.HIDDEN, name=view.name)))
                continue
            out.append(para(view.picture, "map"))
            out.append(muted(view.legend))
            out.append(para(t(s.NET_LIST), "subheading"))
            out.append(
                bullets(f"{p.name} – {p.category}, {p.ring}, {p.quality}" for p in view.lines)
            )
            if view.could_help:
                out.append(para(t(s.NET_COULD_HELP), "subheading"))
                out.append(para(f"«{view.could_help}»", "words"))
            if view.more_contact:
                out.append(para(t(s.NET_MORE_CONTACT), "subheading"))
                out.append(bullets(view.more_contact))
        return out

    def export(self) -> list[Path]:
        """Save every visible map as SVG and PNG."""
        paths: list[Path] = []
        localizer, locale = self.texts.localizer, self.texts.locale
        for view in self.views:
            stem = f"nettverkskart-{slug(view.name)}"
            paths += export_pictures(view, localizer, locale, self.export_dir, stem)
        if paths:
            self.notify(self.texts(s.NET_EXPORTED, paths=", ".join(str(p) for p in paths)))
        return paths
