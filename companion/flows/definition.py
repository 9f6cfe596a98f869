"""The flow definition: what a flow file says, as strict, frozen pydantic models.

A flow is a list of nodes. Nodes that need the person's input (questions, collect, confirm,
visibility, consent) are *waits*; the engine stops there until the next input arrives. Every
node names the node that comes next; a missing ``next`` ends the flow.

Question nodes are told apart by ``type: question`` plus ``kind``; all other nodes by ``type``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
    model_validator,
)

from companion.flows.conditions import Condition

SPEC_VERSION = 1
"""The flow file format this engine reads. Older documents are upgraded by ``migrations``."""

MAX_NODES_PER_FLOW = 500
MAX_OPTIONS = 30
MAX_COLLECT_ITEMS = 50
MAX_TEXT_LENGTH = 4000

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
NodeId = Slug
FlowId = Slug
ResultName = Slug
FieldName = Slug

QUESTION_KINDS = ("text", "choice", "multi_choice", "scale", "yes_no", "number", "date")
Audience = Literal["kontaktperson", "parents", "youth", "child", "leader"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SaveTo(_Model):
    """Where an accepted answer goes in a structured result.

    Example:
        save: {result: hevd, field: not_wanted, mode: append}
    """

    result: ResultName | None = None
    """The result artefact; defaults to the flow's ``default_result``."""
    field: FieldName
    """The field inside the result."""
    mode: Literal["set", "append", "extend", "record"] = "set"
    """``set`` replaces, ``append`` adds one value to a list, ``extend`` adds several,
    ``record`` appends ``{value, at}`` (a history, e.g. ratings over time)."""
    item: bool = False
    """Save onto the current loop item (``for each person …``) instead of the result."""


class ListRef(_Model):
    """A reference to a list in a structured result, e.g. the collected themes."""

    result: ResultName | None = None
    field: FieldName


class Option(_Model):
    """One answer option of a choice question."""

    value: Slug
    label: str
    next: NodeId | None = None
    """Optional jump when this option is chosen (single choice only)."""


class Timeout(_Model):
    """A deadline for a wait, stored in the session (no in-memory timers)."""

    after_seconds: int = Field(ge=60, le=60 * 60 * 24 * 60)
    next: NodeId | None = None
    """Where to go when the deadline passes; ``None`` re-asks the question once as a reminder."""
    reminder: str | None = None
    """What to say before asking again."""


class _Node(_Model):
    id: NodeId
    help: str | None = None
    """Shown when the person asks for help at this node."""


class MessageNode(_Node):
    """Say something and move on.

    Example:
        {type: message, id: hello, text: "Hei! Dette tar omtrent fem minutter.", next: ask}
    """

    type: Literal["message"]
    text: str = Field(min_length=1)
    next: NodeId | None = None


class _Question(_Node):
    type: Literal["question"]
    prompt: str = Field(min_length=1)
    optional: bool = False
    """May the person skip it?"""
    save: SaveTo | None = None
    next: NodeId | None = None
    timeout: Timeout | None = None


class TextQuestion(_Question):
    """Free text in the person's own words (voice notes arrive here as confirmed text).

    Example:
        {type: question, kind: text, id: ask_name, prompt: "Hva vil du at jeg skal kalle deg?"}
    """

    kind: Literal["text"]
    voice: bool = True
    max_length: int = Field(default=2000, ge=1, le=MAX_TEXT_LENGTH)


class ChoiceQuestion(_Question):
    """Pick one option (buttons in chat, a number or the label in text).

    Example:
        {type: question, kind: choice, id: lang, prompt: "Språk?",
         options: [{value: nb, label: Bokmål}, {value: nn, label: Nynorsk}]}
    """

    kind: Literal["choice"]
    options: tuple[Option, ...] = Field(min_length=2, max_length=MAX_OPTIONS)


