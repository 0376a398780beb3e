"""Sao lưu và phục hồi (``cchc backup OUT`` / ``cchc restore IN``).

A backup is one tar file: the database (SQLite through its online backup API, consistent while the app
writes; PostgreSQL through ``pg_dump -Fc`` on an exported snapshot), the uploaded files (MEDIA_ROOT), and
``manifest.json``: product version, database vendor, applied migrations, SHA-256 and size of every file, and
— read in the same snapshot as the dump — the row count of every table and a hash of the dossiers table.
A restore checks the checksums before touching anything, restores into an empty database (``--force``
replaces a non-empty one), puts the files back, and then compares the counts and the hash with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

import cchc

FORMAT = 1
DIGEST_TABLE = "dossiers_dossier"


class BackupError(Exception):
    """A Vietnamese message for the operator."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_figures(cursor, tables: list[str]) -> tuple[dict[str, int], str]:
    """Row count of every table and a hash of the dossiers table (every column, in id order), read through
    ``cursor`` (so inside whatever snapshot it has)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    digest = hashlib.sha256()
    if DIGEST_TABLE in tables:
        cursor.execute(f"SELECT * FROM {_quote(DIGEST_TABLE)} ORDER BY id")
        while rows := cursor.fetchmany(10_000):
            for row in rows:
                digest.update(repr(tuple(str(v) for v in row)).encode())
    return counts, digest.hexdigest()


# ---- PostgreSQL ------------------------------------------------------------------------------------------
def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", s["HOST"]),
        ("PGPORT", s["PORT"]),
        ("PGUSER", s["USER"]),
        ("PGPASSWORD", s["PASSWORD"]),
        ("PGDATABASE", s["NAME"]),
    ):
        if value:
            env[key] = str(value)
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{cmd[0]} báo lỗi: {done.stderr.strip()[-1500:]}")


def _pg_dump(target: Path) -> tuple[dict[str, int], str]:
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=False) as conn:
        cur = conn.cursor()
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = cur.fetchone()[0]
        # pg_dump reads the very snapshot this transaction holds: the counts below describe the dump.
        _run(["pg_dump", "-Fc", "--no-owner", "--no-acl", f"--snapshot={snapshot}", "-f", str(target)], _pg_env())
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [r[0] for r in cur.fetchall()]
        figures = table_figures(cur, tables)
        conn.rollback()
    return figures


# ---- SQLite ----------------------------------------------------------------------------------------------
def _sqlite_copy(target: Path) -> tuple[dict[str, int], str]:
    connection.ensure_connection()
    dst = sqlite3.connect(target)
    try:
        connection.connection.backup(dst)  # one step: a consistent copy even while others write (WAL)
        cur = dst.cursor()
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        figures = table_figures(cur, [r[0] for r in cur.fetchall()])
    finally:
        dst.close()
    return figures


# ---- backup ----------------------------------------------------------------------------------------------
def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                yield path, "media/" + path.relative_to(root).as_posix()


def make_backup(out: Path) -> dict[str, Any]:
    """Write the backup tar to ``out``; returns its manifest."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-backup-", dir=out.parent) as tmp:
        db_name = "database/db.sqlite3" if vendor == "sqlite" else "database/db.dump"
        db_file = Path(tmp) / db_name
        db_file.parent.mkdir()
        counts, digest = _sqlite_copy(db_file) if vendor == "sqlite" else _pg_dump(db_file)
        files = [(db_file, db_name), *_media_files()]
        manifest = {
            "format": FORMAT,
            "product": "cchc",
            "version": cchc.__version__,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "file": db_name},
            "migrations": sorted(MigrationRecorder(connection).applied_migrations()),
            "counts": counts,
            "digest": {DIGEST_TABLE: digest},
            "files": [{"path": arc, "size": p.stat().st_size, "sha256": _sha256(p)} for p, arc in files],
        }
        manifest_file = Path(tmp) / "manifest.json"
        manifest_file.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = out.with_name(out.name + ".part")
        with tarfile.open(partial, "w") as tar:
            tar.add(manifest_file, "manifest.json")
            for path, arc in files:
                tar.add(path, arc)
        partial.replace(out)  # never a half-written file under the final name
    return manifest


