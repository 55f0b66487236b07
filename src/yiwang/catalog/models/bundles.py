"""一件事一次办: a life event that strings several service items into one journey."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models.items import Persona, ServiceItem, localized


class Bundle(models.Model):
    """一件事: e.g. 开办餐饮店, 新生儿出生一件事, 退休一件事.

    Not versioned: a bundle only groups items, and each item keeps its own versions, so an
    application filed through a bundle still records the item versions it was filed under.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords_zh = models.CharField(_("search keywords (Chinese)"), max_length=300, blank=True)
    keywords_en = models.CharField(_("search keywords (English)"), max_length=300, blank=True)
    persona = models.CharField(_("for"), max_length=10, choices=Persona.choices)
    is_published = models.BooleanField(_("published"), default=False)
    items = models.ManyToManyField(ServiceItem, through="BundleItem", related_name="bundles")

    class Meta:
        ordering = ["code"]
        verbose_name = _("life-event bundle")
        verbose_name_plural = _("life-event bundles")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)

    @property
    def description(self) -> str:
        return localized(self.description_zh, self.description_en)


class BundleItem(models.Model):
    """One step of a bundle: a service item, in order."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="steps")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["bundle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="catalog_bundle_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.bundle_id}#{self.position}"
