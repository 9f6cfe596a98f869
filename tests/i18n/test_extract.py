"""The flow extractor, the Python extraction and babel.cfg agree with ``strings.localizable``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from sample_flows import ALL

from companion.flows import FlowLoadError, parse_flow, strings
from companion.flows.messages import ALL_MESSAGES, HELP
from companion.i18n.extract import FLOW_METHOD, extract_catalog, extract_flow

ROOT = Path(__file__).parents[2]


def _expected(name: str) -> list[tuple[str, str]]:
    return [(t.context, t.source) for t in strings.localizable(parse_flow(ALL[name], name))]


@pytest.mark.parametrize("name", sorted(ALL))
def test_extract_flow_yields_every_text_with_its_context(pack: Path, name: str) -> None:
    with (pack / "flows" / name).open("rb") as fileobj:
        found = list(extract_flow(fileobj, DEFAULT_KEYWORDS.keys(), [], {}))
    assert [messages for _, _, messages, _ in found] == _expected(name)
    assert {funcname for _, funcname, _, _ in found} == {"pgettext"}


def test_line_numbers_point_at_the_text(pack: Path) -> None:
    path = pack / "flows" / "tour.flow.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    with path.open("rb") as fileobj:
        found = {
            messages[0]: (line, comments)
            for line, _, messages, comments in extract_flow(
                fileobj, DEFAULT_KEYWORDS.keys(), [], {}
            )
        }
    line, comments = found["tour:rate:low_label"]
    assert "Dårlig" in lines[line - 1]
    assert comments == ["flow tour, node rate (question.scale): low_label"]
    line, _ = found["tour:pets:options.cat"]
    assert "Katt" in lines[line - 1]


def test_extract_catalog_walks_content_packs(pack: Path) -> None:
    catalog = extract_catalog([pack])
    for name in ALL:
        for context, source in _expected(name):
            message = catalog.get(source, context)
            assert message is not None, context
            assert message.locations[0][0] == f"pack/flows/{name}"


def test_python_extraction_finds_every_engine_message() -> None:
    catalog = extract_catalog()
    for context, source in ALL_MESSAGES:
        assert catalog.get(source, context) is not None, context
    # Implicitly concatenated literals come out whole.
    assert catalog.get(HELP[1], HELP[0]) is not None
    assert all(
        m.locations[0][0] == "companion/flows/messages.py"
        for m in catalog
        if (m.context or "").startswith("engine:")
    )


def test_translator_hints() -> None:
    catalog = extract_catalog()
    words = next(m for m in catalog if m.context == "engine:words:yes")
    scale = next(m for m in catalog if m.context == "engine:hint:scale")
    assert any("Comma-separated" in c for c in words.auto_comments)
    assert any("placeholders" in c for c in scale.auto_comments)


def test_invalid_flow_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "broken.flow.yaml").write_text("id: x\nnodes: [", encoding="utf-8")
    with pytest.raises(FlowLoadError, match=r"broken\.flow\.yaml"):
        extract_catalog([tmp_path])


def _cfg() -> tuple[list[tuple[str, str]], dict[str, dict[str, object]]]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fileobj:
        return parse_mapping_cfg(fileobj)


def _babel_extract(root: Path, sections: list[tuple[str, str]], options) -> set[tuple[str, str]]:
    found = extract_from_dir(root, sections, options, keywords=DEFAULT_KEYWORDS)
    return {(context, message) for _, _, message, _, context in found}


def test_babel_cfg_python_section_matches_extract_catalog() -> None:
    method_map, options_map = _cfg()
    python = [(pattern, method) for pattern, method in method_map if method == "python"]
    assert _babel_extract(ROOT, python, options_map) == {
        (m.context, m.id) for m in extract_catalog() if m.id
    }


def test_babel_cfg_flow_section_uses_the_flow_extractor(pack: Path, tmp_path: Path) -> None:
    method_map, options_map = _cfg()
    flows = [(pattern, method) for pattern, method in method_map if method != "python"]
    assert flows == [("companion/content/flows/*.flow.yaml", FLOW_METHOD)]
    shipped = tmp_path / "root" / "companion" / "content"
    shutil.copytree(pack, shipped)
    assert _babel_extract(tmp_path / "root", flows, options_map) == {
        pair for name in ALL for pair in _expected(name)
    }


def test_invalid_files_are_all_reported(tmp_path: Path) -> None:
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "a.flow.yaml").write_text("id: x\nnodes: [", encoding="utf-8")
    (tmp_path / "flows" / "b.flow.yaml").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(FlowLoadError) as caught:
        extract_catalog([tmp_path])
    assert [issue.source for issue in caught.value.issues] == ["a.flow.yaml", "b.flow.yaml"]
