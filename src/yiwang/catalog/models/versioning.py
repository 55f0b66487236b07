"""What every versioned piece of the catalogue shares: a status life cycle and the rule that
a published (or retired) version never changes.

An application keeps the version it was filed under, so the text a citizen agreed to must
stay exactly as it was. Edits therefore make a new draft; a reviewer publishes it, and the
previous published version is retired (kept, read-only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MSG_PUBLISHED_IMMUTABLE = _(
    "A published version cannot be changed. Make a new draft and have it reviewed instead."
)
MSG_RETIRED_IMMUTABLE = _("A retired version is kept as it was and cannot be changed.")


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions, for the reviewer's comparison."""

    label: str
    before: Any
    after: Any


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


FROZEN_STATUSES = frozenset({VersionStatus.PUBLISHED, VersionStatus.RETIRED})


class VersionedContent(models.Model):
    """Abstract base of ServiceItemVersion and ImplementationVersion."""

    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    # Fields that may still change on a published row: only its retirement.
    RETIREMENT_FIELDS: ClassVar[frozenset[str]] = frozenset({"status", "retired_at"})

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            self._refuse_frozen_change()
        super().save(*args, **kwargs)

    def _refuse_frozen_change(self) -> None:
        stored = type(self).objects.filter(pk=self.pk).first()  # type: ignore[attr-defined]
        if stored is None:
            return
        changed = {
            name for name in self._content_fields() if getattr(stored, name) != getattr(self, name)
        }
        if stored.status == VersionStatus.RETIRED and changed:
            raise ValidationError(MSG_RETIRED_IMMUTABLE, code="version_immutable")
        if stored.status == VersionStatus.PUBLISHED and changed:
            retiring = self.status == VersionStatus.RETIRED and changed <= self.RETIREMENT_FIELDS
            if not retiring:
                raise ValidationError(MSG_PUBLISHED_IMMUTABLE, code="version_immutable")

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_frozen:
            raise ValidationError(MSG_PUBLISHED_IMMUTABLE, code="version_immutable")
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    def _content_fields(self) -> list[str]:
        return [f.attname for f in self._meta.concrete_fields if not f.primary_key]

    def changes_since(
        self, earlier: VersionedContent | None, *, fields: Iterable[str]
    ) -> list[FieldChange]:
        """The content fields that differ from ``earlier`` (every non-empty field when there is
        no earlier version), in model order, labelled in the reader's language."""
        wanted = set(fields)
        changes = []
        for field in self._meta.concrete_fields:
            if field.name not in wanted:
                continue
            after = getattr(self, field.name)
            before = getattr(earlier, field.name) if earlier is not None else None
            if before != after and (earlier is not None or after not in ("", None, [], {})):
                changes.append(FieldChange(str(field.verbose_name), before, after))
        return changes
