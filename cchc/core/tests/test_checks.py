"""Issue 13 item 5: production refuses the repository's key, an empty or a short one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from cchc.core.checks import REPOSITORY_SECRET_KEY, check_secret_key

PROJECT = Path(__file__).resolve().parents[3]
GOOD = "k3J9-vQ2x_Lr8PzT0aYw5NcBd7HfM1sUgE4oKiRjXnVbZq6tCl"


@pytest.mark.parametrize("key", [REPOSITORY_SECRET_KEY, "", "ngan-qua", "a" * 60])
def test_production_refuses_public_empty_or_short_key(settings, key):
    settings.DEBUG, settings.CCHC_DEMO_MODE, settings.SECRET_KEY = False, False, key
    errors = check_secret_key()
    assert [e.id for e in errors] == ["cchc.E001"]
    assert "CCHC_SECRET_KEY" in errors[0].msg
    if key:  # Django itself refuses to run anything with an empty key
        with pytest.raises(SystemCheckError, match=r"cchc\.E001"):
            call_command("check", "--deploy", "--tag", "security")


def test_debug_demo_and_a_real_key_pass(settings):
    settings.DEBUG, settings.CCHC_DEMO_MODE, settings.SECRET_KEY = False, False, GOOD
    assert check_secret_key() == []
    settings.SECRET_KEY = REPOSITORY_SECRET_KEY
    settings.CCHC_DEMO_MODE = True
    assert check_secret_key() == []
    settings.CCHC_DEMO_MODE, settings.DEBUG = False, True
    assert check_secret_key() == []


def _start_wsgi(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
    return subprocess.run(
        [sys.executable, "-c", "import cchc.wsgi"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=120,
        env={**clean, "CCHC_VAR_DIR": "/tmp/cchc-sec-wsgi", "CCHC_CACHE_URL": "locmem://", **env},
    )


def test_web_server_does_not_start_with_the_repository_key():
    refused = _start_wsgi()
    assert refused.returncode != 0 and "CCHC_SECRET_KEY chưa đặt" in refused.stderr
    assert _start_wsgi(CCHC_SECRET_KEY=GOOD).returncode == 0
    assert _start_wsgi(CCHC_DEMO="1").returncode == 0
