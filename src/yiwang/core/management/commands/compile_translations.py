from typing import Any

from django.core.management.base import BaseCommand

from yiwang.core.translations import translations_compile


class Command(BaseCommand):
    help = "Compile every app's .po catalogue to .mo (pure Python, no GNU gettext needed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Rewrite every .mo file.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        written = translations_compile(force=force)
        self.stdout.write(f"{len(written)} catalogue(s) compiled.")
