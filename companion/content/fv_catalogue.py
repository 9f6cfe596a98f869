"""The Familieveiledning (FV) home-assignment catalogue: 14 components in 4 thematic pathways.

The catalogue is DRAFT content (``content/fv/components.yaml``): the real assignments are in the
restricted «Materiell til foreldre og barn» (003:4074-4076), and which components belong to which
pathway is our assumption (a [GAP] in the seeds). A service can point ``load_catalogue`` at its
own file with the licensed text.

The ordering rule (003:4010-4023): in each pathway the fixed components come first, in the order
given; after them any component may be added; «Gi trygge grenser» only after «Se det positive og
gi ros» or «Oppmuntre ved belønning». ``check_order`` says in plain words when a step breaks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from companion.content.yaml_files import read_yaml

CATALOGUE_PATH = Path(__file__).parent / "fv" / "components.yaml"
COMPONENT_COUNT = 14
PATHWAY_COUNT = 4

Slug = str


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Component(_Model):
    """One parenting skill or strategy, with a draft home assignment to do with the child."""

    id: Slug = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    number: int = Field(ge=1, le=COMPONENT_COUNT)
    name: str = Field(min_length=1)
    """The component's name, verbatim from the report (003:4976-5049)."""
    summary: str = Field(min_length=1)
    """One plain sentence saying what the component is about."""
    assignment: str = Field(min_length=1)
    """A plain-language home assignment (draft)."""
    simpler: str = Field(min_length=1)
    """A simpler or smaller variant of the assignment (003:4094-4095)."""
    check_in: str = Field(min_length=1)
    """A component-specific question for the check-in before the next meeting."""
    requires_any: tuple[Slug, ...] = ()
    """At least one of these must be done before this component (003:4015-4023)."""
    sources: tuple[str, ...] = Field(min_length=1)


class Pathway(_Model):
    """A thematic pathway: fixed components first, in order, then any supplement."""

    id: Slug = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    number: int = Field(ge=1, le=PATHWAY_COUNT)
    name: str = Field(min_length=1)
    when: str = Field(min_length=1)
    """When the pathway fits (from the BBiS «Foreldrenes omsorg» sub-areas, 003:4229-4281)."""
    fixed: tuple[Slug, ...] = Field(min_length=1)
    """Components done first, in this order."""
    suggested: tuple[Slug, ...] = ()
    """Components that often fit afterwards; any other component may also be added."""
    assumption: bool = True
    """True while the component-to-pathway table is our draft, not the owners' table."""
    sources: tuple[str, ...] = Field(min_length=1)


class Catalogue(_Model):
    """All components and pathways, checked for consistency when loaded."""

    status: Literal["draft", "reviewed"] = "draft"
    review_note: str = ""
    sources: tuple[str, ...] = ()
    ordering_rule: str = Field(min_length=1)
    components: tuple[Component, ...] = Field(
        min_length=COMPONENT_COUNT, max_length=COMPONENT_COUNT
    )
    pathways: tuple[Pathway, ...] = Field(min_length=PATHWAY_COUNT, max_length=PATHWAY_COUNT)

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        _unique("component id", [c.id for c in self.components])
        _unique("component number", [str(c.number) for c in self.components])
        _unique("pathway id", [p.id for p in self.pathways])
        _unique("pathway number", [str(p.number) for p in self.pathways])
        known = {c.id for c in self.components}
        for component in self.components:
            _known(known, component.requires_any, f"component '{component.id}' requires_any")
        for pathway in self.pathways:
            _known(known, pathway.fixed, f"pathway '{pathway.id}' fixed")
            _known(known, pathway.suggested, f"pathway '{pathway.id}' suggested")
            _unique(f"component in pathway '{pathway.id}'", [*pathway.fixed, *pathway.suggested])
            for position, component_id in enumerate(pathway.fixed):
                reason = self._requirement_reason(pathway.fixed[:position], component_id)
                if reason is not None:
                    raise ValueError(f"pathway '{pathway.id}' breaks its own order: {reason}")
        return self

    def component(self, component_id: str) -> Component:
        """The component with this id; ``KeyError`` names the known ids."""
        for component in self.components:
            if component.id == component_id:
                return component
        raise KeyError(f"unknown component '{component_id}' (known: {_ids(self.components)})")

    def pathway(self, pathway_id: str) -> Pathway:
        """The pathway with this id; ``KeyError`` names the known ids."""
        for pathway in self.pathways:
            if pathway.id == pathway_id:
                return pathway
        raise KeyError(f"unknown pathway '{pathway_id}' (known: {_ids(self.pathways)})")

    def check_order(self, done: Sequence[str], next_component: str, pathway: str) -> str | None:
        """Why ``next_component`` may not come next in ``pathway`` after ``done``, or ``None``.

        Repeating a component is allowed (several take more than one meeting, 003:3990-3991).
        Unknown ids raise ``KeyError``.
        """
        chosen = self.pathway(pathway)
        component = self.component(next_component)
        for component_id in done:
            self.component(component_id)
        finished = set(done)
        if component.id in chosen.fixed:
            earlier = chosen.fixed[: chosen.fixed.index(component.id)]
            missing = [c for c in earlier if c not in finished]
            if missing:
                return (
                    f"I forløpet «{chosen.name}» tas de faste komponentene først, i rekkefølge. "
                    f"Før «{component.name}» gjenstår: {self._names(missing)}."
                )
        else:
            missing = [c for c in chosen.fixed if c not in finished]
            if missing:
                return (
                    f"I forløpet «{chosen.name}» tas de faste komponentene først. "
                    f"Før andre komponenter gjenstår: {self._names(missing)}."
                )
        return self._requirement_reason(tuple(done), component.id)

    def _requirement_reason(self, done: Sequence[str], component_id: str) -> str | None:
        component = self.component(component_id)
        if not component.requires_any or set(component.requires_any) & set(done):
            return None
        options = " eller ".join(f"«{self.component(c).name}»" for c in component.requires_any)
        return f"«{component.name}» kommer først etter {options}."

    def _names(self, component_ids: Sequence[str]) -> str:
        return ", ".join(f"«{self.component(c).name}»" for c in component_ids)


def _unique(what: str, values: Sequence[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"the {what} '{value}' appears more than once")
        seen.add(value)


def _known(known: set[str], ids: Sequence[str], where: str) -> None:
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValueError(f"{where} names unknown components: {', '.join(unknown)}")


def _ids(items: Sequence[Component] | Sequence[Pathway]) -> str:
    return ", ".join(item.id for item in items)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and check the catalogue (the shipped draft unless ``path`` is given).

    Raises ``companion.content.yaml_files.ContentFileError`` for unreadable YAML and
    ``pydantic.ValidationError`` for content that breaks the rules above.
    """
    return Catalogue.model_validate(read_yaml(path or CATALOGUE_PATH))


@lru_cache(maxsize=1)
def _shipped() -> Catalogue:
    return load_catalogue()


def check_order(done: list[str], next_component: str, pathway: str) -> str | None:
    """Check the ordering rule against the shipped catalogue; a plain reason, or ``None``."""
    return _shipped().check_order(done, next_component, pathway)
