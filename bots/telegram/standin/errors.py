"""Bot API refusals, shaped like Telegram's error responses."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refused Bot API call: HTTP status, Telegram's description and optional retry_after."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """HTTP 400, which PTB raises as `BadRequest`."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """HTTP 403, which PTB raises as `Forbidden`."""
    return ApiError(403, f"Forbidden: {detail}")


def conflict(detail: str) -> ApiError:
    """HTTP 409, which PTB raises as `Conflict`."""
    return ApiError(409, f"Conflict: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """HTTP 429 with `parameters.retry_after`, which PTB raises as `RetryAfter`."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def for_status(status: int, retry_after: int) -> ApiError:
    """The error Telegram would send for an HTTP status (used by `fail_next`)."""
    if status == 429:
        return too_many_requests(retry_after)
    if status == 403:
        return forbidden("bot was blocked by the user")
    if status == 400:
        return bad_request("injected failure")
    if status == 401:
        return ApiError(401, "Unauthorized")
    if status == 409:
        return conflict("injected failure")
    if status == 502:
        return ApiError(502, "Bad Gateway")
    return ApiError(status, "Internal Server Error" if status == 500 else f"Error {status}")


class Described:
    """A successful result that Telegram answers with a `description` too (setWebhook etc.)."""

    def __init__(self, result: Any, description: str) -> None:
        self.result = result
        self.description = description
