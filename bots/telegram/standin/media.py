"""Sending files: sendVoice, sendPhoto and sendDocument (multipart uploads or file_ids)."""

from __future__ import annotations

import io
import mimetypes
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError

from bots.telegram.standin import validation
from bots.telegram.standin.errors import bad_request
from bots.telegram.standin.files import StoredFile, document_json, photo_json, voice_json
from bots.telegram.standin.messages import send_bot_message
from bots.telegram.standin.params import Upload

if TYPE_CHECKING:
    from bots.telegram.standin.params import Params
    from bots.telegram.standin.state import StandInState

JSONDict = dict[str, Any]
# Telegram's photo limits: width + height at most 10000, aspect ratio at most 20.
_MAX_PHOTO_SIDES = 10_000
_MAX_PHOTO_RATIO = 20


def _source(state: StandInState, params: Params, kind: str) -> Upload | StoredFile:
    """The upload, or the stored file a file_id names; URLs cannot be fetched offline."""
    source = params.input_file(kind)
    if source is None:
        raise bad_request(f"there is no {kind} in the request")
    if isinstance(source, Upload):
        return source
    if source.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    stored = state.files.get(source)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if stored.kind != kind:
        raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
    return stored


def _send_file(state: StandInState, method: str, params: Params, kind: str) -> JSONDict:
    """Validate chat, caption and file; store the file only once the message is accepted."""
    chat_id = params.chat_id()
    state.chats.chat(chat_id)
    caption, entities = validation.caption(
        params.string("caption"),
        params.string("parse_mode"),
        params.json_value("caption_entities"),
    )
    source = _source(state, params, kind)
    size = _photo_size(source.data) if kind == "photo" and isinstance(source, Upload) else (0, 0)

    def content() -> JSONDict:
        stored = source if isinstance(source, StoredFile) else _store(state, kind, source, size)
        body: JSONDict
        if kind == "voice":
            body = {"voice": voice_json(stored, params.integer("duration") or 0)}
        elif kind == "photo":
            body = {"photo": photo_json(stored)}
        else:
            body = {"document": document_json(stored)}
        if caption:
            body["caption"] = caption
        if entities:
            body["caption_entities"] = entities
        return body

    return send_bot_message(state, method, chat_id, params, content)


def _store(state: StandInState, kind: str, upload: Upload, size: tuple[int, int]) -> StoredFile:
    """Keep an upload the way Telegram files it: voice as OGG, photos as JPEG, documents named."""
    if kind == "voice":
        return state.files.add(upload.data, kind=kind, mime_type="audio/ogg")
    if kind == "photo":
        return state.files.add(upload.data, kind=kind, mime_type="image/jpeg", size=size)
    mime = mimetypes.guess_type(upload.filename)[0] or upload.content_type
    return state.files.add(upload.data, kind=kind, mime_type=mime, file_name=upload.filename)


def send_voice(state: StandInState, params: Params) -> JSONDict:
    """sendVoice: a voice note in the multipart part `voice`, or a file_id."""
    return _send_file(state, "sendVoice", params, "voice")


def send_photo(state: StandInState, params: Params) -> JSONDict:
    """sendPhoto: the image must decode and have dimensions Telegram accepts."""
    return _send_file(state, "sendPhoto", params, "photo")


def send_document(state: StandInState, params: Params) -> JSONDict:
    """sendDocument: any file, named by its multipart filename."""
    return _send_file(state, "sendDocument", params, "document")


def _photo_size(data: bytes) -> tuple[int, int]:
    """Width and height of an image, or 400 as Telegram answers for what it cannot process."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise bad_request("IMAGE_PROCESS_FAILED") from None
    too_big = width + height > _MAX_PHOTO_SIDES
    too_thin = max(width, height) > _MAX_PHOTO_RATIO * min(width, height)
    if too_big or too_thin:
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return width, height


METHODS = {"sendVoice": send_voice, "sendPhoto": send_photo, "sendDocument": send_document}
