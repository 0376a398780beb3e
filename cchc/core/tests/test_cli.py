"""The `cchc` console script: one name for every command, bilingual help."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_cchc(*args: str, var_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run the console script's entry point in a child process, on its own SQLite file when asked."""
    env = dict(os.environ)
    if var_dir is not None:
        env["CCHC_VAR_DIR"] = str(var_dir)
        env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "cchc.cli", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


def test_help_lists_product_commands_in_vietnamese_and_english():
    result = run_cchc("--help")
    assert result.returncode == 0
    out = result.stdout
    assert "Lệnh của cchc / cchc commands:" in out
    for command in ("org", "demo"):
        assert f"\n  {command} " in out
    assert "Dated org-unit tree" in out and "Cơ cấu đơn vị" in out


def test_command_help_explains_subcommands_bilingually():
    result = run_cchc("org", "--help")
    assert result.returncode == 0
    assert "tree" in result.stdout and "In cây đơn vị tại một ngày. / Print the unit tree" in result.stdout
    sub = run_cchc("org", "tree", "--help")
    assert "--date" in sub.stdout and "YYYY-MM-DD hoặc dd/mm/yyyy" in sub.stdout


def test_demo_needs_demo_mode(tmp_path):
    result = run_cchc("demo", var_dir=tmp_path)
    assert result.returncode != 0
    assert "CCHC_DEMO=1" in result.stderr


def test_demo_is_idempotent_and_trees_differ_across_the_reform(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DEMO", "1")
    assert run_cchc("migrate", "-v", "0", var_dir=tmp_path).returncode == 0
    first = run_cchc("demo", var_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "thêm mới 63" in first.stdout and "canbo.sontay / cchc-demo-2026" in first.stdout
    second = run_cchc("demo", var_dir=tmp_path)
    assert second.returncode == 0 and "thêm mới 0, cập nhật 0, không đổi 63" in second.stdout
    assert "canbo.sontay: đã có" in second.stdout
    before = run_cchc("org", "tree", "--date", "2024-06-30", var_dir=tmp_path).stdout
    after = run_cchc("org", "tree", "--date", "2025-08-01", var_dir=tmp_path).stdout
    assert "Huyện Hương Sơn" in before and "Huyện Hương Sơn" not in after
    assert (tmp_path / "cchc.sqlite3").exists()
