"""The five-level administrative tree (行政区划): 省 province, 市 city, 县 county, 乡 township,
村 village, keyed by the significant prefix of the official statistical division code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township")
    VILLAGE = 5, _("Village")


# Length of the code at each level: 44 / 4401 / 440106 / 440106001 / 440106001001.
CODE_LENGTHS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTHS.items()}


class Region(models.Model):
    """行政区划: one node of the tree. ``code`` is a prefix of every code below it, so a
    subtree is ``code LIKE 'prefix%'`` on an indexed column."""

    # On PostgreSQL Django gives this primary key a second index with varchar_pattern_ops
    # (regions_region_code_<hash>_like), which is what lets ``code LIKE '4401%'`` use an index
    # whatever the database collation; test_selectors checks the plan.
    code = models.CharField(_("division code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices, db_index=True)
    # No index of its own: the (parent, code) index below serves both "children of X" and
    # "children of X in code order".
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        db_index=False,
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["parent", "code"], name="regions_parent_code_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        """The English name when the active language is English and one is known, else the
        official Chinese name."""
        language = get_language() or ""
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def contains(self, code: str) -> bool:
        """Whether ``code`` is this region or lies below it."""
        return code.startswith(self.code)
