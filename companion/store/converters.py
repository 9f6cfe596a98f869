"""Rows <-> domain records, nothing else: the store's API never hands out a row (G16)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from companion.flows import Session
from companion.store.records import utc_text

M = TypeVar("M", bound=BaseModel)


def to_json(value: Any) -> str:
    """JSON text for a JSON column (dates and other pydantic-known types included)."""
    return json.dumps(to_jsonable_python(value), ensure_ascii=False)


def to_row(record: BaseModel, json_columns: Collection[str] = ()) -> dict[str, Any]:
    """A record as column values: UTC text for datetimes, 0/1 for booleans, JSON where named."""
    row: dict[str, Any] = {}
    for name in type(record).model_fields:
        value = getattr(record, name)
        if name in json_columns:
            row[name] = to_json(value)
        elif isinstance(value, datetime):
            row[name] = utc_text(value)
        elif isinstance(value, bool):
            row[name] = int(value)
        else:
            row[name] = value
    return row


def from_row(model: type[M], row: Mapping[str, Any], json_columns: Collection[str] = ()) -> M:
    """A record from a row; columns the record does not have (e.g. ``seq``) are left out."""
    values = {
        name: json.loads(row[name]) if name in json_columns else row[name]
        for name in model.model_fields
        if name in row
    }
    return model.model_validate(values)


def session_row(session: Session) -> dict[str, Any]:
    """The sessions row: the whole session as JSON plus the columns queries filter by."""
    return {
        "id": session.id,
        "participant_id": session.participant_id,
        "flow_id": session.flow_id,
        "status": session.status,
        "seq": session.seq,
        "created_at": utc_text(session.created_at),
        "updated_at": utc_text(session.updated_at),
        "timeout_at": utc_text(session.wait.timeout_at)
        if session.wait and session.wait.timeout_at
        else None,
        "expires_at": utc_text(session.expires_at),
        "data": session.model_dump_json(exclude_defaults=True),  # defaults refill on load
    }


def session_from_row(row: Mapping[str, Any]) -> Session:
    """The session stored in a row's JSON column."""
    return Session.model_validate_json(row["data"])