class MultiChoiceQuestion(_Question):
    """Pick several options, either fixed ones or items of a collected list.

    Example:
        {type: question, kind: multi_choice, id: top, prompt: "Velg opptil tre.",
         options_from: {field: themes}, max_choices: 3}
    """

    kind: Literal["multi_choice"]
    options: tuple[Option, ...] = ()
    options_from: ListRef | None = None
    min_choices: int = Field(default=1, ge=0)
    max_choices: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_source(self) -> MultiChoiceQuestion:
        if bool(self.options) == (self.options_from is not None):
            raise ValueError("give either 'options' or 'options_from', not both or neither")
        if self.max_choices is not None and self.max_choices < self.min_choices:
            raise ValueError("'max_choices' is smaller than 'min_choices'")
        return self


class ScaleQuestion(_Question):
    """A number on a scale with labelled ends; ``faces`` shows five faces for children.

    Example:
        {type: question, kind: scale, id: rate, prompt: "Hvor bra er det nå?", min: 1, max: 10,
         low_label: "Veldig dårlig", high_label: "Veldig bra"}
    """

    kind: Literal["scale"]
    min: int = Field(default=1, ge=0, le=10)
    max: int = Field(default=10, ge=1, le=10)
    low_label: str = Field(min_length=1)
    high_label: str = Field(min_length=1)
    faces: bool = False

    @model_validator(mode="after")
    def _range(self) -> ScaleQuestion:
        if self.max <= self.min:
            raise ValueError(f"'max' ({self.max}) must be larger than 'min' ({self.min})")
        if self.faces and (self.min, self.max) != (1, 5):
            raise ValueError("a face scale goes from 1 to 5")
        return self


class YesNoQuestion(_Question):
    """Yes or no.

    Example:
        {type: question, kind: yes_no, id: tried, prompt: "Fikk du prøvd det?"}
    """

    kind: Literal["yes_no"]
    yes_next: NodeId | None = None
    no_next: NodeId | None = None


class NumberQuestion(_Question):
    """A number, optionally within bounds.

    Example:
        {type: question, kind: number, id: age, prompt: "Hvor gammel er du?", min: 4, max: 30}
    """

    kind: Literal["number"]
    min: float | None = None
    max: float | None = None
    integer: bool = True


class DateQuestion(_Question):
    """A calendar date (``31.12.2026`` or ``2026-12-31``).

    Example:
        {type: question, kind: date, id: when, prompt: "Når skal vi se på det igjen?",
         allow_past: false}
    """

    kind: Literal["date"]
    allow_past: bool = True
    allow_future: bool = True


class CollectNode(_Node):
    """Collect a list, asking «anything else?» until the person is done or the maximum is reached.

    Example:
        {type: collect, id: themes, prompt: "Hva er viktig for deg?", more_prompt: "Er det noe mer?",
         done_label: "Nei, det er alt", save: {field: themes, mode: extend}, max_items: 10}
    """

    type: Literal["collect"]
    prompt: str = Field(min_length=1)
    more_prompt: str = Field(min_length=1)
    done_label: str = Field(min_length=1)
    min_items: int = Field(default=1, ge=0)
    max_items: int = Field(default=10, ge=1, le=MAX_COLLECT_ITEMS)
    item_fields: dict[FieldName, str | int | bool] = Field(default_factory=dict)
    """Constant fields added to every item (e.g. ``category: venner``)."""
    voice: bool = True
    save: SaveTo | None = None
    next: NodeId | None = None
    timeout: Timeout | None = None

    @model_validator(mode="after")
    def _bounds(self) -> CollectNode:
        if self.min_items > self.max_items:
            raise ValueError("'min_items' is larger than 'max_items'")
        return self


class LoopNode(_Node):
    """Run the ``body`` nodes once for every item of a list; the body ends by going back here.

    Example:
        {type: loop, id: each_person, over: {field: people}, body: ask_closeness, next: summary}
    """

    type: Literal["loop"]
    over: ListRef
    body: NodeId
    next: NodeId | None = None


class Case(_Model):
    when: Condition
    next: NodeId


class BranchNode(_Node):
    """Go to the first case whose condition holds, otherwise to ``default``.

    Example:
        {type: branch, id: any_themes, cases: [{when: {ref: results.hevd.themes, is_empty: true},
         next: offer_prompts}], default: pick_top}
    """

    type: Literal["branch"]
    cases: tuple[Case, ...] = Field(min_length=1)
    default: NodeId


