"""The shape of every `cchc` command: bilingual help and subcommands (``cchc org tree``)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cchc.core.importing import ImportRejected


class GroupCommand(BaseCommand):
    """A command with subcommands. A subclass lists them in ``subcommands`` (name → bilingual help) and
    defines ``args_<name>(parser)`` and ``do_<name>(**options)`` for each (dashes become underscores)."""

    subcommands: dict[str, str] = {}

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="subcommand", metavar="LỆNH", title="Lệnh con / subcommands")
        sub.required = True
        for name, text in self.subcommands.items():
            p = sub.add_parser(name, help=text, description=text)
            adder = getattr(self, "args_" + name.replace("-", "_"), None)
            if adder:
                adder(p)

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        handler = getattr(self, "do_" + subcommand.replace("-", "_"))
        try:
            handler(**options)
        except ImportRejected as exc:
            self.print_rejection(exc)
            raise CommandError(exc.summary()) from exc

    def print_rejection(self, exc: ImportRejected) -> None:
        for error in exc.errors:
            self.stderr.write(str(error))

    def write_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
