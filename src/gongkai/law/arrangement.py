"""A year's holiday arrangement (放假安排), entered or computed provisionally.

Every year the 国务院办公厅 publishes 《关于某年部分节假日安排的通知》
(国办发明电), which fixes the days off (放假) and the weekend days worked in
exchange (调休上班).  Until that notice is entered for a year, the year is computed
from 《全国年节及纪念日放假办法》 alone and every deadline that touches it is
marked provisional.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Final

from gongkai.law import lunar
from gongkai.law.errors import LawInputError

PROVISIONAL_FIRST_YEAR: Final = 2000
PROVISIONAL_LAST_YEAR: Final = lunar.LAST_YEAR


@dataclass(frozen=True)
class YearArrangement:
    """The days off and the make-up working days (调休) of one calendar year.

    ``holidays`` maps each day off to the Chinese name of its holiday (e.g. "春节"),
    including weekend days inside a holiday block; ``makeup_workdays`` maps each weekend
    day that is worked to the holiday it compensates.  ``source`` names the notice the
    data was taken from (e.g. "国办发明电〔2025〕7号").  Basis:
    《全国年节及纪念日放假办法》 and the yearly 国务院办公厅 notice on the holiday
    arrangement.
    """

    year: int
    holidays: Mapping[date, str]
    makeup_workdays: Mapping[date, str]
    source: str
    provisional: bool = False

    def __post_init__(self) -> None:
        holidays = MappingProxyType(dict(self.holidays))
        makeup = MappingProxyType(dict(self.makeup_workdays))
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "makeup_workdays", makeup)
        if not self.source.strip():
            raise LawInputError(
                "source", "须注明放假安排的来源（source），如国办发明电文号"
            )
        for field, days in (("holidays", holidays), ("makeup_workdays", makeup)):
            for day, name in days.items():
                if isinstance(day, datetime) or not isinstance(day, date):
                    raise LawInputError(field, f"{field}的键必须是日期，收到{day!r}")
                if day.year != self.year:
                    raise LawInputError(field, f"{day}不属于{self.year}年（{field}）")
                if not name.strip():
                    raise LawInputError(field, f"{day}缺少节日名称（{field}）")
        for day in makeup:
            if day.weekday() < 5:
                raise LawInputError(
                    "makeup_workdays",
                    f"调休上班日（makeup_workdays）{day}不是周六或周日",
                )
            if day in holidays:
                raise LawInputError(
                    "makeup_workdays",
                    f"{day}不能既是放假日又是调休上班日（makeup_workdays）",
                )


# (name, dates) of one holiday of 第二条, in the order the article lists them.
_Festival = tuple[str, tuple[date, ...]]


def _days(first: date, count: int) -> tuple[date, ...]:
    return tuple(first + timedelta(days=i) for i in range(count))


def _festivals_2025(year: int) -> list[_Festival]:
    # 国务院令第795号 (2024-11-10, in force 2025-01-01).
    return [
        ("元旦", (date(year, 1, 1),)),
        ("春节", _days(lunar.chinese_new_year_eve(year), 4)),
        ("清明节", (lunar.qingming(year),)),
        ("劳动节", _days(date(year, 5, 1), 2)),
        ("端午节", (lunar.dragon_boat_festival(year),)),
        ("中秋节", (lunar.mid_autumn_festival(year),)),
        ("国庆节", _days(date(year, 10, 1), 3)),
    ]


def _festivals_2014(year: int) -> list[_Festival]:
    # 国务院令第644号 (2013-12-11, in force 2014-01-01): 春节 is 正月初一至初三.
    return [
        ("元旦", (date(year, 1, 1),)),
        ("春节", _days(lunar.chinese_new_year(year), 3)),
        ("清明节", (lunar.qingming(year),)),
        ("劳动节", (date(year, 5, 1),)),
        ("端午节", (lunar.dragon_boat_festival(year),)),
        ("中秋节", (lunar.mid_autumn_festival(year),)),
        ("国庆节", _days(date(year, 10, 1), 3)),
    ]


def _festivals_2008(year: int) -> list[_Festival]:
    # 国务院令第513号 (2007-12-14, in force 2008-01-01): 春节 is 除夕、初一、初二.
    return [
        ("元旦", (date(year, 1, 1),)),
        ("春节", _days(lunar.chinese_new_year_eve(year), 3)),
        ("清明节", (lunar.qingming(year),)),
        ("劳动节", (date(year, 5, 1),)),
        ("端午节", (lunar.dragon_boat_festival(year),)),
        ("中秋节", (lunar.mid_autumn_festival(year),)),
        ("国庆节", _days(date(year, 10, 1), 3)),
    ]


def _festivals_2000(year: int) -> list[_Festival]:
    # 国务院令第270号 (1999-09-18): 元旦 1, 春节 3, 劳动节 3, 国庆节 3 days.
    return [
        ("元旦", (date(year, 1, 1),)),
        ("春节", _days(lunar.chinese_new_year(year), 3)),
        ("劳动节", _days(date(year, 5, 1), 3)),
        ("国庆节", _days(date(year, 10, 1), 3)),
    ]


_VERSIONS: Final[tuple[tuple[int, str, Callable[[int], list[_Festival]]], ...]] = (
    (2025, "《全国年节及纪念日放假办法》（2024年修订）推算", _festivals_2025),
    (2014, "《全国年节及纪念日放假办法》（2013年修订）推算", _festivals_2014),
    (2008, "《全国年节及纪念日放假办法》（2007年修订）推算", _festivals_2008),
    (2000, "《全国年节及纪念日放假办法》（1999年修订）推算", _festivals_2000),
)


def provisional_arrangement(year: int) -> YearArrangement:
    """Weekends plus the statutory holidays of 《全国年节及纪念日放假办法》.

    第二条 of the version in force in ``year`` gives the holidays.  From 2025
    (国务院令第795号): 元旦 1 day, 春节 4 days (除夕、正月初一至初三), 清明节 1,
    劳动节 2 (5月1日、2日), 端午节 1, 中秋节 1, 国庆节 3 (10月1日至3日).
    2014–2024 (第644号): 春节 正月初一至初三, 劳动节 1 day.  2008–2013 (第513号):
    春节 除夕、初一、初二.  2000–2007 (第270号): only 元旦, 春节 (初一至初三),
    劳动节 (3 days) and 国庆节.

    第六条 ("全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假") is applied:
    each statutory day that falls on a weekend, or on a day already off for another
    holiday, is made up by the next free weekday after that holiday (named "…（补假）").
    The yearly notice usually also moves days off next to weekends and adds make-up
    working days (调休); those cannot be predicted, so a provisional year has none.
    """
    if not PROVISIONAL_FIRST_YEAR <= year <= PROVISIONAL_LAST_YEAR:
        raise LawInputError(
            "year",
            f"只能推算{PROVISIONAL_FIRST_YEAR}—{PROVISIONAL_LAST_YEAR}年的放假安排"
            f"（year），收到{year}；请录入该年的放假安排",
        )
    source, festivals = next(
        (source, build(year)) for first, source, build in _VERSIONS if year >= first
    )
    holidays: dict[date, str] = {}
    for name, days in sorted(festivals, key=lambda f: f[1][0]):
        lost = 0
        for day in days:
            if day in holidays:
                holidays[day] = f"{holidays[day]}、{name}"
                lost += 1
            else:
                holidays[day] = name
                lost += day.weekday() >= 5
        day = days[-1]
        while lost:
            day += timedelta(days=1)
            if day.weekday() < 5 and day not in holidays:
                holidays[day] = f"{name}（补假）"
                lost -= 1
    return YearArrangement(
        year=year,
        holidays=holidays,
        makeup_workdays={},
        source=source,
        provisional=True,
    )
