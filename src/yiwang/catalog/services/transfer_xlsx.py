"""The catalogue as an XLSX workbook (openpyxl): sheets ``items``, ``implementations`` and
``materials``, one header row each, rows joined by item code and region code. Lists and
objects (channels, procedure, form schema) are JSON text in their cells; a blank fee means
free of charge. Errors name the sheet and row."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook

from yiwang.catalog.services.implementations import IMPLEMENTATION_VERSION_FIELDS, MATERIAL_FIELDS
from yiwang.catalog.services.items import ITEM_VERSION_FIELDS
from yiwang.catalog.services.transfer import ITEM_FIELDS, Row, catalogue_export

ITEM_COLUMNS = sorted(ITEM_FIELDS) + sorted(ITEM_VERSION_FIELDS)
IMPL_COLUMNS = ["item_code", "region_code", *sorted(IMPLEMENTATION_VERSION_FIELDS)]
MATERIAL_COLUMNS = ["item_code", "region_code", *sorted(MATERIAL_FIELDS)]
JSON_COLUMNS = frozenset({"channels", "procedure", "form_schema"})
MSG_NOT_XLSX = _("The file is not an XLSX workbook.")
MSG_SHEETS = _("The workbook needs the sheets items, implementations and materials.")
MSG_HEADER = _("Sheet %(sheet)s: the first row must be the column names %(columns)s.")
MSG_CELL_JSON = _("%(where)s: column %(column)s is not valid JSON.")
MSG_ORPHAN = _("%(where)s: no item %(code)s in sheet items.")
MAX_ROWS = 20_000
WHERE_ROW = _("%(sheet)s row %(n)s")


def catalogue_export_xlsx() -> bytes:
    workbook = Workbook()
    sheets = {
        name: workbook.create_sheet(name) for name in ("items", "implementations", "materials")
    }
    workbook.remove(workbook.active)
    sheets["items"].append(ITEM_COLUMNS)
    sheets["implementations"].append(IMPL_COLUMNS)
    sheets["materials"].append(MATERIAL_COLUMNS)
    for item in catalogue_export()["items"]:
        sheets["items"].append([item[c] for c in ITEM_COLUMNS])
        for impl in item["implementations"]:
            keys = {"item_code": item["code"], "region_code": impl["region_code"]}
            sheets["implementations"].append(
                [
                    json.dumps(impl[c], ensure_ascii=False)
                    if c in JSON_COLUMNS
                    else keys.get(c, impl.get(c))
                    for c in IMPL_COLUMNS
                ]
            )
            for material in impl["materials"]:
                sheets["materials"].append([keys.get(c, material.get(c)) for c in MATERIAL_COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()  # fmt: skip


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _sheet_rows(workbook: Any, name: str, columns: list[str]) -> list[tuple[int, dict[str, Any]]]:
    rows = workbook[name].iter_rows(values_only=True, max_row=MAX_ROWS + 1)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    if header[: len(columns)] != columns:
        raise ValidationError(
            MSG_HEADER, code="bad_header", params={"sheet": name, "columns": ", ".join(columns)}
        )
    out = []
    for n, values in enumerate(rows, start=2):
        if values is None or all(v is None for v in values):
            continue
        out.append((n, {c: _cell(v) for c, v in zip(columns, values, strict=False)}))
    return out


def _implementation(where: str, data: dict[str, Any]) -> dict[str, Any]:
    content = {k: v for k, v in data.items() if k != "item_code"}
    for column in JSON_COLUMNS:
        try:
            content[column] = (
                json.loads(content[column])
                if content[column] != ""
                else ([] if column != "form_schema" else {})
            )
        except (TypeError, json.JSONDecodeError):
            raise ValidationError(
                MSG_CELL_JSON, code="bad_cell", params={"where": where, "column": column}
            ) from None
    fee = content.get("fee_amount")
    content["fee_amount"] = str(Decimal(str(fee))) if fee not in ("", None) else None
    content["fee_free"] = content["fee_amount"] is None
    content["region_code"] = str(content["region_code"])
    return content  # fmt: skip


def rows_from_xlsx(file: IO[bytes]) -> list[Row]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a non-workbook
        raise ValidationError(MSG_NOT_XLSX, code="not_xlsx") from None
    if not {"items", "implementations", "materials"} <= set(workbook.sheetnames):
        raise ValidationError(MSG_SHEETS, code="bad_sheets")
    rows: dict[str, Row] = {}
    for n, data in _sheet_rows(workbook, "items", ITEM_COLUMNS):
        rows[str(data["code"])] = Row(where=str(WHERE_ROW % {"sheet": "items", "n": n}), item=data)
    materials: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for _n, data in _sheet_rows(workbook, "materials", MATERIAL_COLUMNS):
        key = (str(data.pop("item_code")), str(data.pop("region_code")))
        materials.setdefault(key, []).append(data)
    for n, data in _sheet_rows(workbook, "implementations", IMPL_COLUMNS):
        where = str(WHERE_ROW % {"sheet": "implementations", "n": n})
        code = str(data["item_code"])
        if code not in rows:
            raise ValidationError(MSG_ORPHAN, code="orphan", params={"where": where, "code": code})
        content = _implementation(where, data)
        rows[code].implementations.append(
            (where, content, materials.get((code, content["region_code"]), []))
        )
    return list(rows.values())
