"""extract → update → compile → check, on tmp copies of the shipped catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from babel.messages import Catalog
from babel.messages.mofile import read_mo

from companion.i18n import extract
from companion.i18n.catalogs import run_check, run_compile, run_extract, run_update
from companion.i18n.files import read_catalog, write_catalog
from companion.i18n.merge import merge
from companion.i18n.paths import SHIPPED_LOCALES, mo_path, po_path, pot_path


def _pipeline(locales: Path, pack: Path) -> None:
    assert run_extract(locales, [pack], quiet=True) == 0
    assert run_update(locales, quiet=True) == 0


def _edit_flow(pack: Path, old: str, new: str) -> None:
    path = pack / "flows" / "tour.flow.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def _drop_cat_option(pack: Path) -> None:
    path = pack / "flows" / "tour.flow.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    pets = next(node for node in document["nodes"] if node["id"] == "pets")
    pets["options"] = [o for o in pets["options"] if o["value"] != "cat"]
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


def test_extract_writes_the_pot_once(locales: Path, pack: Path, capsys) -> None:
    assert run_extract(locales, [pack]) == 0
    written = pot_path(locales).read_bytes()
    assert b'msgctxt "tour:rate:low_label"' in written
    assert run_extract(locales, [pack]) == 0
    assert "up to date" in capsys.readouterr().out
    assert pot_path(locales).read_bytes() == written


def test_update_keeps_translations_and_marks_changed_source_fuzzy(locales, pack) -> None:
    _pipeline(locales, pack)
    po = po_path(locales, "nn")
    catalog = read_catalog(po, "nn")
    catalog.get("Dårlig", "tour:rate:low_label").string = "Dårleg"
    catalog.get("Bra", "tour:rate:high_label").string = "Bra"
    write_catalog(po, catalog)

    _edit_flow(pack, "low_label: Dårlig", "low_label: Veldig dårlig")
    _pipeline(locales, pack)

    catalog = read_catalog(po, "nn")
    assert catalog.get("Bra", "tour:rate:high_label").string == "Bra"
    changed = catalog.get("Veldig dårlig", "tour:rate:low_label")
    assert changed.string == "Dårleg"
    assert changed.fuzzy
    assert changed.previous_id == ["Dårlig"]
    assert catalog.get("Dårlig", "tour:rate:low_label") is None
    # Engine translations survive the merge untouched.
    assert catalog.get("Skriv et tall.", "engine:hint:number").string == "Skriv eit tal."


def test_update_follows_a_renamed_node_by_its_text(locales, pack) -> None:
    _pipeline(locales, pack)
    po = po_path(locales, "en")
    catalog = read_catalog(po, "en")
    catalog.get("Hvor bra er «{item.text}» nå?", "tour:rate:prompt").string = "How good is it?"
    write_catalog(po, catalog)

    _edit_flow(pack, "id: rate", "id: rating")
    _edit_flow(pack, "body: rate", "body: rating")
    _pipeline(locales, pack)

    moved = read_catalog(po, "en").get("Hvor bra er «{item.text}» nå?", "tour:rating:prompt")
    assert moved.string == "How good is it?"
    assert moved.fuzzy


def test_check_fails_on_missing_and_passes_when_complete(
    locales, pack, capsys, translate_everything
) -> None:
    _pipeline(locales, pack)
    assert run_check(locales, [pack]) == 1
    out = capsys.readouterr().out
    total = len(extract.extract_catalog([pack]))
    assert f"/{total} (" in out and "(100%)" not in out.split("en:")[0]
    assert "  missing: " in out  # the sample flows are not translated yet

    for locale in SHIPPED_LOCALES:
        translate_everything(locales, locale)
    assert run_check(locales, [pack]) == 0
    out = capsys.readouterr().out
    assert "nn: " in out and "(100%)" in out and "missing" not in out


def test_check_counts_fuzzy_and_empty_as_missing_and_ignores_obsolete(
    locales, pack, capsys, translate_everything
):
    _pipeline(locales, pack)
    for locale in SHIPPED_LOCALES:
        translate_everything(locales, locale)
    _edit_flow(pack, "title: Omvisning", "title: Omvisningen")  # translation moves, as fuzzy
    _drop_cat_option(pack)  # its translation becomes obsolete
    _pipeline(locales, pack)
    catalog = read_catalog(po_path(locales, "en"), "en")
    catalog.get("Hund", "tour:pets:options.dog").string = ""
    write_catalog(po_path(locales, "en"), catalog)
    assert ("Omvisning", "tour::title") not in catalog.obsolete
    obsolete_here = [key for key in catalog.obsolete if str(key[1]).startswith("tour:")]
    assert obsolete_here == [("Katt", "tour:pets:options.cat")]

    assert run_check(locales, [pack]) == 1
    out = capsys.readouterr().out
    total = len([m for m in read_catalog(pot_path(locales)) if m.id])
    assert f"en: {total - 2}/{total} (" in out
    assert "tour::title" in out and "tour:pets:options.dog" in out
    assert f"nn: {total - 1}/{total} (" in out


def test_check_rejects_changed_placeholders(locales, pack, capsys, translate_everything) -> None:
    _pipeline(locales, pack)
    for locale in SHIPPED_LOCALES:
        translate_everything(locales, locale)
    catalog = read_catalog(po_path(locales, "en"), "en")
    catalog.get("Svar med et tall fra {min} til {max}.", "engine:hint:scale").string = "1 to {mx}"
    write_catalog(po_path(locales, "en"), catalog)
    assert run_check(locales, [pack], quiet=True) == 1
    assert "engine:hint:scale" in capsys.readouterr().err


def test_unshipped_locale_is_reported_but_does_not_fail(
    locales, pack, capsys, translate_everything
) -> None:
    _pipeline(locales, pack)
    for locale in SHIPPED_LOCALES:
        translate_everything(locales, locale)
    po = po_path(locales, "se")
    po.parent.mkdir(parents=True)
    po.write_text("", encoding="utf-8")
    assert run_update(locales, quiet=True) == 0
    assert run_check(locales, [pack]) == 0
    assert "se: 0/" in capsys.readouterr().out


def test_compile_writes_mo_without_fuzzy(locales, pack) -> None:
    _pipeline(locales, pack)
    catalog = read_catalog(po_path(locales, "nn"), "nn")
    catalog.get("Hund", "tour:pets:options.dog").string = "Hund"
    catalog.get("Katt", "tour:pets:options.cat").string = "Katt"
    catalog.get("Katt", "tour:pets:options.cat").flags.add("fuzzy")
    write_catalog(po_path(locales, "nn"), catalog)

    assert run_compile(locales, quiet=True) == 0
    with mo_path(locales, "nn").open("rb") as fileobj:
        compiled = {m.id for m in read_mo(fileobj) if m.id}
    assert "Hund" in compiled and "Katt" not in compiled


def test_update_without_pot_fails(tmp_path: Path, capsys) -> None:
    assert run_update(tmp_path) == 1
    assert "run `companion i18n extract` first" in capsys.readouterr().err


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_shipped_engine_messages_are_translated(locale: str) -> None:
    from companion.flows.messages import ALL_MESSAGES
    from companion.i18n.completeness import usable
    from companion.i18n.paths import LOCALES_DIR

    catalog = read_catalog(po_path(LOCALES_DIR, locale), locale)
    for context, source in ALL_MESSAGES:
        message = catalog.get(source, context)
        assert message is not None and usable(message), f"{locale}: {context}"


def test_merge_leaves_the_template_alone() -> None:
    template = Catalog()
    template.add("Ny tekst", context="f:n:text")
    first, second = Catalog(locale="nn"), Catalog(locale="en")
    first.add("Gammal tekst", "Gamal tekst", context="f:n:text")
    merge(first, template)
    merge(second, template)
    assert first.get("Ny tekst", "f:n:text").string == "Gamal tekst"
    assert not second.get("Ny tekst", "f:n:text").string
    assert not template.get("Ny tekst", "f:n:text").string
