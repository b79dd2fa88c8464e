"""Reading a year's arrangement from a file (CSV or JSON) or from console text.

CSV: a header ``date,kind,name`` and one row per day; ``kind`` is ``holiday`` (放假)
or ``makeup_workday`` (调休上班). The notice is given separately (``--source``).
JSON: ``{"year": 2027, "source": "国办发明电〔2026〕…号",
"holidays": {"2027-01-01": "元旦", …}, "makeup_workdays": {"2027-02-20": "春节", …}}``.
Console text: one line per day or range, ``2027-02-05 春节`` or
``2027-02-05~2027-02-11 春节``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from gongkai.law.arrangement import YearArrangement
from gongkai.law.errors import LawInputError

KIND_ALIASES = {
    "holiday": "holiday",
    "放假": "holiday",
    "makeup_workday": "makeup_workday",
    "调休上班": "makeup_workday",
    "上班": "makeup_workday",
}


class ArrangementFileError(ValueError):
    """A malformed calendar file or text; the message names the line and field."""


def _date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ArrangementFileError(
            f"{where}：日期“{text}”不是 YYYY-MM-DD 格式"
        ) from None


def _build(
    year: int | None,
    source: str,
    holidays: dict[date, str],
    makeup: dict[date, str],
) -> YearArrangement:
    days = [*holidays, *makeup]
    if not days:
        raise ArrangementFileError("文件中没有任何放假或调休日期")
    years = {d.year for d in days}
    if year is None:
        if len(years) != 1:
            raise ArrangementFileError(
                f"一个文件只能包含一个年份，实际包含：{sorted(years)}"
            )
        year = years.pop()
    try:
        return YearArrangement(
            year=year, holidays=holidays, makeup_workdays=makeup, source=source
        )
    except LawInputError as exc:
        raise ArrangementFileError(exc.message) from exc


def parse_csv(text: str, *, source: str) -> YearArrangement:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or not {"date", "kind", "name"} <= {
        f.strip() for f in reader.fieldnames
    }:
        raise ArrangementFileError("CSV 第1行须为表头 date,kind,name")
    holidays: dict[date, str] = {}
    makeup: dict[date, str] = {}
    for lineno, row in enumerate(reader, start=2):
        where = f"第{lineno}行"
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        day = _date(row["date"], f"{where} date 列")
        kind = KIND_ALIASES.get(row["kind"])
        if kind is None:
            raise ArrangementFileError(
                f"{where} kind 列：“{row['kind']}”应为 holiday（放假）或 makeup_workday（调休上班）"
            )
        if not row["name"]:
            raise ArrangementFileError(f"{where} name 列：缺少节日名称")
        if day in holidays or day in makeup:
            raise ArrangementFileError(f"{where} date 列：{day} 重复出现")
        (holidays if kind == "holiday" else makeup)[day] = row["name"]
    return _build(None, source, holidays, makeup)


def parse_json(text: str) -> YearArrangement:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArrangementFileError(
            f"JSON 格式错误（第{exc.lineno}行）：{exc.msg}"
        ) from None
    if not isinstance(data, dict):
        raise ArrangementFileError("JSON 顶层应为对象")
    year = data.get("year")
    if not isinstance(year, int):
        raise ArrangementFileError("JSON 字段 year 应为整数年份")
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ArrangementFileError("JSON 字段 source 应为放假通知的文号")
    result: dict[str, dict[date, str]] = {}
    for field in ("holidays", "makeup_workdays"):
        raw = data.get(field, {})
        if not isinstance(raw, dict):
            raise ArrangementFileError(f"JSON 字段 {field} 应为“日期: 节日名称”的对象")
        result[field] = {
            _date(str(k), f"JSON 字段 {field}"): str(v) for k, v in raw.items()
        }
    return _build(year, source, result["holidays"], result["makeup_workdays"])


def parse_file(path: Path, *, source: str | None = None) -> YearArrangement:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ArrangementFileError(f"无法读取文件 {path}：{exc}") from None
    if path.suffix.lower() == ".json":
        return parse_json(text)
    if path.suffix.lower() == ".csv":
        if not source:
            raise ArrangementFileError("CSV 文件须用 --source 注明放假通知的文号")
        return parse_csv(text, source=source)
    raise ArrangementFileError("只支持 .csv 或 .json 文件")


def parse_lines(text: str, field: str) -> dict[date, str]:
    """Console text: ``2027-02-05 春节`` or ``2027-02-05~2027-02-11 春节`` per line."""
    days: dict[date, str] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        where = f"{field}第{lineno}行"
        parts = line.split(maxsplit=1)
        if len(parts) != 2:
            raise ArrangementFileError(f"{where}：应为“日期 节日名称”")
        span, name = parts
        first_text, _, last_text = span.partition("~")
        first = _date(first_text, where)
        last = _date(last_text, where) if last_text else first
        if last < first or (last - first).days > 31:
            raise ArrangementFileError(f"{where}：日期范围无效")
        day = first
        while day <= last:
            days[day] = name.strip()
            day += timedelta(days=1)
    return days


def arrangement_from_lines(
    *, year: int, source: str, holidays_text: str, makeup_text: str
) -> YearArrangement:
    holidays = parse_lines(holidays_text, "放假日期")
    makeup = parse_lines(makeup_text, "调休上班日期")
    return _build(year, source, holidays, makeup)


def arrangement_to_json(arrangement: YearArrangement) -> str:
    return json.dumps(
        {
            "year": arrangement.year,
            "source": arrangement.source,
            "holidays": {
                d.isoformat(): n for d, n in sorted(arrangement.holidays.items())
            },
            "makeup_workdays": {
                d.isoformat(): n for d, n in sorted(arrangement.makeup_workdays.items())
            },
        },
        ensure_ascii=False,
        indent=2,
    )