# ---- restore ---------------------------------------------------------------------------------------------
@contextmanager
def _unpacked(src: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    with tempfile.TemporaryDirectory(prefix="cchc-restore-") as tmp:
        try:
            with tarfile.open(src) as tar:
                tar.extractall(tmp, filter="data")
            manifest = json.loads((Path(tmp) / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, tarfile.TarError, ValueError, KeyError) as exc:
            raise BackupError(f"Không đọc được tệp sao lưu {src}: {exc}") from exc
        for entry in manifest["files"]:
            path = Path(tmp) / entry["path"]
            if not path.is_file() or path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
                raise BackupError(f"Tệp sao lưu bị hỏng: “{entry['path']}” không khớp tổng kiểm tra.")
        yield Path(tmp), manifest


def _check_compatible(manifest: dict[str, Any]) -> None:
    if manifest.get("format") != FORMAT or manifest.get("product") != "cchc":
        raise BackupError("Đây không phải tệp sao lưu của cchc (hoặc định dạng chưa hỗ trợ).")
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là cơ sở dữ liệu {manifest['database']['vendor']}, máy này dùng {connection.vendor}: "
            "phục hồi vào cùng loại cơ sở dữ liệu."
        )
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if newer:
        raise BackupError(
            f"Bản sao lưu từ phiên bản cchc mới hơn ({manifest['version']}; có {', '.join(newer[:5])}): "
            "cài phiên bản đó rồi phục hồi."
        )


def _database_empty() -> bool:
    return not [t for t in connection.introspection.table_names() if t != "cchc_cache"]


def _restore_sqlite(db_file: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src, dst = sqlite3.connect(db_file), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _restore_postgresql(db_file: Path, force: bool) -> None:
    cmd = ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "-d", connection.settings_dict["NAME"]]
    if force:
        cmd[1:1] = ["--clean", "--if-exists"]
    connection.close()
    _run([*cmd, str(db_file)], _pg_env())


def restore_backup(src: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore ``src`` into this install's database and MEDIA_ROOT; returns the manifest after checking that
    the restored counts and dossier hash are the backup's. Raises BackupError with a Vietnamese message."""
    with _unpacked(Path(src)) as (tmp, manifest):
        _check_compatible(manifest)
        if not force and not _database_empty():
            raise BackupError(
                "Cơ sở dữ liệu đích đã có dữ liệu: phục hồi vào một cơ sở dữ liệu mới, hoặc thêm --force để "
                "thay toàn bộ dữ liệu hiện có."
            )
        db_file = tmp / manifest["database"]["file"]
        if connection.vendor == "sqlite":
            _restore_sqlite(db_file)
        else:
            _restore_postgresql(db_file, force)
        media = Path(settings.MEDIA_ROOT)
        for entry in manifest["files"]:
            if entry["path"].startswith("media/"):
                target = media / entry["path"][len("media/") :]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(tmp / entry["path"], target)
    verify(manifest)
    # The restored data versions are the backup's, lower than those the shared cache may hold figures under
    # (cchc.indicators.versions): a figure kept before the restore must not match a stamp after it.
    cache.clear()
    return manifest


def verify(manifest: dict[str, Any]) -> None:
    """The database now holds what the manifest says: same tables, same counts, same dossiers hash."""
    with connection.cursor() as cur:
        counts, digest = table_figures(cur, list(manifest["counts"]))
    wrong = [
        f"{t}: {manifest['counts'][t]} → {counts.get(t)}"
        for t in manifest["counts"]
        if counts.get(t) != manifest["counts"][t]
    ]
    if wrong:
        raise BackupError("Số dòng sau phục hồi khác bản sao lưu: " + "; ".join(wrong[:10]))
    if digest != manifest["digest"][DIGEST_TABLE]:
        raise BackupError("Bảng hồ sơ sau phục hồi khác bản sao lưu (mã băm không khớp).")
