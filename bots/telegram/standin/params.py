"""Bot API request parameters from a query string, form, multipart or JSON body."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from bots.telegram.standin.errors import ApiError, bad_request

# Fields PTB sends JSON-encoded inside form values.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
    }
)
_INT_FIELDS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "timeout",
        "duration",
        "cache_time",
        "max_connections",
        "message_thread_id",
        "width",
        "height",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_content_type_detection",
        "allow_sending_without_reply",
        "has_spoiler",
    }
)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """One uploaded multipart file."""

    filename: str
    content_type: str
    data: bytes


class Params:
    """Typed access to one call's parameters, refusing bad values the way Telegram does."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload]) -> None:
        self.values = values
        self.uploads = uploads

    def decoded(self) -> dict[str, Any]:
        """All parameters with JSON, integer and boolean fields decoded (for `SentCall.params`)."""
        out: dict[str, Any] = {}
        for name, value in self.values.items():
            try:
                if name in JSON_FIELDS:
                    out[name] = self.json_value(name)
                elif name in _INT_FIELDS or name == "chat_id":
                    out[name] = self.integer(name)
                elif name in _BOOL_FIELDS:
                    out[name] = self.flag(name)
                else:
                    out[name] = value
            except ApiError:
                out[name] = value
        return out

    def string(self, name: str) -> str | None:
        """A string parameter, or None when absent."""
        value = self.values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str) -> int | None:
        """An integer parameter, or None when absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        if isinstance(value, int):
            return value
        try:
            return int(float(value)) if isinstance(value, float) else int(str(value))
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def number(self, name: str) -> float | None:
        """A number parameter, or None when absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        """A boolean parameter; absent means False, like Telegram."""
        value = self.values.get(name)
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1") if value is not None else False

    def json_value(self, name: str) -> Any:
        """A JSON-valued parameter (PTB sends these JSON-encoded in form values)."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            what = "reply keyboard markup" if name == "reply_markup" else name
            raise bad_request(f"can't parse {what} JSON object") from None

    def chat_id(self) -> int:
        """The required `chat_id`; usernames are unknown here, so they are 'chat not found'."""
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value))
        except ValueError:
            raise bad_request("chat not found") from None

    def message_id(self) -> int:
        """The required `message_id` of an existing message."""
        value = self.integer("message_id")
        if value is None:
            raise bad_request("message identifier is not specified")
        return value

    def input_file(self, name: str) -> Upload | str | None:
        """An uploaded file, an `attach://` reference to one, or a file_id/URL string."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.string(name)
        if value and value.startswith("attach://"):
            return self.uploads.get(value.removeprefix("attach://"))
        return value or None


async def read_params(request: web.Request) -> Params:
    """Parameters from the query string and a form, multipart or JSON body, as Telegram accepts."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if not request.body_exists:
        return Params(values, uploads)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON encoded request") from None
        if not isinstance(body, dict):
            raise bad_request("JSON object expected as request body")
        values.update(body)
    elif request.content_type == "multipart/form-data":
        await _read_multipart(request, values, uploads)
    else:
        form = await request.post()
        values.update({key: value for key, value in form.items() if isinstance(value, str)})
    return Params(values, uploads)


async def _read_multipart(
    request: web.Request, values: dict[str, Any], uploads: dict[str, Upload]
) -> None:
    """Read parts by hand: a part with a filename is a file, whatever its content type."""
    reader = await request.multipart()
    total = 0
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        data = bytes(await part.read())
        total += len(data)
        if total > MAX_UPLOAD_BYTES:
            raise ApiError(413, "Request Entity Too Large")
        if part.filename is not None:
            content_type = part.headers.get("Content-Type", "application/octet-stream")
            uploads[part.name] = Upload(part.filename, content_type, data)
        else:
            values[part.name] = data.decode("utf-8", errors="replace")