class ConfirmNode(_Node):
    """Read the person's own words back and ask «Did I get this right?».

    Example:
        {type: confirm, id: readback, text: "Du skrev:\\n{results.hevd.themes|bullets}\\nStemmer det?",
         yes_label: "Ja", no_label: "Nei, endre", on_no: edit_themes, next: visibility}
    """

    type: Literal["confirm"]
    text: str = Field(min_length=1)
    yes_label: str = Field(min_length=1)
    no_label: str = Field(min_length=1)
    on_no: NodeId
    next: NodeId | None = None
    timeout: Timeout | None = None


class VisibilityOption(_Model):
    value: Slug
    label: str
    audiences: tuple[Audience, ...] = Field(min_length=1)


class VisibilityNode(_Node):
    """Ask who may see an answer and record it next to the answer.

    Example:
        {type: visibility, id: who_sees, prompt: "Hvem kan se dette?", applies_to: [{field: worries}],
         options: [{value: kp, label: "Bare kontaktpersonen", audiences: [kontaktperson]}]}
    """

    type: Literal["visibility"]
    prompt: str = Field(min_length=1)
    applies_to: tuple[ListRef, ...] = Field(min_length=1)
    options: tuple[VisibilityOption, ...] = Field(min_length=1, max_length=MAX_OPTIONS)
    next: NodeId | None = None
    timeout: Timeout | None = None


class ConsentNode(_Node):
    """Ask for explicit consent, recorded with the text version the person saw.

    Example:
        {type: consent, id: consent, consent: onboarding, version: "2026-11-draft",
         prompt: "Er det greit for deg?", yes_label: "Ja", no_label: "Nei", on_decline: bye}
    """

    type: Literal["consent"]
    consent: Slug
    version: str = Field(min_length=1, max_length=64)
    prompt: str = Field(min_length=1)
    yes_label: str = Field(min_length=1)
    no_label: str = Field(min_length=1)
    next: NodeId | None = None
    on_decline: NodeId | None = None
    save: SaveTo | None = None
    """Also keep the yes/no in a result (the consents register always gets it)."""
    timeout: Timeout | None = None


class FlagNode(_Node):
    """Raise a flag for the caseworker (e.g. the person asked for help now).

    Example:
        {type: flag, id: raise_flag, severity: high, reason: asked_for_help, next: safety_text}
    """

    type: Literal["flag"]
    severity: Literal["low", "high"]
    reason: Slug
    next: NodeId | None = None


class SetNode(_Node):
    """Save a fixed value (or a filled-in template) without asking, e.g. a param into a result.

    Example:
        {type: set, id: keep_assignment, save: {field: assignment}, value: "{params.assignment}"}
    """

    type: Literal["set"]
    save: SaveTo
    value: str | int | float | bool
    """Text may use placeholders; it is filled in from the session when the node runs."""
    next: NodeId | None = None


class SubflowNode(_Node):
    """Run another flow, then continue here with ``next``.

    Example:
        {type: subflow, id: goals, flow: hevd_goals, next: bye}
    """

    type: Literal["subflow"]
    flow: FlowId
    next: NodeId | None = None


class EndNode(_Node):
    """End the flow, optionally with a last message.

    Example:
        {type: end, id: bye, text: "Takk! Kontaktpersonen din ser svarene før neste møte."}
    """

    type: Literal["end"]
    text: str | None = None


Question = (
    TextQuestion
    | ChoiceQuestion
    | MultiChoiceQuestion
    | ScaleQuestion
    | YesNoQuestion
    | NumberQuestion
    | DateQuestion
)

