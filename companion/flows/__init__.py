"""The flow engine: guided dialogues written as data, run as pure start/resume sprints.

Imports only the standard library and pydantic; no front end, no storage, no I/O.
"""

from companion.flows.definition import SPEC_VERSION, Flow
from companion.flows.engine import Engine, SessionNotResumable, Sprint, UnknownFlow
from companion.flows.inputs import (
    ChoiceInput,
    Command,
    CommandInput,
    ExpiryInput,
    Input,
    TextInput,
    TimeoutInput,
)
from companion.flows.loader import FlowLoadError, load_flows, parse_flow
from companion.flows.session import Session
from companion.flows.validation import Issue, validate_flow

__all__ = [
    "SPEC_VERSION",
    "ChoiceInput",
    "Command",
    "CommandInput",
    "Engine",
    "ExpiryInput",
    "Flow",
    "FlowLoadError",
    "Input",
    "Issue",
    "Session",
    "SessionNotResumable",
    "Sprint",
    "TextInput",
    "TimeoutInput",
    "UnknownFlow",
    "load_flows",
    "parse_flow",
    "validate_flow",
]
