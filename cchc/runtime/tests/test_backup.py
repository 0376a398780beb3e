"""cchc backup / cchc restore: a backup taken while others write restores into a fresh database with the
same row counts and the same dossiers hash as the snapshot it describes; a damaged file or a non-empty
target is refused before anything is touched."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.management import call_command
from django.db import connection
from django.db import connection as django_connection

from cchc.accounts.actors import SystemActor
from cchc.core import audit
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.test_import import rows_1000, to_csv
from cchc.runtime import backup

pytestmark = pytest.mark.django_db(transaction=True)
POSTGRES = connection.vendor == "postgresql"


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql], check=True)


def _fresh_database(tmp_path: Path) -> tuple[str, str]:
    """(DATABASE_URL, name) of an empty database of the same kind as the test database."""
    if POSTGRES:
        name = f"{connection.settings_dict['NAME']}_restored"
        _psql(f"DROP DATABASE IF EXISTS {name}")
        _psql(f"CREATE DATABASE {name}")
        return f"postgres://postgres@127.0.0.1:5432/{name}", name
    path = tmp_path / "restored.sqlite3"
    return f"sqlite:///{path}", str(path)


def _restore(src: Path, url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {
        "DATABASE_URL": url,
        "CCHC_VAR_DIR": str(tmp_path / "restored-var"),
        "CCHC_MEDIA_ROOT": str(tmp_path / "restored-media"),
        "CCHC_CACHE_URL": f"file://{tmp_path / 'restored-cache'}",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "cchc.cli", "restore", str(src), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _figures_of(url: str, name: str, tables: list[str]) -> tuple[dict[str, int], str]:
    if POSTGRES:
        import psycopg

        with psycopg.connect(url) as conn:
            return backup.table_figures(conn.cursor(), tables)
    conn = sqlite3.connect(name)
    try:
        return backup.table_figures(conn.cursor(), tables)
    finally:
        conn.close()


def _writer(stop: threading.Event, written: list[int]) -> None:
    """A write load: small dossier files and audit rows, as clerks and officers would add them."""
    k = 0
    try:
        while not stop.is_set():
            k += 1
            rows = rows_1000()[:20]
            for r in rows:
                r[0] = f"{r[0]}-W{k}"
            import_dossiers(f"w{k}.csv", actor=SystemActor("ghi-thu"), content=to_csv(rows))
            audit.record(SystemActor("ghi-thu"), "test.write", ("core.test", str(k)))
            written.append(k)
    finally:
        django_connection.close()


def test_backup_during_writes_restores_the_same_counts_and_dossiers(catalogue, demo_org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "dossier_imports").mkdir(parents=True)
    (tmp_path / "media" / "dossier_imports" / "7.csv").write_bytes("mã hồ sơ\nHS-1\n".encode())
    import_dossiers("hs.csv", actor=SystemActor("test"), content=to_csv(rows_1000()))
    out = tmp_path / "sao-luu" / "cchc.tar"

    stop, written = threading.Event(), []
    # SQLite's test database lives in this process's memory, where a second writer would only wait on the
    # backup's lock: the concurrent load runs on PostgreSQL; SQLite's online backup copies in one step.
    writer = threading.Thread(target=_writer, args=(stop, written)) if POSTGRES else None
    if writer:
        writer.start()
        while len(written) < 2:
            time.sleep(0.05)
    try:
        call_command("backup", str(out))
    finally:
        stop.set()
        if writer:
            writer.join()
    manifest = json.loads(tarfile.open(out).extractfile("manifest.json").read())
    assert manifest["database"]["vendor"] == connection.vendor and manifest["version"]
    assert {f["path"] for f in manifest["files"]} >= {"media/dossier_imports/7.csv", manifest["database"]["file"]}
    dossiers = manifest["counts"]["dossiers_dossier"]
    assert 1000 <= dossiers <= Dossier.objects.count()
    if POSTGRES:
        assert dossiers > 1000 and dossiers % 20 == 0 and Dossier.objects.count() > dossiers - 20  # mid-load

    url, name = _fresh_database(tmp_path)
    shared_cache = FileBasedCache(str(tmp_path / "restored-cache"), {})
    shared_cache.set("cchc.figures:kept-before-the-restore", 1)
    done = _restore(out, url, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "khớp số dòng và mã băm" in done.stdout
    # figures kept under the versions of before the restore are gone (cchc.indicators.versions)
    assert shared_cache.get("cchc.figures:kept-before-the-restore") is None
    counts, digest = _figures_of(url, name, list(manifest["counts"]))
    assert counts == manifest["counts"] and digest == manifest["digest"]["dossiers_dossier"]
    assert (tmp_path / "restored-media" / "dossier_imports" / "7.csv").read_text() == "mã hồ sơ\nHS-1\n"

    # The restored database is not empty now: a second restore is refused without --force.
    again = _restore(out, url, tmp_path)
    assert again.returncode != 0 and "đã có dữ liệu" in again.stderr
    if POSTGRES:
        _psql(f"DROP DATABASE IF EXISTS {name}")


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = tmp_path / "cchc.tar"
    backup.make_backup(out)
    damaged = tmp_path / "hong.tar"
    with tarfile.open(out) as src, tarfile.open(damaged, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("database/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    url, name = _fresh_database(tmp_path)
    done = _restore(damaged, url, tmp_path)
    assert done.returncode != 0 and "không khớp tổng kiểm tra" in done.stderr
    if POSTGRES:
        _psql(f"DROP DATABASE IF EXISTS {name}")
    else:
        assert not Path(name).exists() or Path(name).stat().st_size == 0
    manifest = json.loads(tarfile.open(out).extractfile("manifest.json").read())
    assert manifest["format"] == 1 and manifest["digest"]["dossiers_dossier"]
