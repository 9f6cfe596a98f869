"""Find a scalable font with Norwegian letters for the PNG renderer."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

_DIRS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu
    "/usr/share/fonts/dejavu",  # Fedora
    "/usr/share/fonts/TTF",  # Arch
    "/usr/local/share/fonts",
    "/Library/Fonts",
)


def _candidates(bold: bool) -> list[Path]:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    paths = [Path(d) / name for d in _DIRS]
    # matplotlib bundles DejaVu Sans; use it when it happens to be installed.
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.origin is not None:
        paths.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / name)
    return paths


@lru_cache(maxsize=64)
def load_font(size: int, bold: bool = False) -> Font:
    """DejaVu Sans at ``size`` pixels if present, else Pillow's built-in scalable font."""
    for path in _candidates(bold):
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    if bold:
        return load_font(size, bold=False)
    try:
        # Pillow also searches the system font folders by file name.
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        # Scales, but lacks æøå; see has_norwegian_letters().
        return ImageFont.load_default(size=size)


def has_norwegian_letters(font: Font) -> bool:
    """Whether the font draws æøå as real glyphs rather than the missing-glyph box."""
    if not isinstance(font, ImageFont.FreeTypeFont):
        return False
    missing = bytes(font.getmask("\uffff"))
    return all(bytes(font.getmask(c)) != missing for c in "æøåÆØÅ")
