"""What search reads: the synonym table and one pre-segmented document per published item
and bundle. The full-text index over these documents is backend specific (an FTS5 table on
SQLite, a generated tsvector with a GIN index on PostgreSQL) and made by migration 0002."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models.bundles import Bundle
from yiwang.catalog.models.items import ServiceItem


class SearchSynonym(models.Model):
    """同义词: an everyday phrase and the official words it stands for.

    ``term`` is matched as a substring of the query (so 丢了 works inside 身份证丢了怎么办);
    ``expansions`` are space-separated words added to the query.
    """

    language = models.CharField(
        _("language"), max_length=8, choices=[("zh", "中文"), ("en", "English")], default="zh"
    )
    term = models.CharField(_("phrase"), max_length=60)
    expansions = models.CharField(_("stands for"), max_length=300)

    class Meta:
        ordering = ["language", "term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="catalog_synonym_once")
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansions}"


class SearchDocumentKind(models.TextChoices):
    ITEM = "item", _("Service")
    BUNDLE = "bundle", _("Life event")


class SearchDocument(models.Model):
    """One searchable row. Chinese columns hold rjieba tokens joined by spaces, so both
    FTS5's unicode61 tokenizer and PostgreSQL's 'simple' parser see the same words."""

    kind = models.CharField(max_length=8, choices=SearchDocumentKind.choices)
    item = models.OneToOneField(
        ServiceItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    bundle = models.OneToOneField(
        Bundle, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title_zh = models.TextField(blank=True)
    body_zh = models.TextField(blank=True)
    title_en = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    # Item names (zh and en, unsegmented) for typo-tolerant suggestions.
    suggest_zh = models.CharField(max_length=200, blank=True)
    suggest_en = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="item", item__isnull=False, bundle__isnull=True)
                    | models.Q(kind="bundle", bundle__isnull=False, item__isnull=True)
                ),
                name="catalog_searchdoc_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.item_id or self.bundle_id}"
