"""Localization through Babel: the flow extractor, the catalog pipeline and the Localizer.

Bokmål (``nb``) is the source language; ``nn`` and ``en`` catalogs ship in
``companion/content/locales``. After changing flows or engine messages: ``companion i18n
extract`` (writes the ``.pot``), ``update`` (merges it into each ``.po``), translate the empty
and fuzzy entries, ``check``, then ``compile`` (``.mo`` files are build output). See
docs/STYLE.md G11.
"""

from companion.i18n.catalogs import run_check, run_compile, run_extract, run_update
from companion.i18n.extract import extract_catalog, extract_flow
from companion.i18n.localizer import BabelLocalizer
from companion.i18n.paths import DOMAIN, LOCALES_DIR, SHIPPED_LOCALES, SOURCE_LOCALE

__all__ = [
    "DOMAIN",
    "LOCALES_DIR",
    "SHIPPED_LOCALES",
    "SOURCE_LOCALE",
    "BabelLocalizer",
    "extract_catalog",
    "extract_flow",
    "run_check",
    "run_compile",
    "run_extract",
    "run_update",
]
