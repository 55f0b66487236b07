"""Every English string marked for translation in code and templates has a Chinese translation.

The catalogue test checks the entries a catalogue has; this one catches a string that never
reached a catalogue (``makemessages`` not re-run after a change). It reads ``_("...")``,
``gettext_lazy("...")`` and ``{% translate "..." %}`` with a plain-text scan, so it sees most
strings, not all (``blocktranslate`` blocks are left to the catalogue test).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

SRC = Path(__file__).resolve().parents[2]
PATTERNS = [
    re.compile(r'\{%\s*translate\s+"([^"]+)"(?:\s+context\s+"([^"]+)")?'),
    re.compile(r"\{%\s*translate\s+'([^']+)'(?:\s+context\s+'([^']+)')?"),
    re.compile(r'(?<![\w.])_\(\s*"([^"\\]+)"\s*\)'),
    re.compile(r'gettext_lazy\(\s*"([^"\\]+)"\s*\)'),
]
# The same in both languages on purpose, or an example inside a docstring.
SAME_IN_BOTH = {"BPMN XML", "DMN XML", "Place of residence"}


def marked_strings() -> set[tuple[str, str, str | None]]:
    found = set()
    for path in SRC.rglob("*"):
        if path.suffix not in {".html", ".py", ".txt"} or {"tests", "migrations"} & set(path.parts):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for pattern in PATTERNS:
            for match in pattern.finditer(text):
                message = match.group(1)
                context = match.group(2) if pattern.groups >= 2 else None
                if re.search("[A-Za-z]", message) and not re.search("[\u4e00-\u9fff]", message):
                    found.add((str(path.relative_to(SRC)), message, context))
    return found


def test_every_marked_string_has_a_chinese_translation() -> None:
    missing = []
    with translation.override("zh-hans"):
        for path, message, context in sorted(marked_strings(), key=str):
            out = (
                translation.pgettext(context, message) if context else translation.gettext(message)
            )
            if out == message and message not in SAME_IN_BOTH and "%" not in message:
                missing.append(f"{path}: {message}")
    assert missing == []


def test_the_scan_finds_strings() -> None:
    # Guards the test above against a pattern that silently matches nothing.
    assert len(marked_strings()) > 500
