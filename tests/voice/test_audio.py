"""The codec: any voice note → 16 kHz mono PCM, PCM → OGG/Opus, and clear errors otherwise."""

from __future__ import annotations

import time
from array import array

import pytest

from companion.voice import audio as codec
from companion.voice.errors import (
    AudioError,
    CorruptAudio,
    EmptyAudio,
    NotAudio,
    TooLarge,
    TooLong,
)
from companion.voice.fakes import tone
from tests.voice import support as s

pytestmark = s.needs_espeak


def test_espeak_stdout_wav_is_decoded_by_its_data_not_its_header() -> None:
    wav = s.espeak_wav(s.SENTENCES[0])
    assert int.from_bytes(wav[40:44], "little") > 100 * len(wav)  # the bogus streaming length
    pcm = codec.decode(wav)
    assert pcm.rate == 16_000
    assert pcm.duration == pytest.approx((len(wav) - 44) / 2 / 22_050, abs=0.01)


def test_wav_to_telegram_voice_note() -> None:
    wav = s.espeak_wav(s.NORWEGIAN, "nb")
    note = codec.to_ogg_opus(wav)
    info = codec.probe(note)
    assert (info.container, info.codec, info.rate, info.channels) == ("ogg", "opus", 48_000, 1)
    assert info.duration == pytest.approx(codec.decode(wav).duration, abs=0.03)
    assert 20_000 <= len(note) * 8 / info.duration <= 45_000  # ~32 kbit/s
    assert note.startswith(b"OggS") and b"OpusHead" in note[:100]


def test_round_trip_keeps_length_and_loudness() -> None:
    pcm = tone(2.0)
    back = codec.decode(codec.encode_ogg_opus(pcm))
    assert back.duration == pytest.approx(2.0, abs=0.03)
    values = array("h")
    values.frombytes(back.samples)
    assert 2000 <= max(values) <= 4000


def test_stereo_44k_wav_becomes_16k_mono() -> None:
    mono = codec.decode(s.spoken(s.SENTENCES[1]), rate=44_100)
    left = array("h")
    left.frombytes(mono.samples)
    stereo = array("h", (v for v in left for _ in range(2)))
    pcm = codec.decode(s.wav_file(stereo.tobytes(), 44_100, channels=2))
    assert pcm.rate == 16_000
    assert pcm.duration == pytest.approx(mono.duration, abs=0.01)


def test_duration_counts_decoded_samples() -> None:
    assert codec.duration(codec.encode_ogg_opus(tone(3.0))) == pytest.approx(3.0, abs=0.03)


def test_tags_travel_in_the_opus_header() -> None:
    note = codec.encode_ogg_opus(tone(0.5), tags={"COMPANION_TEXT": "Jeg hørte «hei»"})
    assert codec.tags(note)["COMPANION_TEXT"] == "Jeg hørte «hei»"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyAudio),
        (s.TEXT, NotAudio),
        (s.PNG, NotAudio),
        (s.RANDOM, NotAudio),
        (s.corrupt_ogg(), CorruptAudio),
        (b"RIFF" + bytes(40), CorruptAudio),
    ],
    ids=["empty", "text", "png-sent-as-audio/ogg", "random", "corrupt-ogg", "corrupt-wav"],
)
def test_unusable_bytes(data: bytes, error: type[AudioError]) -> None:
    with pytest.raises(error):
        codec.decode(data)


def test_a_voice_note_without_its_headers_is_corrupt() -> None:
    with pytest.raises(CorruptAudio):
        codec.decode(s.beheaded_ogg(s.spoken(s.SENTENCES[0])))


def test_a_container_without_samples_is_empty() -> None:
    with pytest.raises(EmptyAudio):
        codec.decode(s.wav_file(b"", 16_000))


def test_ten_minutes_is_refused_at_once() -> None:
    ten_minutes = s.silent_ogg(600)
    started = time.perf_counter()
    with pytest.raises(TooLong) as caught:
        codec.decode(ten_minutes)
    assert time.perf_counter() - started < 1.0
    assert caught.value.params == {"max_seconds": "120"}


def test_too_long_is_caught_while_decoding_when_the_header_says_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(codec, "_check_declared_duration", lambda *_: None)
    with pytest.raises(TooLong):
        codec.decode(s.silent_ogg(600))


def test_a_wav_streaming_header_cannot_hide_length() -> None:
    wav = bytearray(s.wav_file(bytes(8_000 * 200), 8_000, width=1))
    wav[4:8] = wav[40:44] = b"\xff\xff\xff\x7f"  # like espeak --stdout
    with pytest.raises(TooLong):
        codec.decode(bytes(wav))


def test_too_large_is_refused_before_decoding() -> None:
    limits = codec.AudioLimits(max_bytes=1000)
    with pytest.raises(TooLarge) as caught:
        codec.decode(s.RANDOM, limits)
    assert caught.value.params == {"max_bytes": 1000}


def test_limits_are_configurable() -> None:
    note = codec.encode_ogg_opus(tone(3.0))
    with pytest.raises(TooLong):
        codec.decode(note, codec.AudioLimits(max_seconds=2))
    assert codec.decode(note, codec.AudioLimits(max_seconds=4)).duration == pytest.approx(
        3.0, abs=0.03
    )


def test_trim_silence_keeps_the_speech() -> None:
    speech = codec.decode(s.spoken(s.SENTENCES[0]))
    padded = codec.Pcm(bytes(16_000) + speech.samples + bytes(32_000), 16_000)
    trimmed = codec.trim_silence(padded)
    assert trimmed.duration <= speech.duration + 0.11
    assert trimmed.duration >= speech.duration - 0.5
    assert codec.trim_silence(codec.Pcm(bytes(16_000))).samples == b""


def test_encoding_nothing_is_an_error() -> None:
    with pytest.raises(EmptyAudio):
        codec.encode_ogg_opus(codec.Pcm(b""))
