"""Stored files: uploads and voice notes, getFile and the file download path."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bots.telegram.standin.errors import bad_request

if TYPE_CHECKING:
    from bots.telegram.standin.params import Params
    from bots.telegram.standin.state import StandInState

# Telegram lets bots download files up to 20 MB through getFile.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
_FOLDERS = {"voice": ("voice", "oga"), "photo": ("photos", "jpg"), "document": ("documents", "")}


@dataclass(frozen=True)
class StoredFile:
    """One file Telegram holds, as getFile describes it."""

    file_id: str
    file_unique_id: str
    file_path: str
    kind: str
    data: bytes
    mime_type: str
    file_name: str | None = None
    width: int = 0
    height: int = 0

    def as_file(self) -> dict[str, Any]:
        """The Bot API `File` object."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


class FileStore:
    """Files by file_id and by download path."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def add(
        self,
        data: bytes,
        *,
        kind: str,
        mime_type: str,
        file_name: str | None = None,
        size: tuple[int, int] = (0, 0),
    ) -> StoredFile:
        """Store bytes under a fresh file_id and download path."""
        folder, extension = _FOLDERS[kind]
        if not extension and file_name and "." in file_name:
            extension = file_name.rsplit(".", 1)[1]
        with self._lock:
            number = len(self._by_id)
            stored = StoredFile(
                file_id=f"{kind[:2].upper()}ACAgIAAxk{secrets.token_urlsafe(24)}",
                file_unique_id=f"AgAD{secrets.token_urlsafe(9)}",
                file_path=f"{folder}/file_{number}" + (f".{extension}" if extension else ""),
                kind=kind,
                data=data,
                mime_type=mime_type,
                file_name=file_name,
                width=size[0],
                height=size[1],
            )
            self._by_id[stored.file_id] = stored
            self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        """The file with this file_id, if any."""
        with self._lock:
            return self._by_id.get(file_id)

    def at_path(self, file_path: str) -> StoredFile | None:
        """The file at this download path, if any."""
        with self._lock:
            return self._by_path.get(file_path)


def voice_json(stored: StoredFile, duration: int) -> dict[str, Any]:
    """The Bot API `Voice` object."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "duration": duration,
        "mime_type": stored.mime_type,
        "file_size": len(stored.data),
    }


def document_json(stored: StoredFile) -> dict[str, Any]:
    """The Bot API `Document` object."""
    body: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "mime_type": stored.mime_type,
        "file_size": len(stored.data),
    }
    if stored.file_name:
        body["file_name"] = stored.file_name
    return body


def photo_json(stored: StoredFile) -> list[dict[str, Any]]:
    """The Bot API photo: a list of `PhotoSize` (here only the original size)."""
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": stored.width,
            "height": stored.height,
            "file_size": len(stored.data),
        }
    ]


def get_file(state: StandInState, params: Params) -> dict[str, Any]:
    """getFile: a `File` with the path to download it from."""
    file_id = params.string("file_id")
    stored = state.files.get(file_id) if file_id else None
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return stored.as_file()


METHODS = {"getFile": get_file}
