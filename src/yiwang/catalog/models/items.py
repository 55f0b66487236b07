"""政务服务事项: the base list of what government does for people, versioned."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import DepartmentKind
from yiwang.catalog.models.versioning import VersionedContent
from yiwang.regions.models import RegionLevel


class ItemType(models.TextChoices):
    LICENSING = "licensing", _("Administrative licensing")  # 行政许可
    CONFIRMATION = "confirmation", _("Administrative confirmation")  # 行政确认
    BENEFIT = "benefit", _("Administrative benefit")  # 行政给付
    ADJUDICATION = "adjudication", _("Administrative adjudication")  # 行政裁决
    PUBLIC_SERVICE = "public_service", _("Public service")  # 公共服务
    OTHER = "other", _("Other administrative power")  # 其他行政权力


class Persona(models.TextChoices):
    PERSONAL = "personal", _("Individuals")  # 个人
    LEGAL = "legal", _("Businesses and organisations")  # 法人
    BOTH = "both", _("Individuals and businesses")


def localized(zh: str, en: str) -> str:
    """The English text when the active language is English and one exists, else Chinese."""
    if (get_language() or "").startswith("en") and en:
        return en
    return zh


class ServiceItem(models.Model):
    """政务服务事项: the stable identity of one service; its wording lives in versions."""

    code = models.CharField(_("item code"), max_length=40, unique=True)
    item_type = models.CharField(_("item type"), max_length=20, choices=ItemType.choices)
    department_kind = models.CharField(
        _("responsible department"), max_length=40, choices=DepartmentKind.choices
    )
    region_level = models.PositiveSmallIntegerField(
        _("implementing level"), choices=RegionLevel.choices
    )
    persona = models.CharField(_("for"), max_length=10, choices=Persona.choices)
    published_version = models.OneToOneField(
        "catalog.ServiceItemVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Guide page views, for "popular" lists; counted with F() so no read-modify-write race.
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    def __str__(self) -> str:
        version = self.published_version
        return f"{self.code} {version.name_zh}" if version else self.code


class ServiceItemVersion(VersionedContent):
    """事项版本: the wording of a service item as of one version."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="versions")
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300)
    short_name_zh = models.CharField(_("short name (Chinese)"), max_length=60, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=100, blank=True)
    legal_basis_zh = models.TextField(_("legal basis (Chinese)"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # Everyday words people use for this service (space separated), indexed for search.
    keywords_zh = models.CharField(_("search keywords (Chinese)"), max_length=300, blank=True)
    keywords_en = models.CharField(_("search keywords (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("service item version")
        verbose_name_plural = _("service item versions")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_item_version_no")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number} {self.name_zh}"

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)

    @property
    def short_name(self) -> str:
        return localized(self.short_name_zh, self.short_name_en) or self.name

    @property
    def legal_basis(self) -> str:
        return localized(self.legal_basis_zh, self.legal_basis_en)

    @property
    def description(self) -> str:
        return localized(self.description_zh, self.description_en)
