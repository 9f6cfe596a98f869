"""Where catalogs and content live, and what the catalog files are called."""

from __future__ import annotations

from pathlib import Path

DOMAIN = "companion"
SOURCE_LOCALE = "nb"
"""Bokmål: flows and engine messages are written in it, so it needs no catalog."""
SHIPPED_LOCALES = ("nn", "en")
"""Locales whose catalogs ship with the package and must be complete."""

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CONTENT_DIR = PACKAGE_DIR / "content"
LOCALES_DIR = CONTENT_DIR / "locales"


def pot_path(locales_dir: Path) -> Path:
    return locales_dir / f"{DOMAIN}.pot"


def po_path(locales_dir: Path, locale: str) -> Path:
    return locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locales_dir: Path, locale: str) -> Path:
    return po_path(locales_dir, locale).with_suffix(".mo")


def catalog_locales(locales_dir: Path) -> list[str]:
    """Locales that have a ``.po`` or ``.mo`` catalog in ``locales_dir``, sorted."""
    if not locales_dir.is_dir():
        return []
    return sorted(
        child.name
        for child in locales_dir.iterdir()
        if po_path(locales_dir, child.name).is_file() or mo_path(locales_dir, child.name).is_file()
    )


def pack_locales_dir(pack_dir: Path) -> Path:
    """A content pack's catalogs: ``<pack>/locales`` if it exists, else the dir itself."""
    nested = pack_dir / "locales"
    return nested if nested.is_dir() else pack_dir
