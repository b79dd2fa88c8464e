"""Exporting the 标准目录 (in the county column layout, which the importer reads
back) and its coverage, as JSON, CSV or XLSX."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from gongkai.law.obligations import STATUS_LABELS
from gongkai.obligations.coverage import Matrix
from gongkai.obligations.models import Audience, Mode, Obligation

Format = Literal["json", "csv", "xlsx"]
What = Literal["catalogue", "coverage"]
FORMATS: tuple[Format, ...] = ("json", "csv", "xlsx")
WHATS: tuple[What, ...] = ("catalogue", "coverage")
CONTENT_TYPES: dict[Format, str] = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CATALOGUE_HEAD = [
    [
        "序号",
        "公开事项",
        "",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "",
        "公开方式",
        "",
        "公开层级",
        "",
        "关键词",
    ],
    [
        "",
        "一级事项",
        "二级事项",
        "",
        "",
        "",
        "",
        "",
        "全社会",
        "特定群体",
        "主动",
        "依申请",
        "县级",
        "乡级",
        "",
    ],
]
# Merged header cells of the XLSX sheet, as in published catalogues.
CATALOGUE_MERGES = [
    "A1:A2",
    "B1:C1",
    "D1:D2",
    "E1:E2",
    "F1:F2",
    "G1:G2",
    "H1:H2",
    "I1:J1",
    "K1:L1",
    "M1:N1",
    "O1:O2",
]
COVERAGE_HEAD = [
    [
        "年度",
        "单位",
        "序号",
        "一级事项",
        "二级事项",
        "公开时限",
        "落实情况",
        "应公开日期",
        "关联信息",
        "说明",
    ]
]
TICK = "√"


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def responsible_text(obligation: Obligation) -> str:
    parts = [obligation.unit.name] if obligation.for_owner else []
    if obligation.for_schools:
        parts.append("各学校")
    parts += [u.name for u in obligation.named_units.all()]
    return "、".join(parts)


def _tick(flag: bool) -> str:
    return TICK if flag else ""


def catalogue_rows(obligations: Sequence[Obligation]) -> list[list[str]]:
    rows = [list(r) for r in CATALOGUE_HEAD]
    for o in obligations:
        rows.append(
            [
                str(o.number),
                o.category,
                o.name,
                "\n".join(f"●{e}" for e in o.element_list),
                o.basis,
                o.time_rule,
                responsible_text(o),
                o.channels,
                _tick(o.audience == Audience.PUBLIC),
                _tick(o.audience == Audience.SPECIFIC),
                _tick(o.mode == Mode.PROACTIVE),
                _tick(o.mode == Mode.ON_REQUEST),
                _tick("县级" in o.levels),
                _tick("乡级" in o.levels),
                o.keywords,
            ]
        )
    return rows


def coverage_rows(matrix: Matrix) -> list[list[str]]:
    rows = [list(r) for r in COVERAGE_HEAD]
    for row in matrix.rows:
        for cell in row.cells:
            o = cell.obligation
            rows.append(
                [
                    str(matrix.year),
                    cell.unit.name,
                    str(o.number),
                    o.category,
                    o.name,
                    o.time_rule,
                    STATUS_LABELS[cell.status],
                    str(cell.coverage.due_on or ""),
                    "；".join(_item_title(i) for i in cell.items),
                    cell.coverage.note,
                ]
            )
    return rows


def _item_title(item: Any) -> str:
    revision = item.published_revision or item.draft_revision
    return revision.title if revision is not None else f"#{item.pk}"


def obligation_dict(o: Obligation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "unit": o.unit.name,
        "number": o.number,
        "category": o.category,
        "name": o.name,
        "elements": o.element_list,
        "basis": o.basis,
        "time_rule": o.time_rule,
        "responsible": responsible_text(o),
        "for_owner": o.for_owner,
        "for_schools": o.for_schools,
        "named_units": [u.name for u in o.named_units.all()],
        "channels": o.channels,
        "audience": o.audience,
        "mode": o.mode,
        "levels": o.levels,
        "keywords": o.keywords,
        "effective_from": o.effective_from.isoformat(),
    }


def coverage_dict(matrix: Matrix) -> dict[str, Any]:
    return {
        "year": matrix.year,
        "as_of": matrix.today.isoformat(),
        "units": [{"id": u.pk, "name": u.name} for u in matrix.units],
        "counts": {s.value: n for s, n in matrix.counts().items()},
        "cells": [
            {
                "unit": cell.unit.pk,
                "obligation": cell.obligation.pk,
                "status": cell.status.value,
                "label": cell.coverage.label,
                "due_on": cell.coverage.due_on.isoformat()
                if cell.coverage.due_on
                else None,
                "note": cell.coverage.note,
                "periods": [
                    {"period": p.key, "status": c.status.value, "note": c.note}
                    for p, c in cell.periods
                ],
                "items": [
                    {"id": i.pk, "title": _item_title(i), "public": i.is_public}
                    for i in cell.items
                ],
            }
            for cell in matrix.cells()
        ],
    }


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    # The BOM makes Excel open the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def _xlsx(sheets: list[tuple[str, list[list[str]], list[str]]]) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, merges in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in merges:
            sheet.merge_cells(cells)
        heads = 2 if merges else 1
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if cell.row <= heads:
                    cell.font = Font(bold=True)
        sheet.freeze_panes = f"A{heads + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(
    *,
    what: What,
    fmt: Format,
    obligations: Sequence[Obligation],
    matrix: Matrix,
    stem: str,
) -> Export:
    """The file; JSON and XLSX always carry both the catalogue and coverage."""
    filename = f"{stem}.{fmt}"
    if fmt == "json":
        body = {
            "catalogue": [obligation_dict(o) for o in obligations],
            "coverage": coverage_dict(matrix),
        }
        content = json.dumps(body, ensure_ascii=False, indent=2).encode()
    elif fmt == "csv":
        rows = catalogue_rows(obligations) if what == "catalogue" else None
        content = _csv(rows if rows is not None else coverage_rows(matrix))
    else:
        sheets = [
            ("标准目录", catalogue_rows(obligations), CATALOGUE_MERGES),
            ("落实情况", coverage_rows(matrix), []),
        ]
        if what == "coverage":
            sheets.reverse()
        content = _xlsx(sheets)
    return Export(content, CONTENT_TYPES[fmt], filename)
