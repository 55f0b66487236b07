"""Every template in every app loads: a typo in a tag, a missing ``{% load %}`` or a bad
``{% extends %}`` fails here rather than on the page a user happens to open."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import get_template

SRC = Path(__file__).resolve().parents[2]
TEMPLATE_NAMES = sorted(
    str(path.relative_to(templates_dir))
    for templates_dir in SRC.glob("*/templates")
    for path in templates_dir.rglob("*.html")
)


def test_templates_were_found() -> None:
    assert "web/base.html" in TEMPLATE_NAMES
    assert "web/staff_base.html" in TEMPLATE_NAMES


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_template_loads(name: str) -> None:
    assert get_template(name).template.name == name  # type: ignore[attr-defined]
