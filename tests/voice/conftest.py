"""Contract fixtures: each voice contract test runs against the fakes and every real backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from companion.voice import fakes
from companion.voice.ports import SpeechToText, TextToSpeech
from tests.voice import support as s


@dataclass(frozen=True)
class SttCase:
    stt: SpeechToText
    language: str
    note: Callable[[str], bytes]
    """A voice note in which ``stt`` should hear the given sentence."""
    exact: bool
    """Whether the sentence must come back word for word (else: word error rate ≤ 0.5)."""


@dataclass(frozen=True)
class TtsCase:
    tts: TextToSpeech
    language: str
    sentence: str


def _fake_stt() -> SttCase:
    return SttCase(fakes.FakeSpeechToText(limits=s.LIMITS), "nb", fakes.voice_note, exact=True)


def _pocketsphinx() -> SttCase:
    from companion.voice.backends.pocketsphinx import PocketsphinxSpeechToText

    stt = PocketsphinxSpeechToText(s.SENTENCES, s.LIMITS)
    return SttCase(stt, "en", s.spoken, exact=True)


def _whisper() -> SttCase:
    from companion.voice.backends.whisper import FasterWhisperSpeechToText

    stt = FasterWhisperSpeechToText(Path(s.WHISPER_MODEL), s.LIMITS)
    return SttCase(stt, "en", s.spoken, exact=False)


STT = {
    "fake": (_fake_stt, ()),
    "pocketsphinx": (_pocketsphinx, (s.needs_espeak,)),
    "faster-whisper": (_whisper, (s.needs_espeak, s.needs_whisper, pytest.mark.slow)),
}


def _fake_tts(language: str) -> Callable[[], TtsCase]:
    return lambda: TtsCase(fakes.FakeTextToSpeech(), language, "Hei, hvordan har du det i dag?")


def _espeak(language: str, sentence: str) -> Callable[[], TtsCase]:
    def build() -> TtsCase:
        from companion.voice.backends.espeak import EspeakTextToSpeech

        return TtsCase(EspeakTextToSpeech(), language, sentence)

    return build


def _piper() -> TtsCase:
    from companion.voice.backends.piper import PiperTextToSpeech

    tts = PiperTextToSpeech(Path(s.PIPER_VOICE))
    language = sorted(tts.languages, key=len)[0]
    return TtsCase(tts, language, s.NORWEGIAN if language in ("nb", "no") else s.SENTENCES[1])


TTS = {
    "fake": (_fake_tts("nb"), ()),
    "espeak-nb": (_espeak("nb", s.NORWEGIAN), (s.needs_espeak,)),
    "espeak-en": (_espeak("en", s.SENTENCES[1]), (s.needs_espeak,)),
    "piper": (_piper, (s.needs_piper, pytest.mark.slow)),
}

_built: dict[str, object] = {}


def _once(name: str, build: Callable[[], object]) -> object:
    """Build each backend once per run (loading a model takes a while)."""
    if name not in _built:
        _built[name] = build()
    return _built[name]


@pytest.fixture(params=[pytest.param(k, marks=m) for k, (_, m) in STT.items()])
def stt_case(request: pytest.FixtureRequest) -> SttCase:
    case = _once(f"stt:{request.param}", STT[request.param][0])
    assert isinstance(case, SttCase)
    return case


@pytest.fixture(params=[pytest.param(k, marks=m) for k, (_, m) in TTS.items()])
def tts_case(request: pytest.FixtureRequest) -> TtsCase:
    case = _once(f"tts:{request.param}", TTS[request.param][0])
    assert isinstance(case, TtsCase)
    return case


@pytest.fixture(scope="session")
def whisper() -> SpeechToText:
    """faster-whisper, loaded once per session (shared with the contract tests)."""
    case = _once("stt:faster-whisper", _whisper)
    assert isinstance(case, SttCase)
    return case.stt
