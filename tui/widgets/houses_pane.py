"""De tre husene: three columns of the child's own words, and who may see each house."""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.widget import Widget

from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.houses import House, HousesView
from tui.widgets.text import LazyPane, bullets, heading, muted, para


def _column(house: House, texts: Texts, name: str) -> Vertical:
    parts: list[Widget] = [para(house.title, "subheading")]
    if house.words is None:
        parts.append(muted(texts(s.HIDDEN, name=name)))
    elif house.words:
        parts.append(bullets(f"«{w}»" for w in house.words))
    else:
        parts.append(muted(texts(s.HOUSE_EMPTY)))
    if house.how:
        parts.append(muted(house.how))
    parts.append(para(house.who, f"who who-{house.key}"))
    return Vertical(*parts, classes="house")


class HousesPane(LazyPane):
    def __init__(self, views: list[HousesView], texts: Texts) -> None:
        super().__init__(id="houses-pane")
        self.views = views
        self.texts = texts

    def build(self) -> list[Widget]:
        t = self.texts
        if not self.views:
            return [muted(t(s.NOTHING_YET))]
        out: list[Widget] = []
        for view in self.views:
            out.append(heading(f"{view.name} · {view.heading}"))
            out.append(
                Horizontal(*(_column(h, t, view.name) for h in view.houses), classes="houses")
            )
            if view.change_rating is not None:
                out.append(para(t(s.HOUSE_RATING, value=view.change_rating)))
            if view.changed:
                out.append(para(t(s.HOUSE_CHANGED), "subheading"))
                out.append(bullets(f"«{w}»" for w in view.changed))
        return out
