"""Decode any voice note to 16 kHz mono PCM and encode PCM to OGG/Opus, with PyAV only."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import av
from av.audio.frame import AudioFrame
from av.audio.resampler import AudioResampler
from av.container import InputContainer

from companion.voice.errors import CorruptAudio, EmptyAudio, NotAudio, TooLarge, TooLong

STT_RATE = 16_000
"""What speech recognisers want: 16 kHz, mono, signed 16-bit."""
OPUS_RATE = 48_000
OPUS_BITRATE = 32_000
DEFAULT_MAX_SECONDS = 120.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""Telegram's 120 s voice notes are well under 1 MB; WAV from other clients needs more room."""

AUDIO_MAGIC = (b"OggS", b"RIFF", b"ID3", b"fLaC", b"\x1a\x45\xdf\xa3", b"#!AMR", b"\xff\xf1")
"""How audio containers start: bytes like these that fail to decode are corrupt, not 'not audio'."""
AUDIO_FORMATS = ("ogg", "wav", "mp3", "flac", "matroska", "webm", "mov", "mp4", "m4a", "aac", "amr")
"""Demuxers accepted for voice notes (FFmpeg sniffs many more; pictures and video are refused)."""


@dataclass(frozen=True)
class AudioLimits:
    """What a voice note may be: at most ``max_seconds`` long and ``max_bytes`` large."""

    max_seconds: float = DEFAULT_MAX_SECONDS
    max_bytes: int = DEFAULT_MAX_BYTES

    def check_size(self, size: int) -> None:
        """Raise ``EmptyAudio`` or ``TooLarge`` before anything is decoded."""
        if size == 0:
            raise EmptyAudio("no bytes")
        if size > self.max_bytes:
            raise TooLarge(f"{size} bytes > {self.max_bytes}", max_bytes=self.max_bytes)

    def too_long(self, seconds: float) -> TooLong:
        """The error for audio of ``seconds``."""
        return TooLong(
            f"{seconds:.1f} s > {self.max_seconds:g} s", max_seconds=f"{self.max_seconds:g}"
        )


@dataclass(frozen=True)
class Pcm:
    """Signed 16-bit little-endian mono samples at ``rate`` Hz."""

    samples: bytes
    rate: int = STT_RATE

    @property
    def frames(self) -> int:
        return len(self.samples) // 2

    @property
    def duration(self) -> float:
        return self.frames / self.rate


@dataclass(frozen=True)
class AudioInfo:
    """What a container holds: format and codec names, rate, channels, decoded seconds."""

    container: str
    codec: str
    rate: int
    channels: int
    duration: float


def decode(data: bytes, limits: AudioLimits | None = None, rate: int = STT_RATE) -> Pcm:
    """Any voice note → mono PCM at ``rate``; ``AudioError`` subclasses say what is wrong."""
    limits = limits or AudioLimits()
    limits.check_size(len(data))
    most = int(limits.max_seconds * rate)
    out = bytearray()
    with _open(data) as container:
        _check_declared_duration(container, limits)
        for chunk in _resampled(container, rate):
            out += chunk
            if len(out) // 2 > most:
                raise limits.too_long(len(out) / 2 / rate)
    if not out:
        raise EmptyAudio("no samples")
    return Pcm(bytes(out), rate)


def probe(data: bytes) -> AudioInfo:
    """Open and fully decode ``data``; for checks and tests, not for untrusted sizes."""
    with _open(data) as container:
        stream = container.streams.audio[0]
        codec = stream.codec_context.name
        channels = stream.codec_context.channels
        pcm = b"".join(_resampled(container, OPUS_RATE))
        return AudioInfo(
            container=container.format.name,
            codec=codec,
            rate=stream.codec_context.sample_rate,
            channels=channels,
            duration=len(pcm) / 2 / OPUS_RATE,
        )


