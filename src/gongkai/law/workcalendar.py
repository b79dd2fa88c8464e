"""Working days (工作日) under the official holiday arrangements.

Every period of the 《政府信息公开条例》 is counted in working days: weekends and days
off are skipped, weekend days worked in exchange (调休上班) count.  Periods start the
day after the triggering day (《中华人民共和国民法典》第二百零一条: "按照年、月、日计算
期间的，开始的当日不计入，自下一日开始计算").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from gongkai.law.arrangement import YearArrangement, provisional_arrangement
from gongkai.law.errors import LawInputError

__all__ = [
    "DayInfo",
    "DayKind",
    "WorkCalendar",
    "YearArrangement",
    "provisional_arrangement",
]

_WEEKDAY_NAMES: Final = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class DayKind(StrEnum):
    """What a calendar day is for the counting of working days."""

    workday = "workday"
    weekend = "weekend"
    holiday = "holiday"
    makeup_workday = "makeup_workday"


@dataclass(frozen=True)
class DayInfo:
    """One calendar day with the reason it is, or is not, a working day."""

    date: date
    kind: DayKind
    is_workday: bool
    name: str
    provisional: bool
    reason: str


@dataclass(frozen=True)
class _Year:
    arrangement: YearArrangement
    provisional: bool
    # Proleptic ordinals of the year's working days, ascending.
    workdays: tuple[int, ...]
    workday_set: frozenset[int]


class WorkCalendar:
    """Working days from entered arrangements, provisional for the other years.

    A year without an entered :class:`YearArrangement` is computed with
    :func:`provisional_arrangement` (《全国年节及纪念日放假办法》) and every day of
    it is reported as provisional.
    """

    def __init__(self, arrangements: Iterable[YearArrangement] = ()) -> None:
        self._arrangements: dict[int, YearArrangement] = {}
        for arrangement in arrangements:
            if arrangement.year in self._arrangements:
                raise LawInputError(
                    "arrangements",
                    f"{arrangement.year}年的放假安排重复录入（arrangements）",
                )
            self._arrangements[arrangement.year] = arrangement
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            arrangement = self._arrangements.get(year)
            provisional = arrangement is None or arrangement.provisional
            if arrangement is None:
                arrangement = provisional_arrangement(year)
            day = date(year, 1, 1)
            workdays = []
            while day.year == year:
                if day in arrangement.makeup_workdays or (
                    day.weekday() < 5 and day not in arrangement.holidays
                ):
                    workdays.append(day.toordinal())
                day += timedelta(days=1)
            table = _Year(
                arrangement, provisional, tuple(workdays), frozenset(workdays)
            )
            self._years[year] = table
        return table

    def years(self) -> set[int]:
        """The years whose arrangement was entered.

        Each is the yearly 国务院办公厅 notice applying 《全国年节及纪念日放假办法》
        第二条、第六条; the other years are provisional.
        """
        return set(self._arrangements)

    def day(self, d: date) -> DayInfo:
        """Whether ``d`` is a working day, and why (《全国年节及纪念日放假办法》第二条)."""
        table = self._year(d.year)
        arrangement = table.arrangement
        if d in arrangement.holidays:
            name = arrangement.holidays[d]
            kind, reason = DayKind.holiday, f"法定节假日：{name}"
        elif d in arrangement.makeup_workdays:
            name = arrangement.makeup_workdays[d]
            kind, reason = DayKind.makeup_workday, f"调休上班（{name}）"
        elif d.weekday() >= 5:
            name = ""
            kind, reason = DayKind.weekend, _WEEKDAY_NAMES[d.weekday()]
        else:
            name = ""
            kind, reason = DayKind.workday, "工作日"
        return DayInfo(
            date=d,
            kind=kind,
            is_workday=kind in (DayKind.workday, DayKind.makeup_workday),
            name=name,
            provisional=table.provisional,
            reason=reason,
        )

    def is_workday(self, d: date) -> bool:
        """True if ``d`` is a 工作日, the unit of 《政府信息公开条例》第三十三条."""
        return d.toordinal() in self._year(d.year).workday_set

    def is_provisional(self, d: date) -> bool:
        """True if ``d``'s year is only computed from 《全国年节及纪念日放假办法》第二条."""
        return self._year(d.year).provisional

    def add_workdays(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``; ``start`` itself is never counted.

        《中华人民共和国民法典》第二百零一条: the period starts the next day, so
        ``add_workdays(received_on, 20)`` is the last day of the 20 working days of
        《政府信息公开条例》第三十三条.  ``n == 0`` returns ``start``.
        """
        if n < 0:
            raise LawInputError("n", f"工作日数（n）不能为负数，收到{n}")
        if n == 0:
            return start
        year = start.year
        index = bisect_right(self._year(year).workdays, start.toordinal())
        while True:
            workdays = self._year(year).workdays
            available = len(workdays) - index
            if n <= available:
                return date.fromordinal(workdays[index + n - 1])
            n -= available
            year += 1
            index = 0

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d`` (民法典第二百零一条)."""
        return self.add_workdays(d, 1)

    def workdays_between(self, a: date, b: date) -> int:
        """The number of working days ``d`` with ``a < d <= b``; 0 if ``b <= a``.

        The same count as the statutory periods (民法典第二百零一条: the first day is
        not counted), e.g. the time taken under 《政府信息公开条例》第二十六条.
        """
        if b <= a:
            return 0
        count = 0
        for year in range(a.year, b.year + 1):
            workdays = self._year(year).workdays
            low = bisect_right(workdays, a.toordinal()) if year == a.year else 0
            high = bisect_right(workdays, b.toordinal())
            count += high - low
        return count
