"""The lint gates agree: the pre-commit hook runs the ruff that pyproject pins, and `make lint` runs the
checks the docs name."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_pre_commit_runs_the_pinned_ruff():
    pinned = re.search(r'"ruff==([\d.]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    hook = (ROOT / ".pre-commit-config.yaml").read_text()
    assert re.search(r"ruff-pre-commit\n\s+rev: v([\d.]+)", hook).group(1) == pinned


def test_make_lint_runs_ruff_and_the_layering_test():
    makefile = (ROOT / "Makefile").read_text()
    target = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "ruff check ." in target and "ruff format --check ." in target and "test_layers.py" in target
