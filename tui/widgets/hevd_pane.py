"""HEVD: the youth's themes verbatim, ratings over time as a sparkline, what they do not want."""

from __future__ import annotations

from textual.widget import Widget

from tui import strings as s
from tui.i18n import Texts
from tui.viewmodels.hevd import HevdView, TopTheme
from tui.widgets.text import LazyPane, bullets, heading, muted, para


def top_line(theme: TopTheme, texts: Texts) -> str:
    numbers = " → ".join(str(r) for r in theme.ratings) or texts(s.HEVD_NO_RATING)
    spark = f"{theme.spark}  " if theme.spark else ""
    lines = [f"«{theme.text}»", f"   {spark}{numbers}"]
    lines += [f"   {texts(s.HEVD_HELPED)}: «{h}»" for h in theme.helped]
    return "\n".join(lines)


class HevdPane(LazyPane):
    def __init__(self, views: list[HevdView], texts: Texts) -> None:
        super().__init__(id="hevd-pane")
        self.views = views
        self.texts = texts

    def _hidden(self, view: HevdView) -> Widget:
        return muted(self.texts(s.HIDDEN, name=view.name))

    def build(self) -> list[Widget]:
        texts = self.texts
        if not self.views:
            return [muted(texts(s.NOTHING_YET))]
        out: list[Widget] = []
        for view in self.views:
            out.append(heading(view.name))
            out.append(para(texts(s.HEVD_THEMES), "subheading"))
            if view.themes is None:
                out.append(self._hidden(view))
            else:
                later, voice = f" {texts(s.HEVD_ADDED_LATER)}", f" {texts(s.TR_VOICE_PLAIN)}"
                out.append(
                    bullets(
                        f"«{text}»{later if added else ''}{voice if spoken else ''}"
                        for text, added, spoken in view.themes
                    )
                )
            out.append(para(texts(s.HEVD_TOP), "subheading"))
            if view.top is None:
                out.append(self._hidden(view))
            else:
                out.append(para("\n".join(top_line(t, texts) for t in view.top), "words"))
            out.append(para(texts(s.HEVD_NOT_WANTED), "subheading"))
            if view.not_wanted is None:
                out.append(self._hidden(view))
            else:
                out.append(bullets(f"«{t}»" for t in view.not_wanted))
            if view.corrections:
                out.append(para(texts(s.HEVD_CORRECTIONS), "subheading"))
                out.append(bullets(f"«{t}»" for t in view.corrections))
        return out
