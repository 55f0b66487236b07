"""Compile the apps' gettext catalogues with polib, so a fresh machine needs no GNU gettext
to run the demo or the tests (``makemessages`` for developers still uses xgettext)."""

from __future__ import annotations

from pathlib import Path

import polib

SRC_DIR = Path(__file__).resolve().parent.parent


def catalogue_paths() -> list[Path]:
    return sorted(SRC_DIR.glob("*/locale/*/LC_MESSAGES/*.po"))


def translations_compile(*, force: bool = False) -> list[Path]:
    """Write each ``.mo`` that is missing or older than its ``.po``; return those written."""
    written = []
    for po_path in catalogue_paths():
        mo_path = po_path.with_suffix(".mo")
        if force or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            written.append(mo_path)
    return written


def translations_missing() -> dict[str, list[str]]:
    """Entries with no translation or marked fuzzy, by catalogue — must be empty."""
    missing: dict[str, list[str]] = {}
    for po_path in catalogue_paths():
        catalogue = polib.pofile(str(po_path))
        gaps = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
        if gaps:
            missing[str(po_path.relative_to(SRC_DIR))] = gaps
    return missing
