"""Voice in the bot: fetch and hear voice notes, and speak prompts when they are sent.

- ``Listener.hear``: getFile, download into memory, transcribe in a worker thread (the event
  loop keeps serving others) while the chat shows «typing…»; the audio is dropped afterwards
  unless ``keep_audio`` is set. Every failure becomes a friendly ``Heard.problem``.
- ``VoiceSender``: the outbox sender, which turns a ``sendVoice`` of ``{"speak": text}`` into
  a synthesized (cached) OGG/Opus note just before sending it; a prompt that cannot be spoken
  is skipped (its text was sent already).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from bots.telegram import texts
from bots.telegram.sender import Sender
from bots.telegram.translate import ApiCall, Heard, Incoming, VoiceNote
from companion.voice import LanguageUnavailable, NotAudio, Voice, VoiceError, VoiceUnavailable
from companion.voice import audio as codec
from companion.voice.backends.none import NoSpeechToText

log = logging.getLogger(__name__)

ACTION_EVERY = 4.0
"""Seconds between chat actions (Telegram shows one for about five)."""
Act = Callable[[int | str, str], None]
"""Show a chat action («typing», «record_voice») in a chat."""


def problem(error: VoiceError) -> Heard:
    """A voice error as the person's friendly message, with its placeholders."""
    values = tuple((k, str(v)) for k, v in error.params.items())
    return Heard(problem=error.message, values=values)


class Listener:
    """Hears voice notes for the bot: one ``hear`` per note, off the event loop."""

    def __init__(self, voice: Voice, bot: Bot, act: Act, audio_dir: Path | None = None) -> None:
        self.voice = voice
        self.bot = bot
        self.act = act
        self.audio_dir = audio_dir
        """Where notes are kept when ``voice.keep_audio`` is set (else nothing is written)."""

    def check(self, note: VoiceNote, language: str) -> Heard | None:
        """Refuse before fetching: a language nobody hears, not audio, too long, too large."""
        limits = self.voice.limits
        try:
            if not self.voice.can_listen(language):
                if isinstance(self.voice.stt, NoSpeechToText):
                    raise VoiceUnavailable("voice input is off")
                raise LanguageUnavailable(f"no speech recognition for {language!r}")
            if note.mime_type and not note.mime_type.startswith("audio/"):
                raise NotAudio(f"mime type {note.mime_type}")
            if note.duration > limits.max_seconds:
                raise limits.too_long(note.duration)
            if note.file_size is not None:
                limits.check_size(note.file_size)
        except VoiceError as error:
            return problem(error)
        return None

    async def hear(self, item: Incoming, language: str) -> Heard:
        """The words in the item's voice note, or why there are none."""
        note = item.note
        assert note is not None
        refused = self.check(note, language)
        if refused is not None:
            return refused
        async with self._showing(item.chat_id, "typing"):
            try:
                audio = await self._fetch(note)
            except (TelegramError, OSError) as error:
                log.warning(
                    "update %s: voice note not fetched (%s)", item.update_id, type(error).__name__
                )
                return Heard(problem=texts.VOICE_FETCH_FAILED)
            try:
                self._keep(item, audio)
                heard = await self.voice.transcribe_note_async(audio, language)
            except VoiceError as error:
                log.info("update %s: voice note refused (%s)", item.update_id, error.message_id)
                return problem(error)
            finally:
                del audio  # data minimisation: the bytes go with this frame
        log.info("update %s: heard %.1f s with %s", item.update_id, heard.duration, heard.engine)
        return Heard(text=heard.text, confidence=heard.confidence)

    async def _fetch(self, note: VoiceNote) -> bytes:
        file = await self.bot.get_file(note.file_id)
        return bytes(await file.download_as_bytearray())

    def _keep(self, item: Incoming, audio: bytes) -> None:
        """With ``keep_audio`` (consented, under retention rules) the note is kept on disk."""
        if not self.voice.keep_audio or self.audio_dir is None:
            return
        self.audio_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Named by chat account so a confirmed deletion finds them (companion.data_rights).
        (self.audio_dir / f"telegram-{item.user_id}-{item.update_id}.oga").write_bytes(audio)

    @contextlib.asynccontextmanager
    async def _showing(self, chat: int | str, action: str) -> Any:
        """Show ``action`` in the chat until the block ends."""

        async def keep_showing() -> None:
            while True:
                self.act(chat, action)
                await asyncio.sleep(ACTION_EVERY)

        task = asyncio.get_running_loop().create_task(keep_showing())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


class VoiceSender(Sender):
    """The outbox sender, speaking ``{"speak": …}`` voice notes just before they go out."""

    def __init__(self, *args: Any, voice: Voice | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.voice = voice

    async def _call(self, call: ApiCall) -> Any:
        note = call.params.get("voice")
        if call.method == "sendVoice" and isinstance(note, dict) and "speak" in note:
            spoken = await self._speak(call, note)
            if spoken is None:
                return None  # the prompt's text went out already: nothing is lost
            call = spoken
        return await super()._call(call)

    async def _speak(self, call: ApiCall, note: dict[str, Any]) -> ApiCall | None:
        if self.voice is None:
            return None
        chat = call.params["chat_id"]
        await self._quietly(super()._call, ApiCall("sendChatAction", _action(chat)))
        try:
            audio = await self.voice.speak_async(str(note["speak"]), str(note["language"]))
            seconds = await asyncio.to_thread(codec.duration, audio)
        except (VoiceError, ValueError) as error:
            log.info("voice prompt skipped: %s", type(error).__name__)
            return None
        data = {"base64": base64.b64encode(audio).decode("ascii"), "filename": note["filename"]}
        params = {**call.params, "voice": data, "duration": max(1, math.ceil(seconds))}
        return ApiCall("sendVoice", params)

    @staticmethod
    async def _quietly(send: Callable[[ApiCall], Awaitable[Any]], call: ApiCall) -> None:
        """A chat action is a courtesy: its failure changes nothing."""
        with contextlib.suppress(TelegramError, OSError):
            await send(call)


def _action(chat: int | str, action: str = "record_voice") -> dict[str, Any]:
    return {"chat_id": chat, "action": action}
