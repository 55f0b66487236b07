"""The living style guide's examples: each component is one small template that the
/design/ page both renders and shows as source, so the documentation cannot drift from the
markup it documents."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import get_template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Example:
    slug: str
    title: str | Promise
    classes: str
    usage: str | Promise

    @property
    def template_name(self) -> str:
        return f"web/design/{self.slug}.html"

    @property
    def source(self) -> str:
        template = get_template(self.template_name)
        text: str = template.template.source  # type: ignore[attr-defined]
        return text.removeprefix("{% load i18n %}").strip()


EXAMPLES: tuple[Example, ...] = (
    Example(
        "buttons",
        _("Buttons"),
        "yw-button, yw-button--secondary, yw-button--warning, yw-button--link, yw-button-group",
        _(
            "One primary button per page, for the main action. Warning buttons only for actions "
            "that cannot be undone."
        ),
    ),
    Example(
        "form",
        _("Form fields and errors"),
        "yw-form-group, yw-label, yw-hint, yw-input, yw-select, yw-fieldset, yw-radio, "
        "yw-checkbox, yw-error-message, yw-error-summary",
        _(
            "Every field has a visible label. On an error, show the summary at the top linking "
            "to each field, and the message above the field."
        ),
    ),
    Example(
        "table",
        _("Table"),
        "yw-table, yw-table__numeric",
        _(
            "On phones each row becomes a block: give every cell a data-label with its "
            "column heading."
        ),
    ),
    Example(
        "summary_list",
        _("Summary list"),
        "yw-summary-list, yw-summary-list__row, __key, __value, __actions",
        _("For checking answers and showing a record's details."),
    ),
    Example(
        "panel",
        _("Panels"),
        "yw-panel, yw-panel--confirmation, yw-panel__title, yw-panel__body",
        _(
            "A panel groups a record's details. The green confirmation panel appears only on "
            "the page that confirms a finished transaction."
        ),
    ),
    Example(
        "tags",
        _("Tags and badges"),
        "yw-tag, yw-tag--green, --yellow, --red, --grey, --navy, yw-badge",
        _("Tags show a status; badges show a count. Never use colour alone: the text says it."),
    ),
    Example(
        "notices",
        _("Notices"),
        "yw-notice, yw-notice--success, yw-notice--warning, yw-notice--error",
        _("Messages from the system. Django messages are rendered with these automatically."),
    ),
    Example(
        "cards",
        _("Cards and grid"),
        "yw-grid, yw-grid--2, yw-grid--3, yw-grid--4, yw-card, yw-card--link, yw-card--disabled, "
        "yw-card--unread, yw-list, yw-grid--compact (two columns even on phones)",
        _("Entry points to sections. The grid has one column on phones."),
    ),
    Example(
        "navigation",
        _("Breadcrumbs and pagination"),
        "yw-breadcrumbs, yw-pagination, yw-back-link",
        _("Breadcrumbs on pages deeper than the first level; pagination under long lists."),
    ),
)
