"""Synthesized prompts cached by (text, language, voice): an in-memory LRU and an optional folder."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from companion.voice.ports import TextToSpeech


def cache_key(text: str, language: str, voice: str) -> str:
    """A file-safe digest of what the audio depends on."""
    return hashlib.sha256("\0".join((voice, language, text)).encode()).hexdigest()


class TtsCache:
    """``max_items`` notes in memory (least recently used go first), every note in ``directory``."""

    def __init__(self, max_items: int = 256, directory: Path | None = None) -> None:
        self.max_items = max_items
        self.directory = directory
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            found = self._memory.get(key)
            if found is not None:
                self._memory.move_to_end(key)
                return found
        if self.directory is None:
            return None
        try:
            found = (self.directory / f"{key}.ogg").read_bytes()
        except OSError:
            return None
        self._remember(key, found)
        return found

    def put(self, key: str, data: bytes) -> None:
        self._remember(key, data)
        if self.directory is not None:
            _write_atomically(self.directory / f"{key}.ogg", data)

    def __len__(self) -> int:
        return len(self._memory)

    def _remember(self, key: str, data: bytes) -> None:
        if self.max_items <= 0:
            return
        with self._lock:
            self._memory[key] = data
            self._memory.move_to_end(key)
            while len(self._memory) > self.max_items:
                self._memory.popitem(last=False)


class CachedTextToSpeech:
    """A ``TextToSpeech`` that asks ``inner`` only for notes not yet in ``cache``."""

    def __init__(self, inner: TextToSpeech, cache: TtsCache | None = None) -> None:
        self.inner = inner
        self.cache = cache if cache is not None else TtsCache()

    def supports(self, language: str) -> bool:
        return self.inner.supports(language)

    def voice_for(self, language: str) -> str:
        return self.inner.voice_for(language)

    def synthesize(self, text: str, language: str) -> bytes:
        if not text.strip():
            raise ValueError("nothing to say")
        key = cache_key(text, language, self.inner.voice_for(language))
        found = self.cache.get(key)
        if found is None:
            found = self.inner.synthesize(text, language)
            self.cache.put(key, found)
        return found


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside, then rename: a reader never sees half a note."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
