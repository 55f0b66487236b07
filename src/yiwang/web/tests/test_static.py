from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@pytest.mark.parametrize(
    "name",
    [
        "yiwang/yiwang.css",
        "yiwang/yiwang.js",
        "vendor/htmx/htmx.min.js",
        "vendor/htmx/LICENSE",
        "vendor/axe-core/axe.min.js",
        "vendor/axe-core/LICENSE",
        "vendor/README.md",
        "yiwang/icons/favicon.svg",
        "yiwang/icons/apple-touch-icon.png",
        "yiwang/icons/icon-192.png",
        "yiwang/icons/icon-512.png",
        "yiwang/icons/icon-maskable-512.png",
    ],
)
def test_static_file_is_served(name: str) -> None:
    assert finders.find(name) == str(STATIC_DIR / name)


def test_vendored_assets_match_readme() -> None:
    readme = (STATIC_DIR / "vendor" / "README.md").read_text()
    rows = re.findall(r"\| `([\w/.-]+\.js)`[^|]*\| `([0-9a-f]{64})` \|", readme)

    assert {path for path, _ in rows} == {"htmx/htmx.min.js", "axe-core/axe.min.js"}
    for path, digest in rows:
        assert hashlib.sha256((STATIC_DIR / "vendor" / path).read_bytes()).hexdigest() == digest


def test_stylesheet_defines_every_contract_component() -> None:
    css = (STATIC_DIR / "yiwang" / "yiwang.css").read_text()
    for name in (
        "yw-button",
        "yw-button--secondary",
        "yw-button--warning",
        "yw-button--link",
        "yw-input",
        "yw-select",
        "yw-label",
        "yw-hint",
        "yw-error-message",
        "yw-error-summary",
        "yw-fieldset",
        "yw-table",
        "yw-summary-list",
        "yw-panel",
        "yw-tag",
        "yw-notice",
        "yw-card",
        "yw-grid",
        "yw-pagination",
        "yw-breadcrumbs",
        "yw-header",
        "yw-footer",
        "yw-nav",
        "yw-skip-link",
        "yw-visually-hidden",
        "yw-badge",
    ):
        assert re.search(rf"\.{re.escape(name)}[\s,{{:.\[]", css), name
    assert "@media print" in css
    assert "prefers-reduced-motion" in css
    assert ":focus-visible" in css
