"""BabelLocalizer: translations with Bokmål fallback, catalog loading and CLDR formats."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from companion.flows.ports import Localizer
from companion.i18n.catalogs import run_compile
from companion.i18n.files import read_catalog, write_catalog
from companion.i18n.localizer import BabelLocalizer
from companion.i18n.paths import mo_path, po_path

SCALE = ("engine:hint:scale", "Svar med et tall fra {min} til {max}.")
STOP = ("engine:command:stop", "stopp, avslutt, slutt")


def _set(locales: Path, locale: str, context: str, string: str, fuzzy: bool = False) -> None:
    path = po_path(locales, locale)
    catalog = read_catalog(path, locale)
    message = next(m for m in catalog if m.context == context)
    message.string = string
    if fuzzy:
        message.flags.add("fuzzy")
    write_catalog(path, catalog)


def test_it_is_a_localizer(locales: Path) -> None:
    localizer: Localizer = BabelLocalizer(locales)
    assert localizer.text("nb", *SCALE) == SCALE[1]


def test_translates_engine_messages_to_nn_and_en(locales: Path) -> None:
    localizer = BabelLocalizer(locales)
    assert localizer.text("nn", *SCALE) == "Svar med eit tal frå {min} til {max}."
    assert localizer.text("en", *SCALE) == "Answer with a number from {min} to {max}."
    assert "stop" in localizer.text("en", *STOP).split(", ")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("nn-NO", "nn"), ("en_GB", "en"), ("EN", "en"), ("no", "nb"), ("de", "nb"), ("", "nb")],
)
def test_locale_tags_map_to_a_catalog_or_bokmal(locales: Path, locale: str, expected: str) -> None:
    assert BabelLocalizer(locales).language(locale) == expected


def test_falls_back_to_bokmal(locales: Path) -> None:
    _set(locales, "en", "engine:hint:number", "Type a number, please.", fuzzy=True)
    _set(locales, "en", "engine:hint:date_past", "")
    localizer = BabelLocalizer(locales)
    assert localizer.text("en", "engine:hint:number", "Skriv et tall.") == "Skriv et tall."
    assert localizer.text("en", "engine:hint:date_past", "X") == "X"
    assert localizer.text("en", "no:such:context", "Hei") == "Hei"
    assert localizer.text("en", "engine:hint:scale", "Changed Bokmål") == "Changed Bokmål"
    assert localizer.text("de", *SCALE) == SCALE[1]


def test_reads_po_without_mo_then_prefers_a_fresh_mo(locales: Path) -> None:
    assert not mo_path(locales, "en").exists()
    assert BabelLocalizer(locales).text("en", *SCALE).startswith("Answer")

    assert run_compile(locales, quiet=True) == 0
    _set(locales, "en", SCALE[0], "From the po {min} {max}")
    po, mo = po_path(locales, "en"), mo_path(locales, "en")
    os.utime(mo, ns=(po.stat().st_mtime_ns - 10**9,) * 2)  # the .mo is now older
    assert BabelLocalizer(locales).text("en", *SCALE) == "From the po {min} {max}"

    os.utime(mo, ns=(po.stat().st_mtime_ns + 10**9,) * 2)  # compiled after the edit
    assert BabelLocalizer(locales).text("en", *SCALE).startswith("Answer")


def test_mo_fallback_for_missing_strings(locales: Path) -> None:
    assert run_compile(locales, quiet=True) == 0
    po_path(locales, "en").unlink()
    localizer = BabelLocalizer(locales)
    assert localizer.text("en", *SCALE).startswith("Answer")
    assert localizer.text("en", "no:such:context", "Hei") == "Hei"


def test_content_pack_catalogs_override_shipped_ones(locales: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack_locales = pack / "locales"
    path = po_path(pack_locales, "en")
    path.parent.mkdir(parents=True)
    path.write_bytes(po_path(locales, "en").read_bytes())
    _set(pack_locales, "en", SCALE[0], "Pick {min}–{max}.")
    _set(pack_locales, "en", "engine:hint:number", "")
    localizer = BabelLocalizer(locales, extra_dirs=[pack])
    assert localizer.text("en", *SCALE) == "Pick {min}–{max}."
    assert localizer.text("en", "engine:hint:number", "Skriv et tall.") == "Type a number."


def test_numbers(locales: Path) -> None:
    localizer = BabelLocalizer(locales)
    assert localizer.format_number("nb", 1234.5) == "1\u00a0234,5"  # no-break space
    assert localizer.format_number("nn", 1234.5) == "1\u00a0234,5"
    assert localizer.format_number("en", 1234.5) == "1,234.5"
    assert localizer.format_number("en", 3.0) == "3"
    assert localizer.format_number("de", 1234.5) == "1\u00a0234,5"  # no catalog: nb formats


def test_lists(locales: Path) -> None:
    localizer = BabelLocalizer(locales)
    assert localizer.format_list("nb", ["a", "b", "c"]) == "a, b og c"
    assert localizer.format_list("nn", ["a", "b", "c"]) == "a, b og c"
    assert localizer.format_list("en", ["a", "b", "c"]) == "a, b and c"
    assert localizer.format_list("en", ["a"]) == "a"
    assert localizer.format_list("en", []) == ""


def test_dates_in_the_form_people_type(locales: Path) -> None:
    localizer = BabelLocalizer(locales)
    assert localizer.format_date("nb", date(2026, 1, 5)) == "05.01.2026"
    assert localizer.format_date("en", date(2026, 1, 5)) == "05/01/2026"
    assert localizer.format_date("xx", date(2026, 1, 5)) == "05.01.2026"


def test_datetimes_in_oslo_time(locales: Path) -> None:
    winter = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 5, 9, 0, tzinfo=UTC)
    localizer = BabelLocalizer(locales)
    assert localizer.format_datetime("nb", winter) == "05.01.2026, 10:00"
    assert localizer.format_datetime("nb", summer) == "05.07.2026, 11:00"
    assert BabelLocalizer(locales, timezone="UTC").format_datetime("en", winter).endswith("09:00")
