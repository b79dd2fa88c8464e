"""The official holiday arrangements 2004–2026, taken from ``chinese_calendar``."""

from __future__ import annotations

from chinese_calendar.constants import Holiday, holidays, workdays

from gongkai.law.workcalendar import WorkCalendar, YearArrangement

# chinese_calendar uses the short names; the law package uses the names of 第二条.
_FULL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


def _name(value: str) -> str:
    chinese: str = Holiday(value).chinese
    return _FULL_NAMES.get(chinese, chinese)


def official_arrangement(year: int) -> YearArrangement:
    return YearArrangement(
        year=year,
        holidays={d: _name(v) for d, v in holidays.items() if d.year == year},
        makeup_workdays={d: _name(v) for d, v in workdays.items() if d.year == year},
        source=f"国务院办公厅关于{year}年部分节假日安排的通知",
    )


def official_calendar(first: int = 2018, last: int = 2026) -> WorkCalendar:
    return WorkCalendar(official_arrangement(y) for y in range(first, last + 1))
