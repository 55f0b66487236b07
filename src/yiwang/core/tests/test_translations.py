"""Every catalogue is complete (no empty or fuzzy msgstr) and every Simplified Chinese
catalogue compiles into a catalogue gettext can load, with the same placeholders as the
English msgids (a lost ``%(name)s`` would raise at run time)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib
import pytest

from yiwang.core.translations import SRC_DIR, catalogue_paths, translations_missing

ZH_HANS = [path for path in catalogue_paths() if path.parts[-3] == "zh_Hans"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{\w*\}")


def test_every_catalogue_is_complete() -> None:
    assert translations_missing() == {}


def test_there_are_simplified_chinese_catalogues() -> None:
    assert any(path.parts[-5] == "web" for path in ZH_HANS)


@pytest.mark.parametrize("po_path", ZH_HANS, ids=lambda p: str(p.relative_to(SRC_DIR)))
def test_zh_hans_catalogue_compiles(po_path: Path, tmp_path: Path) -> None:
    catalogue = polib.pofile(str(po_path))
    mo_path = tmp_path / "django.mo"

    catalogue.save_as_mofile(str(mo_path))
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    assert compiled.info()["plural-forms"].replace(" ", "") == "nplurals=1;plural=0;"
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr


@pytest.mark.parametrize("po_path", ZH_HANS, ids=lambda p: str(p.relative_to(SRC_DIR)))
def test_zh_hans_translations_keep_the_placeholders(po_path: Path) -> None:
    mismatched = []
    for entry in polib.pofile(str(po_path)).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            if sorted(PLACEHOLDER.findall(text)) != expected:
                mismatched.append(entry.msgid)
    assert mismatched == []
