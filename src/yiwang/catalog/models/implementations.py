"""实施清单: how one department in one region carries out a service item, versioned the
same way as the item itself."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.catalog.models.items import ServiceItem, localized
from yiwang.catalog.models.versioning import (
    MSG_PUBLISHED_IMMUTABLE,
    VersionedContent,
    VersionStatus,
)


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")  # 网上办
    MOBILE = "mobile", _("On your phone")  # 掌上办
    SELF_SERVICE = "self_service", _("Self-service terminal")  # 自助办
    APPOINTMENT = "appointment", _("By appointment")  # 预约办
    POST = "post", _("By post")  # 邮寄办
    CONSULT = "consult", _("Advice")  # 咨询办
    NEARBY = "nearby", _("At a nearby centre")  # 就近办


class Trips(models.IntegerChoices):
    ZERO = 0, _("No trip needed")  # 一趟不用跑
    ONE = 1, _("At most one trip")  # 最多跑一次
    TWO_OR_MORE = 2, _("Two or more trips")


class Implementation(models.Model):
    """实施清单: a service item as one department (and so one region) carries it out."""

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="implementations")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    # Always the department's region; kept here so region scoping is one indexed column.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    published_version = models.OneToOneField(
        "catalog.ImplementationVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item__code", "region_id"]
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        constraints = [
            models.UniqueConstraint(fields=["item", "department"], name="catalog_impl_item_dept")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} @ {self.department}"


class ImplementationVersion(VersionedContent):
    """实施清单版本: conditions, materials, steps, limits, fees and channels as of one version."""

    implementation = models.ForeignKey(
        Implementation, on_delete=models.CASCADE, related_name="versions"
    )
    conditions_zh = models.TextField(_("conditions (Chinese)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)
    # [{"title_zh", "title_en", "detail_zh", "detail_en"}], in order.
    procedure = models.JSONField(_("procedure steps"), default=list, blank=True)
    # Working days; 0 means 即办 (done the same day).
    legal_limit_days = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    promised_limit_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    fee_free = models.BooleanField(_("free of charge"), default=True)
    fee_amount = models.DecimalField(
        _("fee (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_basis_zh = models.TextField(_("fee basis (Chinese)"), blank=True)
    fee_basis_en = models.TextField(_("fee basis (English)"), blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    trips = models.PositiveSmallIntegerField(_("trips to a hall"), choices=Trips.choices)
    halls_zh = models.TextField(_("where to go (Chinese)"), blank=True)
    halls_en = models.TextField(_("where to go (English)"), blank=True)
    form_schema = models.JSONField(_("online form schema"), default=dict, blank=True)
    # Key of the workflow that handles applications (read by the applications app).
    process_ref = models.CharField(_("process reference"), max_length=80, blank=True)

    class Meta:
        ordering = ["implementation", "-number"]
        verbose_name = _("implementation version")
        verbose_name_plural = _("implementation versions")
        constraints = [
            models.UniqueConstraint(
                fields=["implementation", "number"], name="catalog_impl_version_no"
            )
        ]

    def __str__(self) -> str:
        return f"{self.implementation} v{self.number}"

    def clean(self) -> None:
        from yiwang.catalog.forms_schema import form_schema_check
        from yiwang.catalog.models.checks import implementation_content_check

        implementation_content_check(self)
        form_schema_check(self.form_schema)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Validated on every save, so nothing can store a broken schema or channel list.
        self.clean()
        super().save(*args, **kwargs)

    @property
    def conditions(self) -> str:
        return localized(self.conditions_zh, self.conditions_en)

    @property
    def fee_basis(self) -> str:
        return localized(self.fee_basis_zh, self.fee_basis_en)

    @property
    def halls(self) -> str:
        return localized(self.halls_zh, self.halls_en)

    @property
    def is_same_day(self) -> bool:
        return self.promised_limit_days == 0

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in self.channels]

    @property
    def fully_online(self) -> bool:
        """网上可办: can be applied for online with no trip to a hall."""
        return Channel.ONLINE in self.channels and self.trips == Trips.ZERO

    @property
    def fee_display(self) -> Decimal | None:
        return None if self.fee_free else self.fee_amount


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("Original")  # 原件
    COPY = "copy", _("Copy")  # 复印件
    ELECTRONIC = "electronic", _("Electronic")  # 电子材料


class MaterialRequirement(models.TextChoices):
    REQUIRED = "required", _("Required")  # 必要
    CONDITIONAL = "conditional", _("Only in some cases")  # 容缺/情形


class Material(models.Model):
    """申请材料: one document an applicant provides, as listed in one implementation version."""

    version = models.ForeignKey(
        ImplementationVersion, on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField(default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300)
    form = models.CharField(_("form"), max_length=12, choices=MaterialForm.choices)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    requirement = models.CharField(
        _("requirement"),
        max_length=12,
        choices=MaterialRequirement.choices,
        default=MaterialRequirement.REQUIRED,
    )
    condition_zh = models.CharField(_("when needed (Chinese)"), max_length=300, blank=True)
    condition_en = models.CharField(_("when needed (English)"), max_length=400, blank=True)
    notes_zh = models.TextField(_("notes (Chinese)"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    # 免提交: an e-certificate type that, when the applicant holds it, replaces the upload.
    reusable_certificate_type = models.CharField(
        _("e-certificate that replaces it"), max_length=60, blank=True
    )

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.name_zh

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self) -> None:
        status = (
            ImplementationVersion.objects.filter(pk=self.version_id)
            .values_list("status", flat=True)
            .first()
        )
        if status in (VersionStatus.PUBLISHED, VersionStatus.RETIRED):
            raise ValidationError(MSG_PUBLISHED_IMMUTABLE, code="version_immutable")

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)

    @property
    def condition(self) -> str:
        return localized(self.condition_zh, self.condition_en)

    @property
    def notes(self) -> str:
        return localized(self.notes_zh, self.notes_en)