_QUESTION_CLASSES: dict[str, type[_Question]] = {
    "text": TextQuestion,
    "choice": ChoiceQuestion,
    "multi_choice": MultiChoiceQuestion,
    "scale": ScaleQuestion,
    "yes_no": YesNoQuestion,
    "number": NumberQuestion,
    "date": DateQuestion,
}
_OTHER_NODE_CLASSES: dict[str, type[_Node]] = {
    "message": MessageNode,
    "collect": CollectNode,
    "loop": LoopNode,
    "branch": BranchNode,
    "confirm": ConfirmNode,
    "visibility": VisibilityNode,
    "consent": ConsentNode,
    "flag": FlagNode,
    "set": SetNode,
    "subflow": SubflowNode,
    "end": EndNode,
}
NODE_TYPES = ("question", *_OTHER_NODE_CLASSES)


def node_tag(raw: Any) -> str | None:
    """The discriminator of a raw or parsed node: its ``type``, or ``question.<kind>``."""
    node_type = _attr(raw, "type")
    if node_type == "question":
        return f"question.{_attr(raw, 'kind')}"
    return node_type if isinstance(node_type, str) else None


def _attr(raw: Any, key: str) -> Any:
    return raw.get(key) if isinstance(raw, dict) else getattr(raw, key, None)


Node = Annotated[
    Annotated[TextQuestion, Tag("question.text")]
    | Annotated[ChoiceQuestion, Tag("question.choice")]
    | Annotated[MultiChoiceQuestion, Tag("question.multi_choice")]
    | Annotated[ScaleQuestion, Tag("question.scale")]
    | Annotated[YesNoQuestion, Tag("question.yes_no")]
    | Annotated[NumberQuestion, Tag("question.number")]
    | Annotated[DateQuestion, Tag("question.date")]
    | Annotated[MessageNode, Tag("message")]
    | Annotated[CollectNode, Tag("collect")]
    | Annotated[LoopNode, Tag("loop")]
    | Annotated[BranchNode, Tag("branch")]
    | Annotated[ConfirmNode, Tag("confirm")]
    | Annotated[VisibilityNode, Tag("visibility")]
    | Annotated[ConsentNode, Tag("consent")]
    | Annotated[FlagNode, Tag("flag")]
    | Annotated[SetNode, Tag("set")]
    | Annotated[SubflowNode, Tag("subflow")]
    | Annotated[EndNode, Tag("end")],
    Discriminator(node_tag),
]

WAIT_NODE_TYPES: tuple[type[_Node], ...] = (
    *_QUESTION_CLASSES.values(),
    CollectNode,
    ConfirmNode,
    VisibilityNode,
    ConsentNode,
)


class FieldSpec(_Model):
    """One field of a structured result, documented for the caseworker views."""

    type: Literal["text", "number", "date", "boolean", "choice", "list", "mapping"]
    description: str = ""


class ResultSpec(_Model):
    """A structured result (an artefact per tool: themes, network map, houses, check-in …)."""

    description: str = ""
    fields: dict[FieldName, FieldSpec] = Field(min_length=1)


class Param(_Model):
    """A setting a service may change per start without editing the flow."""

    default: str | int | bool | None
    description: str = ""


class Flow(_Model):
    """A whole guided dialogue."""

    spec_version: Literal[1]
    id: FlowId
    title: str = Field(min_length=1)
    description: str = ""
    audience: tuple[Literal["youth", "parent", "child", "caseworker"], ...] = Field(min_length=1)
    status: Literal["draft", "reviewed"] = "draft"
    """Content written without the model's handbooks is ``draft`` until its owners review it."""
    review_note: str = ""
    sources: tuple[str, ...] = ()
    """Seed lines this flow follows, e.g. ``003:3691-3720``."""
    default_result: ResultName | None = None
    results: dict[ResultName, ResultSpec] = Field(default_factory=dict)
    params: dict[Slug, Param] = Field(default_factory=dict)
    expires_after_seconds: int = Field(default=60 * 60 * 24 * 30, ge=3600)
    entry: NodeId
    nodes: tuple[Node, ...] = Field(min_length=1, max_length=MAX_NODES_PER_FLOW)

    _index: dict[str, Any] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._index = {node.id: node for node in self.nodes}

    def node(self, node_id: str) -> Any:
        """The node with this id (``KeyError`` if none; validation guarantees ``next`` targets)."""
        return self._index[node_id]

    def has_node(self, node_id: str) -> bool:
        return node_id in self._index
