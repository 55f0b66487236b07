"""``yiwang demo-people``: create the demo personas and print how to log in as each."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from yiwang.accounts.demo import DemoLogin, demo_people_load


def demo_logins_table(logins: list[DemoLogin]) -> str:
    lines = []
    for item in logins:
        lines.append(f"{item.persona}")
        lines.append(f"    login:    {item.login}   at {item.login_url}")
        if item.password:
            lines.append(f"    password: {item.password}")
            lines.append(f"    TOTP:     {item.totp_secret}   current code {item.current_code}")
            lines.append(f"    otpauth:  {item.otpauth_uri}")
        else:
            lines.append(f"    code:     {item.current_code}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Create the demo citizens, enterprise and staff (idempotent) and print their logins."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            logins = demo_people_load()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(demo_logins_table(logins))
