"""Where the key comes from: the environment or a key file only its owner can read."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from companion.store import KeyFileError, generate_key_file, resolve_key


def key_file(tmp_path: Path, content: str = "hemmelig\n", mode: int = 0o600) -> Path:
    path = tmp_path / "db.key"
    path.write_text(content)
    path.chmod(mode)
    return path


def test_no_key_anywhere_means_no_encryption(tmp_path: Path) -> None:
    """Without the variables or a key file there is no key."""
    assert resolve_key({}, None) is None


def test_the_key_variable_wins(tmp_path: Path) -> None:
    """COMPANION_DB_KEY is used before any key file."""
    env = {"COMPANION_DB_KEY": "fra-miljøet", "COMPANION_DB_KEY_FILE": "/nowhere"}
    assert resolve_key(env, key_file(tmp_path)) == "fra-miljøet"


def test_the_key_file_variable_wins_over_the_argument(tmp_path: Path) -> None:
    """COMPANION_DB_KEY_FILE overrides the configured key file."""
    named = key_file(tmp_path, "fra-variabelen\n")
    env = {"COMPANION_DB_KEY_FILE": str(named)}
    assert resolve_key(env, tmp_path / "other.key") == "fra-variabelen"


def test_the_key_file_argument(tmp_path: Path) -> None:
    """The key file argument is read, without its trailing newline."""
    assert resolve_key({}, key_file(tmp_path)) == "hemmelig"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_readable_key_file_is_refused(tmp_path: Path, mode: int) -> None:
    """A key file others can read is an error naming the file and the fix."""
    path = key_file(tmp_path, mode=mode)
    with pytest.raises(KeyFileError) as error:
        resolve_key({}, path)
    message = str(error.value)
    assert str(path) in message
    assert f"chmod 600 {path}" in message
    assert "\n" not in message


def test_a_stricter_key_file_is_fine(tmp_path: Path) -> None:
    """0400 is stricter than 0600 and accepted."""
    assert resolve_key({}, key_file(tmp_path, mode=0o400)) == "hemmelig"


def test_a_missing_key_file_is_an_error(tmp_path: Path) -> None:
    """A named key file that does not exist is not silently "no key"."""
    with pytest.raises(KeyFileError, match="does not exist"):
        resolve_key({"COMPANION_DB_KEY_FILE": str(tmp_path / "nope.key")}, None)


def test_an_empty_key_file_is_an_error(tmp_path: Path) -> None:
    """An empty key file would mean no encryption; refuse it."""
    with pytest.raises(KeyFileError, match="empty"):
        resolve_key({}, key_file(tmp_path, "\n"))


def test_generate_key_file(tmp_path: Path) -> None:
    """A generated key is 64 hex characters in a file only the owner can read or write."""
    path = tmp_path / "db.key"
    key = generate_key_file(path)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert resolve_key({}, path) == key
    assert generate_key_file(tmp_path / "other.key") != key


def test_generate_key_file_never_overwrites(tmp_path: Path) -> None:
    """An existing key file is left untouched: overwriting it would lose the database."""
    path = key_file(tmp_path, "gammel\n")
    with pytest.raises(KeyFileError, match="already exists"):
        generate_key_file(path)
    assert path.read_text() == "gammel\n"
