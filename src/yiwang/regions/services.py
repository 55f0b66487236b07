"""Loading the shipped NBS division tables (``data/NN.tsv.xz``) into ``Region``.

The import is idempotent: a re-run adds missing regions, corrects changed names and parent
links, and leaves everything else alone. Regions that are in the database but no longer in the
data are counted, not deleted — other records may point at them (``on_delete=PROTECT``).
"""

from __future__ import annotations

import lzma
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang.regions.models import CODE_LENGTHS, LEVEL_BY_LENGTH, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
NAMES_EN_FILE = DATA_DIR / "names_en.tsv"
DEFAULT_PROVINCE = "44"  # 广东省, the demo province

MSG_UNKNOWN_PROVINCE = _("There is no province with code %(code)s in the shipped data.")


@dataclass
class RegionImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Regions under the imported provinces that the data no longer lists; kept, see above.
    stale: int = 0
    per_level: dict[int, int] = field(default_factory=lambda: dict.fromkeys(CODE_LENGTHS, 0))

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def region_data_provinces() -> list[str]:
    """Codes of the provinces whose data ships with Yiwang, in code order."""
    return sorted(path.name[:2] for path in DATA_DIR.glob("[0-9][0-9].tsv.xz"))


def region_data_read(*, province: str) -> Iterator[tuple[str, str]]:
    """``(code, name)`` of every region of ``province`` from the shipped file, parents first."""
    path = DATA_DIR / f"{province}.tsv.xz"
    with lzma.open(path, mode="rt", encoding="utf-8") as fh:
        for line in fh:
            code, name = line.rstrip("\n").split("\t")
            yield code, name


def region_names_en() -> dict[str, str]:
    names: dict[str, str] = {}
    for line in NAMES_EN_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, name_en = line.split("\t")
            names[code] = name_en.strip()
    return names


def _parent_code(code: str) -> str | None:
    level = LEVEL_BY_LENGTH[len(code)]
    return code[: CODE_LENGTHS[level - 1]] if level > 1 else None


def regions_import(*, provinces: Iterable[str], batch_size: int = 5000) -> RegionImportResult:
    """Import (or bring up to date) every region of the given provinces, all five levels.

    Each province is one transaction: a failure leaves that province as it was.
    """
    wanted = list(dict.fromkeys(provinces))
    known = set(region_data_provinces())
    for code in wanted:
        if code not in known:
            raise ValidationError(
                {
                    "province": ValidationError(
                        MSG_UNKNOWN_PROVINCE, code="unknown_province", params={"code": code}
                    )
                }
            )
    names_en = region_names_en()
    result = RegionImportResult()
    for province in wanted:
        _import_province(province=province, names_en=names_en, batch_size=batch_size, result=result)
    return result


@transaction.atomic
def _import_province(
    *, province: str, names_en: dict[str, str], batch_size: int, result: RegionImportResult
) -> None:
    existing = {
        code: (name, name_en, parent_id)
        for code, name, name_en, parent_id in Region.objects.filter(
            code__startswith=province
        ).values_list("code", "name", "name_en", "parent_id")
    }
    to_create: list[Region] = []
    to_update: list[Region] = []
    seen: set[str] = set()
    for code, name in region_data_read(province=province):
        seen.add(code)
        level = LEVEL_BY_LENGTH[len(code)]
        parent_id = _parent_code(code)
        result.per_level[level] += 1
        current = existing.get(code)
        # Keep an English name typed in by an administrator unless our table knows better.
        name_en = names_en.get(code, current[1] if current else "")
        row = Region(code=code, name=name, name_en=name_en, level=level, parent_id=parent_id)
        if current is None:
            to_create.append(row)
        elif current != (name, name_en, parent_id):
            to_update.append(row)
        else:
            result.unchanged += 1
    # The file lists parents before children, so each batch's parents already exist.
    Region.objects.bulk_create(to_create, batch_size=batch_size)
    Region.objects.bulk_update(to_update, ["name", "name_en", "parent"], batch_size=1000)
    result.created += len(to_create)
    result.updated += len(to_update)
    result.stale += len(existing.keys() - seen)
