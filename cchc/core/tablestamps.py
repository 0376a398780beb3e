"""Dấu bảng: a token per named group of tables that a database trigger changes at every write to them.

What nearly every page reads and almost nothing writes — the org tree, the indicator catalogue — is read
once per process and used again while its token is unchanged (``core.readonce.once(..., tables=...)``):
one query for the tokens instead of reading the tables (the tree and the catalogue took ~20 ms of each
heavy page). The trigger is the database's own, so every write counts — services, the admin, ``update()``,
bulk loads, raw SQL, a restore — not only the writes that remember to say so. The token is random, never a
counter: a rolled-back transaction, a flushed test database or a restored backup can never bring back a
token that names other contents.

PostgreSQL: one statement-level trigger per table (INSERT, UPDATE, DELETE, TRUNCATE); SQLite: one row-level
trigger per table and kind of write.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import migrations

T = TypeVar("T")
TABLE = "core_tablestamp"
ORG = "org"  # OrgUnit, OrgUnitParent, UnitLineage
CATALOGUE = "indicators.catalogue"  # Indicator
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION cchc_table_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {TABLE} (name, token) VALUES (TG_ARGV[0], md5(random()::text || clock_timestamp()::text))
  ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token;
  RETURN NULL;
END $$;
"""
_SQLITE_WRITES = ("INSERT", "UPDATE", "DELETE")
_kept: dict[Hashable, tuple[str, Any]] = {}  # key → (token, value): this process's copies


def kept(key: Hashable, token: str | None, read: Callable[[], T]) -> T:
    """This process's copy of ``read()`` while the tables' ``token`` is the one it was read under. ``token``
    must be read before the tables (a copy is then never older than its token); None: read afresh."""
    if token is None:
        return read()
    hit = _kept.get(key)
    if hit is not None and hit[0] == token:
        return hit[1]
    value = read()
    _kept[key] = (token, value)
    return value


def _trigger(table: str, write: str = "") -> str:
    return f"{table}_stamp{'_' + write.lower() if write else ''}"


def _install(name: str, models: tuple[str, ...]) -> Callable:
    def forward(apps, schema_editor) -> None:
        run = schema_editor.execute
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            run(_PG_FUNCTION)
        for label in models:
            table = apps.get_model(label)._meta.db_table
            if vendor == "postgresql":
                run(
                    f"CREATE TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION cchc_table_stamp('{name}')"
                )
            elif vendor == "sqlite":
                for write in _SQLITE_WRITES:
                    run(
                        f"CREATE TRIGGER {_trigger(table, write)} AFTER {write} ON {table} BEGIN "
                        f"INSERT OR REPLACE INTO {TABLE} (name, token) VALUES ('{name}', lower(hex(randomblob(16)))); "
                        "END"
                    )
        token = secrets.token_hex(16)
        apps.get_model("core", "TableStamp").objects.update_or_create(name=name, defaults={"token": token})

    return forward


def _uninstall(name: str, models: tuple[str, ...]) -> Callable:
    def backward(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        for label in models:
            table = apps.get_model(label)._meta.db_table
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}")
            elif vendor == "sqlite":
                for write in _SQLITE_WRITES:
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, write)}")
        apps.get_model("core", "TableStamp").objects.filter(name=name).delete()

    return backward


def install(name: str, *models: str) -> migrations.RunPython:
    """The migration operation that stamps ``name`` at every write to the tables of ``models`` ("app.Model")."""
    return migrations.RunPython(_install(name, models), _uninstall(name, models))
