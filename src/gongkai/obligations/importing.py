"""Importing a 标准目录 from CSV or XLSX in the column layout counties publish
(LAW.md §5): 序号 | 公开事项(一级事项, 二级事项) | 公开内容（要素） | 公开依据 | 公开时限 |
公开主体 | 公开渠道和载体 | 公开对象(全社会, 特定群体) | 公开方式(主动, 依申请) |
公开层级(县级, 乡级). The grouped headings may take two header rows with √ marks
below, or one row with the values written out; an empty 一级事项 continues the
one above (merged cells). A file with any bad row imports nothing."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.db import transaction

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.audit.services import record_event
from gongkai.obligations.models import Audience, Mode, Obligation
from gongkai.obligations.permissions import can_edit_catalogue
from gongkai.obligations.services import clean_fields, clean_levels, save_obligation

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
HEADERS = {
    "序号": "number",
    "一级事项": "category",
    "二级事项": "name",
    "公开内容(要素)": "elements",
    "公开内容要素": "elements",
    "公开内容": "elements",
    "公开依据": "basis",
    "公开时限": "time_rule",
    "公开主体": "responsible",
    "公开渠道和载体": "channels",
    "公开渠道": "channels",
    "公开对象": "audience",
    "全社会": "mark:audience:public",
    "特定群体": "mark:audience:specific",
    "公开方式": "mode",
    "主动": "mark:mode:proactive",
    "依申请": "mark:mode:on_request",
    "公开层级": "levels",
    "县级": "mark:levels:县级",
    "乡级": "mark:levels:乡级",
    "关键词": "keywords",
    "匹配关键词": "keywords",
}
SUB_HEADERS = {
    "一级事项",
    "二级事项",
    "全社会",
    "特定群体",
    "主动",
    "依申请",
    "县级",
    "乡级",
}
MARK_LABELS = {
    v.removeprefix("mark:"): k for k, v in HEADERS.items() if v.startswith("mark:")
}
CHOICE_LABELS = {"audience": "公开对象", "mode": "公开方式"}
MARKS = {"√", "✓", "✔", "☑", "●", "■", "是", "y", "1"}
_BUREAU = re.compile(
    r"^(?:本单位|本局|本机关|(?:县|区|市|区县|县区|县级)?(?:人民政府)?教育(?:行政)?(?:主管)?(?:部门|局))$"
)
_SCHOOLS = re.compile(
    r"^(?:各|全部|辖区)?(?:级各类)?(?:中小学校?|中小学及?幼儿园|学校|校|义务教育学校|公办学校)$"
)
_PARENTHESES = re.compile(r"[(（][^)）]*[)）]")
_SPLIT = re.compile(r"[、,，;；/\s]+")


class ImportRejected(ServiceError):
    """A file with bad rows: each error names its row; nothing was imported."""

    def __init__(self, errors: list[str]) -> None:
        shown = "；".join(errors[:20]) + ("……" if len(errors) > 20 else "")
        super().__init__(f"导入失败，未导入任何事项。{shown}")
        self.errors = errors


@dataclass(frozen=True)
class ParsedRow:
    row: int
    data: dict[str, Any]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip()


def read_table(filename: str, content: bytes) -> list[list[str]]:
    if len(content) > MAX_BYTES:
        raise ImportRejected(["文件超过5MB"])
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("gb18030", errors="replace")
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    if suffix == ".xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True
            )
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise ImportRejected(
                [f"无法读取 XLSX 文件：{exc.__class__.__name__}"]
            ) from exc
        sheet = (
            book["标准目录"] if "标准目录" in book.sheetnames else book.worksheets[0]
        )
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    raise ImportRejected(["只能导入 CSV 或 XLSX 文件"])


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _columns(table: list[list[str]]) -> tuple[int, dict[int, str]]:
    """The first data row and the field of each column."""
    for h, row in enumerate(table[:10]):
        names = [_norm(c) for c in row]
        if not any(n in HEADERS or n == "公开事项" for n in names):
            continue
        sub = [_norm(c) for c in table[h + 1]] if h + 1 < len(table) else []
        # A second header row holds nothing but sub-headings (a data row holds
        # names of items, which never are).
        filled = [n for n in sub if n]
        two_rows = len(filled) >= 2 and all(n in SUB_HEADERS for n in filled)
        columns = {}
        for i, top in enumerate(names):
            below = sub[i] if two_rows and i < len(sub) else ""
            key = HEADERS.get(below or top)
            if key is not None:
                columns[i] = key
        missing = [
            label
            for label, key in (("一级事项", "category"), ("二级事项", "name"))
            if key not in columns.values()
        ]
        if missing:
            raise ImportRejected([f"第{h + 1}行：表头缺少“{'”“'.join(missing)}”列"])
        return h + (2 if two_rows else 1), columns
    raise ImportRejected(["前10行中没有找到表头（应包含“一级事项”“二级事项”等列）"])


def _mark(value: str, label: str) -> bool:
    if not value:
        return False
    if value.lower() in MARKS:
        return True
    raise ServiceError(f"“{label}”列的标记“{value}”无法识别，请用“√”或留空")


def _choice(
    raw: dict[str, str], marks: dict[str, bool], key: str, values: dict[str, str]
) -> str:
    text = _norm(raw.get(key, ""))
    if text:
        found = [v for word, v in values.items() if word in text]
        if not found:
            raise ServiceError(
                f"{CHOICE_LABELS[key]}“{raw[key]}”无效，应为“{'”或“'.join(values)}”"
            )
        return found[0]
    chosen = [v for word, v in values.items() if marks.get(f"{key}:{v}")]
    return chosen[0] if chosen else next(iter(values.values()))


def unit_names(owner: Unit) -> dict[str, Unit]:
    """``owner`` and the active units below it, by full and short name."""
    return {
        _norm(name): u
        for u in Unit.objects.filter(path__startswith=owner.path, is_active=True)
        for name in (u.name, u.short_name)
    }


def resolve_responsible(
    owner: Unit, text: str, units: dict[str, Unit]
) -> dict[str, Any]:
    """公开主体 as for_owner / for_schools / named_units; an unknown unit is refused."""
    parts = [p for p in _SPLIT.split(_PARENTHESES.sub("", _norm(text))) if p]
    if not parts:
        return {"for_owner": True, "for_schools": False, "named_units": []}
    result: dict[str, Any] = {
        "for_owner": False,
        "for_schools": False,
        "named_units": [],
    }
    for part in parts:
        unit = units.get(part)
        if _BUREAU.match(part) or (unit is not None and unit.pk == owner.pk):
            result["for_owner"] = True
        elif _SCHOOLS.match(part):
            result["for_schools"] = True
        elif unit is not None:
            result["named_units"].append(unit)
        else:
            raise ServiceError(f"公开主体“{part}”不是{owner.short_name}或其下属单位")
    return result


def _row_fields(
    owner: Unit, raw: dict[str, str], marks: dict[str, bool], units: dict[str, Unit]
) -> dict[str, Any]:
    number_text = raw.get("number", "").rstrip(".")
    if number_text and not number_text.isdigit():
        raise ServiceError(f"序号“{number_text}”应为整数")
    levels = raw.get("levels") or "、".join(
        level for level in ("县级", "乡级") if marks.get(f"levels:{level}")
    )
    fields: dict[str, Any] = {
        "number": int(number_text) if number_text else None,
        "category": raw.get("category", ""),
        "name": raw.get("name", ""),
        "elements": raw.get("elements", ""),
        "basis": raw.get("basis", ""),
        "time_rule": raw.get("time_rule", ""),
        "channels": raw.get("channels", ""),
        "audience": _choice(
            raw,
            marks,
            "audience",
            {"全社会": Audience.PUBLIC, "特定群体": Audience.SPECIFIC},
        ),
        "mode": _choice(
            raw, marks, "mode", {"主动": Mode.PROACTIVE, "依申请": Mode.ON_REQUEST}
        ),
        "levels": clean_levels(levels),
        "keywords": raw.get("keywords", ""),
        **resolve_responsible(owner, raw.get("responsible", ""), units),
    }
    return clean_fields(owner, fields)


def parse_catalogue(
    owner: Unit, filename: str, content: bytes, *, update_existing: bool = False
) -> list[ParsedRow]:
    """Every row of the file, validated; raises :class:`ImportRejected` listing
    each bad row (unknown unit, unreadable time limit, duplicate item …)."""
    table = read_table(filename, content)
    first, columns = _columns(table)
    if len(table) - first > MAX_ROWS:
        raise ImportRejected([f"一次最多导入{MAX_ROWS}行"])
    existing = set(
        Obligation.objects.filter(unit=owner).values_list("category", "name")
    )
    units = unit_names(owner)
    errors: list[str] = []
    rows: list[ParsedRow] = []
    seen: dict[tuple[str, str], int] = {}
    category = ""
    for index in range(first, len(table)):
        cells = table[index]
        if not any(cells):
            continue
        row_no = index + 1
        raw: dict[str, str] = {}
        marks: dict[str, bool] = {}
        try:
            for i, key in columns.items():
                value = cells[i] if i < len(cells) else ""
                if key.startswith("mark:"):
                    mark = key.removeprefix("mark:")
                    marks[mark] = _mark(value, MARK_LABELS[mark])
                else:
                    raw[key] = value
            category = raw.get("category") or category
            raw["category"] = category
            data = _row_fields(owner, raw, marks, units)
        except ServiceError as exc:
            errors.append(f"第{row_no}行：{exc.message}")
            continue
        key2 = (data["category"], data["name"])
        if key2 in seen:
            errors.append(
                f"第{row_no}行：事项“{key2[0]}›{key2[1]}”与第{seen[key2]}行重复"
            )
            continue
        if key2 in existing and not update_existing:
            errors.append(
                f"第{row_no}行：事项“{key2[0]}›{key2[1]}”已在目录中（如需更新，请选择“更新已有事项”）"
            )
            continue
        seen[key2] = row_no
        rows.append(ParsedRow(row_no, data))
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected(["文件中没有任何事项"])
    return rows


def import_obligations(
    *,
    actor: User | None,
    unit: Unit,
    filename: str,
    content: bytes,
    update_existing: bool = False,
) -> ImportResult:
    """All rows or none, in one transaction with one audit event."""
    if actor is not None and not can_edit_catalogue(actor, unit):
        raise ServiceError("只有公开办工作人员可以导入标准目录")
    rows = parse_catalogue(unit, filename, content, update_existing=update_existing)
    created = updated = 0
    with transaction.atomic():
        existing = {
            (o.category, o.name): o.pk
            for o in Obligation.objects.select_for_update().filter(unit=unit)
        }
        for row in rows:
            pk = existing.get((row.data["category"], row.data["name"]))
            save_obligation(unit, dict(row.data), pk=pk)
            created, updated = (
                (created + 1, updated) if pk is None else (created, updated + 1)
            )
        record_event(
            actor=actor,
            action="obligations.imported",
            summary=f"导入标准目录：{PurePath(filename).name}（新增{created}项，更新{updated}项）",
            unit=unit,
            data={
                "file": PurePath(filename).name,
                "created": created,
                "updated": updated,
            },
        )
    return ImportResult(created, updated)
