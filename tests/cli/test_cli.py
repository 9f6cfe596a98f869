"""The ``companion`` command as a person uses it: exit codes and one-line errors."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.cli import SCHEMA_PATH, flow_schema, main
from companion.content import SHIPPED_DIR


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "companion", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_flows_check_passes_on_shipped_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "check"]) == 0
    out = capsys.readouterr().out
    assert "flows valid" in out and "hevd" in out and "safety lexicon" in out


def test_flows_check_names_errors_in_a_broken_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A content pack with a typo fails with exit 2 and the file, node and alternatives."""
    pack = tmp_path / "pack"
    (pack / "flows").mkdir(parents=True)
    text = (SHIPPED_DIR / "flows" / "hevd.flow.yaml").read_text(encoding="utf-8")
    broken = text.replace("kind: scale", "kind: scael", 1)
    assert broken != text
    (pack / "flows" / "hevd.flow.yaml").write_text(broken, encoding="utf-8")
    assert main(["flows", "check", "--content", str(pack)]) == 2
    err = capsys.readouterr().err
    assert "hevd.flow.yaml: node '" in err
    assert (
        "unknown question kind 'scael' (expected one of: text, choice, multi_choice, scale" in err
    )


def test_a_pack_replaces_a_shipped_flow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    (pack / "flows").mkdir(parents=True)
    shutil.copy(SHIPPED_DIR / "flows" / "ukesjekk.flow.yaml", pack / "flows" / "ukesjekk.flow.yaml")
    text = (pack / "flows" / "ukesjekk.flow.yaml").read_text(encoding="utf-8")
    text = text.replace("title:", "title: LOKAL", 1)
    (pack / "flows" / "ukesjekk.flow.yaml").write_text(text, encoding="utf-8")
    assert main(["flows", "list", "--content", str(pack)]) == 0
    assert "LOKAL" in capsys.readouterr().out


def test_hostile_yaml_in_a_pack_is_a_named_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    (pack / "flows").mkdir(parents=True)
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    (pack / "flows" / "bomb.flow.yaml").write_text(bomb, encoding="utf-8")
    (pack / "flows" / "bad.flow.yaml").write_bytes(b"id: \xff\xfe")
    assert main(["flows", "check", "--content", str(pack)]) == 2
    err = capsys.readouterr().err
    assert "bomb.flow.yaml: line 1: anchors (&name) are not allowed" in err
    assert "bad.flow.yaml: not UTF-8 text" in err


def test_schema_file_is_current() -> None:
    """flow.schema.json is regenerated whenever the models change (companion flows schema --write)."""
    assert SCHEMA_PATH.read_text(encoding="utf-8") == flow_schema()


def test_graph_prints_mermaid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "graph", "hevd"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart TD") and "-->" in out


def test_unknown_flow_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "graph", "nope"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("companion: unknown flow 'nope' (known flows:") and "\n" not in err


def test_scripted_run_prints_transcript_and_result(tmp_path: Path) -> None:
    script = tmp_path / "s.yaml"
    script.write_text("inputs: [nei, '3']\n", encoding="utf-8")
    result = run("flows", "run", "fv_checkin", "--answers", str(script))
    assert result.returncode == 0, result.stderr
    assert "bot:" in result.stdout and "you: nei" in result.stdout and "== results" in result.stdout


@pytest.mark.slow
def test_database_errors_are_one_line(tmp_path: Path) -> None:
    """Wrong key, missing key and plaintext-where-a-key-is-expected each print one clear line."""
    db = str(tmp_path / "c.db")
    key = secrets.token_hex(32)
    assert run("db", "init", env={"COMPANION_DB": db, "COMPANION_DB_KEY": key}).returncode == 0
    wrong = run("db", "status", env={"COMPANION_DB": db, "COMPANION_DB_KEY": secrets.token_hex(32)})
    assert wrong.returncode == 1
    assert (
        wrong.stderr.strip()
        == f"companion: cannot open {db}: the encryption key does not match this database"
    )
    no_key = run("db", "status", env={"COMPANION_DB": db})
    assert no_key.returncode == 1 and no_key.stderr.count("\n") == 1
    assert "COMPANION_DB_KEY" in no_key.stderr
    plain = str(tmp_path / "plain.db")
    assert (
        run("db", "init", env={"COMPANION_DB": plain, "COMPANION_ALLOW_PLAINTEXT": "1"}).returncode
        == 0
    )
    keyed = run("db", "status", env={"COMPANION_DB": plain, "COMPANION_DB_KEY": key})
    assert (
        keyed.returncode == 1 and keyed.stderr.count("\n") == 1 and "Traceback" not in keyed.stderr
    )


@pytest.mark.slow
def test_key_file_with_loose_permissions_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "k.key"
    key_file.write_text(secrets.token_hex(32))
    key_file.chmod(0o644)
    result = run(
        "db",
        "init",
        env={"COMPANION_DB": str(tmp_path / "c.db"), "COMPANION_DB_KEY_FILE": str(key_file)},
    )
    assert result.returncode == 1
    assert "chmod 600" in result.stderr and "Traceback" not in result.stderr


def test_network_map_flow_draws_a_picture(tmp_path: Path) -> None:
    """The nettverkskart run ends with a PNG and an SVG of the map the person described."""
    script = Path(__file__).parents[1] / "content" / "scripts" / "nettverkskart_nb_full.yaml"
    png, svg = tmp_path / "map.png", tmp_path / "map.svg"
    assert (
        main(["flows", "run", "nettverkskart", "--answers", str(script), "--picture", str(png)])
        == 0
    )
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (
        main(["flows", "run", "nettverkskart", "--answers", str(script), "--picture", str(svg)])
        == 0
    )
    drawing = svg.read_text(encoding="utf-8")
    assert "Mitt nettverk" in drawing and "Mormor" in drawing
