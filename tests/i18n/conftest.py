"""Sample flows as a content pack on disk, and tmp copies of the shipped catalogs."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parents[1] / "flows"))

from sample_flows import ALL

from companion.i18n import extract
from companion.i18n.files import read_catalog, write_catalog
from companion.i18n.paths import LOCALES_DIR, po_path


@pytest.fixture(autouse=True)
def no_shipped_flows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Extraction sees only the engine and the test's packs, not the flows being written now."""
    empty = tmp_path / "shipped"
    empty.mkdir()
    monkeypatch.setattr(extract, "CONTENT_DIR", empty)


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A content pack holding the sample flows (``<pack>/flows/*.flow.yaml``)."""
    root = tmp_path / "pack"
    (root / "flows").mkdir(parents=True)
    for name, document in ALL.items():
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        (root / "flows" / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A copy of the shipped ``.po``/``.pot`` files (no ``.mo``), safe to modify."""
    target = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


@pytest.fixture
def translate_everything() -> Callable[[Path, str], None]:
    return _translate_everything


def _translate_everything(locales_dir: Path, locale: str) -> None:
    """Give every untranslated or fuzzy message a made-up translation (placeholders kept)."""
    path = po_path(locales_dir, locale)
    catalog = read_catalog(path, locale)
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = f"[{locale}] {message.id}"
            message.flags.discard("fuzzy")
    write_catalog(path, catalog)
