"""`cchc`: the product's management commands under one name.

``cchc`` or ``cchc --help`` lists the product's own commands in Vietnamese and English;
``cchc <command> --help`` explains one; ``cchc help --all`` lists Django's commands too.
"""

from __future__ import annotations

import os
import sys


def _product_commands() -> list[tuple[str, str]]:
    from django.core.management import get_commands, load_command_class

    rows = []
    for name, app in sorted(get_commands().items()):
        if not app.startswith("cchc."):
            continue
        command = load_command_class(app, name)
        rows.append((name, (command.help or "").strip()))
    return rows


def print_overview() -> None:
    import django

    django.setup()
    print("cchc — phần mềm cải cách hành chính / public-administration reform software\n")
    print("Cách dùng / usage: cchc <lệnh> [tham số]    ·    cchc <lệnh> --help\n")
    print("Lệnh của cchc / cchc commands:")
    rows = _product_commands()
    width = max((len(name) for name, _ in rows), default=10)
    for name, text in rows:
        print(f"  {name:<{width}}  {text}")
    print("\nLệnh Django thường dùng / common Django commands: migrate, createsuperuser, runserver, collectstatic")
    print("Mọi lệnh Django / all Django commands: cchc help --all")


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args in (["--help"], ["-h"], ["help"]):
        print_overview()
        return
    if args[:2] == ["help", "--all"]:
        args = ["help"]
    from django.core.management import execute_from_command_line

    from cchc.core.errors import CchcError

    try:
        execute_from_command_line(["cchc", *args])
    except CchcError as exc:  # the product's errors answer like Django's CommandError: message, exit ≠ 0
        sys.stderr.write(f"CommandError: {exc.message}\n")
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
