"""The Familieveiledning catalogue: 14 components, 4 pathways and the ordering rule."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from companion.content.fv_catalogue import (
    CATALOGUE_PATH,
    Catalogue,
    check_order,
    load_catalogue,
)

# Names verbatim from the final report, 003:4976-5049, in the order it presents them.
SEED_NAMES = [
    "Være sammen",
    "Bekrefte barnets følelser – fire steg",
    "Bekrefte barnets følelser – utdyping",
    "Skape en forutsigbar hverdag med rutiner",
    "Følge opp barnet",
    "Fremme samarbeid med gode beskjeder",
    "Se det positive og gi ros",
    "Oppmuntre ved belønning",
    "Lage tydelige regler",
    "Gi trygge grenser",
    "Stå sammen som foreldre",
    "Regulere egne følelser – strategier",
    "Regulere egne følelser – triggere",
    "Håndtere uenighet og konflikt med andre voksne",
]
# Pathway names as printed on the flipcharts, 003:4062-4064.
SEED_PATHWAYS = [
    "Forstå barnet bedre",
    "Struktur i hverdagen",
    "Samarbeid og konflikt: Foreldre og barn",
    "Samarbeid og konflikt: Foreldrerelasjonen",
]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_all_14_components_are_present_in_order(catalogue: Catalogue) -> None:
    ordered = sorted(catalogue.components, key=lambda c: c.number)
    assert [c.name for c in ordered] == SEED_NAMES
    assert [c.number for c in ordered] == list(range(1, 15))


def test_every_component_has_draft_texts_and_sources(catalogue: Catalogue) -> None:
    for component in catalogue.components:
        assert component.summary and component.assignment and component.simpler
        assert component.check_in.endswith("?")
        assert component.simpler != component.assignment
        assert all(s.startswith("003:") for s in component.sources)


def test_four_pathways_whose_components_exist(catalogue: Catalogue) -> None:
    assert [p.name for p in sorted(catalogue.pathways, key=lambda p: p.number)] == SEED_PATHWAYS
    known = {c.id for c in catalogue.components}
    for pathway in catalogue.pathways:
        assert pathway.fixed, pathway.id
        assert set(pathway.fixed) <= known
        assert set(pathway.suggested) <= known
        assert pathway.assumption, "the component-to-pathway table is a [GAP]: keep it marked"


def test_the_catalogue_is_marked_draft(catalogue: Catalogue) -> None:
    assert catalogue.status == "draft"
    header = CATALOGUE_PATH.read_text(encoding="utf-8").split("\nstatus:")[0]
    assert "DRAFT" in header
    assert "Materiell til foreldre og barn" in header


def test_trygge_grenser_requires_praise_or_reward(catalogue: Catalogue) -> None:
    grenser = catalogue.component("trygge_grenser")
    assert set(grenser.requires_any) == {"se_det_positive", "oppmuntre_ved_belonning"}


def test_trygge_grenser_is_refused_before_praise_or_reward() -> None:
    done = ["forutsigbar_hverdag_rutiner", "folge_opp_barnet", "gode_beskjeder"]
    reason = check_order(done, "trygge_grenser", "struktur_i_hverdagen")
    assert reason is not None
    assert "Se det positive og gi ros" in reason
    assert "Oppmuntre ved belønning" in reason


@pytest.mark.parametrize("first", ["se_det_positive", "oppmuntre_ved_belonning"])
def test_trygge_grenser_is_allowed_after_praise_or_reward(first: str) -> None:
    done = ["forutsigbar_hverdag_rutiner", "folge_opp_barnet", "gode_beskjeder", first]
    assert check_order(done, "trygge_grenser", "struktur_i_hverdagen") is None


def test_fixed_components_come_first_in_order() -> None:
    pathway = "samarbeid_konflikt_foreldre_barn"
    assert check_order([], "se_det_positive", pathway) is None
    skipped = check_order([], "gode_beskjeder", pathway)
    assert skipped is not None and "Se det positive og gi ros" in skipped
    early = check_order(["se_det_positive"], "vaere_sammen", pathway)
    assert early is not None and "faste komponentene først" in early
    fixed = ["se_det_positive", "gode_beskjeder", "tydelige_regler", "trygge_grenser"]
    assert check_order(fixed, "vaere_sammen", pathway) is None
    # Any component may supplement the fixed ones, also one not in the suggested list.
    assert check_order(fixed, "sta_sammen_som_foreldre", pathway) is None


def test_a_component_may_be_repeated() -> None:
    assert check_order(["vaere_sammen"], "vaere_sammen", "forsta_barnet_bedre") is None


def test_every_pathway_can_be_followed_in_its_fixed_order(catalogue: Catalogue) -> None:
    for pathway in catalogue.pathways:
        done: list[str] = []
        for component_id in pathway.fixed:
            assert catalogue.check_order(done, component_id, pathway.id) is None
            done.append(component_id)


def test_unknown_ids_raise(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError, match="unknown pathway"):
        catalogue.check_order([], "vaere_sammen", "nope")
    with pytest.raises(KeyError, match="unknown component"):
        catalogue.check_order([], "nope", "forsta_barnet_bedre")


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "components.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_a_pathway_that_breaks_the_rule_is_rejected(tmp_path: Path) -> None:
    document = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    document["pathways"][2]["fixed"] = ["trygge_grenser", "se_det_positive"]
    with pytest.raises(ValidationError, match="breaks its own order"):
        load_catalogue(_write(tmp_path, document))


def test_unknown_components_in_a_pathway_are_rejected(tmp_path: Path) -> None:
    document = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    document["pathways"][0]["suggested"] = ["finnes_ikke"]
    with pytest.raises(ValidationError, match="finnes_ikke"):
        load_catalogue(_write(tmp_path, document))
