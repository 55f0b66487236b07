"""The ``yiwang`` console command: Django's management commands under friendlier names.

``yiwang demo``, ``yiwang serve``, ``yiwang worker``, ``yiwang tick``, ``yiwang migrate``,
``yiwang import-regions``, ``yiwang audit-verify``, ``yiwang screenshots`` ... — a dash in a
name maps to an underscore in the management command, so every Django command works too.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    from django.core.management import execute_from_command_line

    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
