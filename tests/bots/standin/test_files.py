"""Voice notes, photos and documents: multipart uploads, getFile and file downloads."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes, MessageHandler, filters

from bots.telegram.standin import BotApiStandIn

USER = 4242
OGG = b"OggS\x00\x02" + bytes(range(200))


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_voice_round_trip_through_get_file_and_download(run, polling) -> None:
    """The person's voice note downloads intact; the bot's voice reply is stored and served."""
    downloaded: list[bytes] = []

    async def on_voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.voice is not None
        voice_file = await update.message.voice.get_file()
        downloaded.append(bytes(await voice_file.download_as_bytearray()))
        await update.message.reply_voice(b"OggS reply", duration=2, caption="Svar")

    async def scenario() -> None:
        async with (
            BotApiStandIn() as standin,
            polling(standin, [MessageHandler(filters.VOICE, on_voice)]) as app,
        ):
            await standin.send_voice(USER, OGG, duration=4)
            sent = await standin.wait_for(lambda call: call.method == "sendVoice")
            assert downloaded == [OGG]
            assert sent.files == {"voice": b"OggS reply"}
            assert sent.result["voice"]["duration"] == 2
            person, bot = standin.chat(USER)
            assert (person.kind, person.from_bot, bot.kind, bot.text) == (
                "voice",
                False,
                "voice",
                "Svar",
            )
            reply = await app.bot.get_file(bot.file_id)
            assert bytes(await reply.download_as_bytearray()) == b"OggS reply"
            assert reply.file_path.endswith(".oga")

    run(scenario())


def test_photo_and_document_uploads(run, bot_for) -> None:
    """A photo reports its real size; a document keeps its filename; a bad image is refused."""

    async def scenario() -> None:
        async with BotApiStandIn() as standin, bot_for(standin) as bot:
            await standin.send_text(USER, "hei")
            photo = await bot.send_photo(
                USER, _png(300, 200), caption="<i>QR</i>", parse_mode="HTML"
            )
            assert (photo.photo[-1].width, photo.photo[-1].height) == (300, 200)
            assert photo.caption == "QR"
            document = await bot.send_document(USER, b'{"svar": 1}', filename="mine_data.json")
            assert document.document.file_name == "mine_data.json"
            assert document.document.mime_type == "application/json"
            stored = await bot.get_file(document.document.file_id)
            assert bytes(await stored.download_as_bytearray()) == b'{"svar": 1}'
            again = await bot.send_document(USER, document.document.file_id)
            assert again.document.file_id == document.document.file_id
            with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
                await bot.send_photo(USER, b"not an image")
            with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
                await bot.send_document(USER, b"x", filename="x.txt", caption="x" * 1025)
            with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
                await bot.send_voice(USER, "no-such-file-id")
            with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
                await bot.get_file("no-such-file-id")
            kinds = [m.kind for m in standin.chat(USER)]
            assert kinds == ["text", "photo", "document", "document"]

    run(scenario())