def encode_ogg_opus(
    pcm: Pcm, bitrate: int = OPUS_BITRATE, tags: dict[str, str] | None = None
) -> bytes:
    """Mono PCM → OGG/Opus at 48 kHz, the format Telegram plays as a voice note."""
    if not pcm.samples:
        raise EmptyAudio("nothing to encode")
    out = io.BytesIO()
    # Bit-exact: no random stream serial, so the same PCM always gives the same bytes.
    with av.open(out, "w", format="ogg", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libopus", rate=OPUS_RATE, options={"application": "voip"})
        stream.layout = "mono"
        stream.bit_rate = bitrate
        if tags:
            stream.metadata.update(tags)
        resampler = AudioResampler(format="s16", layout="mono", rate=OPUS_RATE)
        for frame in [*_frames(pcm), None]:
            for resampled in resampler.resample(frame):
                container.mux(stream.encode(resampled))
        container.mux(stream.encode(None))
    return out.getvalue()


def to_ogg_opus(data: bytes, limits: AudioLimits | None = None) -> bytes:
    """Any audio (e.g. WAV from a synthesiser, even with a streaming header) → OGG/Opus."""
    return encode_ogg_opus(decode(data, limits, rate=OPUS_RATE))


def duration(data: bytes, limits: AudioLimits | None = None) -> float:
    """Seconds of audio, counted by decoding (headers can lie)."""
    return decode(data, limits).duration


def tags(data: bytes) -> dict[str, str]:
    """The audio stream's metadata (OpusTags / Vorbis comments), keys upper-cased."""
    with _open(data) as container:
        stream = container.streams.audio[0]
        found = {**container.metadata, **stream.metadata}
    return {k.upper(): v for k, v in found.items()}


def trim_silence(pcm: Pcm, margin: float = 0.05, window: float = 0.01) -> Pcm:
    """Cut leading and trailing silence (quieter than 1/20 of the peak), keeping ``margin`` s."""
    from array import array

    values = array("h")
    values.frombytes(pcm.samples[: pcm.frames * 2])
    step = max(1, int(pcm.rate * window))
    peaks = [
        max(max(values[i : i + step]), -min(values[i : i + step]))
        for i in range(0, len(values), step)
    ]
    if not peaks:
        return pcm
    threshold = max(300, max(peaks) // 20)
    loud = [i for i, peak in enumerate(peaks) if peak >= threshold]
    if not loud:
        return Pcm(b"", pcm.rate)
    keep = int(margin / window)
    start = max(0, (loud[0] - keep) * step)
    end = min(len(values), (loud[-1] + 1 + keep) * step)
    return Pcm(values[start:end].tobytes(), pcm.rate)


class _Opened:
    """``av.open`` on bytes with its failures turned into ``AudioError``s."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.container: InputContainer | None = None

    def __enter__(self) -> InputContainer:
        looks_like_audio = self.data.startswith(AUDIO_MAGIC) or self.data[4:8] == b"ftyp"
        try:
            container = av.open(io.BytesIO(self.data), "r")
        except (av.FFmpegError, OSError, ValueError) as error:
            raise (CorruptAudio if looks_like_audio else NotAudio)(str(error)) from None
        self.container = container
        name = container.format.name
        if not container.streams.audio or not any(f in name for f in AUDIO_FORMATS):
            container.close()
            raise NotAudio(f"{name}: no audio stream")
        return container

    def __exit__(self, *exc: object) -> None:
        if self.container is not None:
            self.container.close()


def _open(data: bytes) -> _Opened:
    return _Opened(data)


def _check_declared_duration(container: InputContainer, limits: AudioLimits) -> None:
    """Refuse early when the header already says the audio is too long (decoding checks too)."""
    declared = container.duration  # microseconds, when the container knows
    if declared is not None and declared / 1_000_000 > limits.max_seconds + 1:
        raise limits.too_long(declared / 1_000_000)


def _resampled(container: InputContainer, rate: int) -> Iterator[bytes]:
    """The first audio stream as mono s16 PCM chunks at ``rate``."""
    resampler = AudioResampler(format="s16", layout="mono", rate=rate)
    try:
        for frame in container.decode(audio=0):
            yield from _plane_bytes(resampler.resample(frame))
        yield from _plane_bytes(resampler.resample(None))
    except (av.FFmpegError, ValueError) as error:
        raise CorruptAudio(str(error)) from None


def _plane_bytes(frames: list[AudioFrame]) -> Iterator[bytes]:
    for frame in frames:
        yield bytes(frame.planes[0])[: frame.samples * 2]


def _frames(pcm: Pcm, seconds: float = 1.0) -> Iterator[AudioFrame]:
    """``pcm`` as AudioFrames of ``seconds`` each, timestamped in samples."""
    step = int(pcm.rate * seconds) * 2
    for offset in range(0, len(pcm.samples) - len(pcm.samples) % 2, step):
        chunk = pcm.samples[offset : offset + step]
        frame = AudioFrame(format="s16", layout="mono", samples=len(chunk) // 2)
        frame.sample_rate = pcm.rate
        frame.pts = offset // 2
        frame.planes[0].update(chunk)
        yield frame
