"""Chinese lunisolar calendar dates needed for the statutory holidays.

《全国年节及纪念日放假办法》第二条 fixes 春节、端午节 and 中秋节 by the lunar calendar
(农历) and 清明节 by the solar term 清明.  The dates are computed here with the standard
library only, so that a year whose official arrangement has not been published yet can
still be counted provisionally.

Lunar months come from the widely used compact table for lunar years 1900–2100
(``lunarInfo``), one integer per year:

* bits 0–3: the leap month (闰月), 0 when the year has none;
* bits 4–15: the length of months 12 … 1 (bit 15 is month 1), 1 = 30 days, 0 = 29;
* bit 16: the length of the leap month, 1 = 30 days, 0 = 29.

Public copies of the table disagree in a few years.  The entries kept here were checked
against the astronomical new moons (Meeus, *Astronomical Algorithms*, ch. 49; Beijing
time, UTC+8) and against GB/T 33661-2017 《农历的编算和颁行》:

* 1954 (0x0a5b0) and 1978 (0x0b6a0): the new moons of 1954-11-25 20:30 and
  1978-09-03 00:09 make 1978 中秋 fall on 1978-09-17;
* 1996 (0x05ac0): the new moon of 1996-09-13 07:07 makes 1996 中秋 fall on 1996-09-27;
* 2033 (0x04afb): 闰十一月, the reading of GB/T 33661-2017 for the "2033 problem";
* 2057 (0x06aa0): the new moon of 2057-09-28 falls seconds before midnight, so the
  ninth month begins on 2057-09-28.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from gongkai.law.errors import LawInputError

FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2100

# 正月初一 of lunar year 1900.
_EPOCH: Final = date(1900, 1, 31)

# fmt: off
_LUNAR_INFO: Final[tuple[int, ...]] = (
    0x04bd8, 0x04ae0, 0x0a570, 0x054d5, 0x0d260, 0x0d950, 0x16554, 0x056a0,  # 1900
    0x09ad0, 0x055d2, 0x04ae0, 0x0a5b6, 0x0a4d0, 0x0d250, 0x1d255, 0x0b540,  # 1908
    0x0d6a0, 0x0ada2, 0x095b0, 0x14977, 0x04970, 0x0a4b0, 0x0b4b5, 0x06a50,  # 1916
    0x06d40, 0x1ab54, 0x02b60, 0x09570, 0x052f2, 0x04970, 0x06566, 0x0d4a0,  # 1924
    0x0ea50, 0x06e95, 0x05ad0, 0x02b60, 0x186e3, 0x092e0, 0x1c8d7, 0x0c950,  # 1932
    0x0d4a0, 0x1d8a6, 0x0b550, 0x056a0, 0x1a5b4, 0x025d0, 0x092d0, 0x0d2b2,  # 1940
    0x0a950, 0x0b557, 0x06ca0, 0x0b550, 0x15355, 0x04da0, 0x0a5b0, 0x14573,  # 1948
    0x052b0, 0x0a9a8, 0x0e950, 0x06aa0, 0x0aea6, 0x0ab50, 0x04b60, 0x0aae4,  # 1956
    0x0a570, 0x05260, 0x0f263, 0x0d950, 0x05b57, 0x056a0, 0x096d0, 0x04dd5,  # 1964
    0x04ad0, 0x0a4d0, 0x0d4d4, 0x0d250, 0x0d558, 0x0b540, 0x0b6a0, 0x195a6,  # 1972
    0x095b0, 0x049b0, 0x0a974, 0x0a4b0, 0x0b27a, 0x06a50, 0x06d40, 0x0af46,  # 1980
    0x0ab60, 0x09570, 0x04af5, 0x04970, 0x064b0, 0x074a3, 0x0ea50, 0x06b58,  # 1988
    0x05ac0, 0x0ab60, 0x096d5, 0x092e0, 0x0c960, 0x0d954, 0x0d4a0, 0x0da50,  # 1996
    0x07552, 0x056a0, 0x0abb7, 0x025d0, 0x092d0, 0x0cab5, 0x0a950, 0x0b4a0,  # 2004
    0x0baa4, 0x0ad50, 0x055d9, 0x04ba0, 0x0a5b0, 0x15176, 0x052b0, 0x0a930,  # 2012
    0x07954, 0x06aa0, 0x0ad50, 0x05b52, 0x04b60, 0x0a6e6, 0x0a4e0, 0x0d260,  # 2020
    0x0ea65, 0x0d530, 0x05aa0, 0x076a3, 0x096d0, 0x04afb, 0x04ad0, 0x0a4d0,  # 2028
    0x1d0b6, 0x0d250, 0x0d520, 0x0dd45, 0x0b5a0, 0x056d0, 0x055b2, 0x049b0,  # 2036
    0x0a577, 0x0a4b0, 0x0aa50, 0x1b255, 0x06d20, 0x0ada0, 0x14b63, 0x09370,  # 2044
    0x049f8, 0x04970, 0x064b0, 0x168a6, 0x0ea50, 0x06aa0, 0x1a6c4, 0x0aae0,  # 2052
    0x092e0, 0x0d2e3, 0x0c960, 0x0d557, 0x0d4a0, 0x0da50, 0x05d55, 0x056a0,  # 2060
    0x0a6d0, 0x055d4, 0x052d0, 0x0a9b8, 0x0a950, 0x0b4a0, 0x0b6a6, 0x0ad50,  # 2068
    0x055a0, 0x0aba4, 0x0a5b0, 0x052b0, 0x0b273, 0x06930, 0x07337, 0x06aa0,  # 2076
    0x0ad50, 0x14b55, 0x04b60, 0x0a570, 0x054e4, 0x0d160, 0x0e968, 0x0d520,  # 2084
    0x0daa0, 0x16aa6, 0x056d0, 0x04ae0, 0x0a9d4, 0x0a2d0, 0x0d150, 0x0f252,  # 2092
    0x0d520,  # 2100
)
# fmt: on


def _year_starts() -> tuple[date, ...]:
    starts = [_EPOCH]
    for info in _LUNAR_INFO:
        days = sum(30 if info & (0x10000 >> m) else 29 for m in range(1, 13))
        if info & 0xF:
            days += 30 if info & 0x10000 else 29
        starts.append(starts[-1] + timedelta(days=days))
    return tuple(starts)


# _YEAR_STARTS[i] is 正月初一 of lunar year FIRST_YEAR + i; the last entry is the first
# day after the table.
_YEAR_STARTS: Final = _year_starts()


def _info(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise LawInputError(
            "year",
            f"农历年份（year）须在{FIRST_YEAR}—{LAST_YEAR}年之间，收到{year}",
        )
    return _LUNAR_INFO[year - FIRST_YEAR]


def leap_month(year: int) -> int:
    """The leap month (闰月) of lunar ``year``, or 0 when it has none.

    Needed to place 端午 and 中秋 (《全国年节及纪念日放假办法》第二条).
    """
    return _info(year) & 0xF


def month_length(year: int, month: int, leap: bool = False) -> int:
    """Days (29 or 30) in lunar ``month`` of ``year``; ``leap`` selects the 闰月.

    Basis: 《全国年节及纪念日放假办法》第二条 (holidays fixed by the 农历).
    """
    info = _info(year)
    if not 1 <= month <= 12:
        raise LawInputError("month", f"农历月份（month）须在1—12之间，收到{month}")
    if leap:
        if info & 0xF != month:
            raise LawInputError("leap", f"农历{year}年没有闰{month}月（leap）")
        return 30 if info & 0x10000 else 29
    return 30 if info & (0x10000 >> month) else 29


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> date:
    """The Gregorian date of lunar ``year``-``month``-``day`` (``leap`` for a 闰月).

    Used for the lunar holidays of 《全国年节及纪念日放假办法》第二条 (春节、端午节、
    中秋节).
    """
    length = month_length(year, month, leap)
    if not 1 <= day <= length:
        raise LawInputError(
            "day",
            f"农历{year}年{'闰' if leap else ''}{month}月只有{length}天，"
            f"日期（day）为{day}",
        )
    info = _info(year)
    offset = 0
    for m in range(1, month):
        offset += 30 if info & (0x10000 >> m) else 29
        if info & 0xF == m:
            offset += 30 if info & 0x10000 else 29
    if leap:
        offset += 30 if info & (0x10000 >> month) else 29
    return _YEAR_STARTS[year - FIRST_YEAR] + timedelta(days=offset + day - 1)


def chinese_new_year(year: int) -> date:
    """正月初一 of lunar ``year`` (《全国年节及纪念日放假办法》第二条第（二）项)."""
    return lunar_to_solar(year, 1, 1)


def chinese_new_year_eve(year: int) -> date:
    """农历除夕 falling in Gregorian ``year``: the day before 正月初一.

    Part of 春节 from 2025 (《全国年节及纪念日放假办法》第二条第（二）项,
    国务院令第795号) and in 2008–2013 (国务院令第513号).
    """
    return chinese_new_year(year) - timedelta(days=1)


def dragon_boat_festival(year: int) -> date:
    """端午节, lunar 五月初五 (《全国年节及纪念日放假办法》第二条第（五）项)."""
    return lunar_to_solar(year, 5, 5)


def mid_autumn_festival(year: int) -> date:
    """中秋节, lunar 八月十五 (《全国年节及纪念日放假办法》第二条第（六）项)."""
    return lunar_to_solar(year, 8, 15)


# The 通式 counts every fourth year as a leap year; 2100 is not one, so its 清明 falls
# one day later than the formula says (the sun reaches longitude 15° on 2100-04-05
# 00:38 Beijing time).
_QINGMING_CORRECTIONS: Final = {2100: 1}


def qingming(year: int) -> date:
    """清明节, the day of the solar term 清明 (《全国年节及纪念日放假办法》第二条).

    寿星通式: day = int(Y × 0.2422 + C) − int(Y / 4) in April, with Y = year % 100,
    C = 5.59 for 1900–1999 and C = 4.81 for 2000–2100, plus one day in 2100.  The result
    agrees with the apparent solar longitude of 15° (Beijing time) for every year
    1900–2100.
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise LawInputError(
            "year",
            f"清明日期只能推算{FIRST_YEAR}—{LAST_YEAR}年（year），收到{year}",
        )
    y = year % 100
    c = 5.59 if year < 2000 else 4.81
    day = int(y * 0.2422 + c) - y // 4 + _QINGMING_CORRECTIONS.get(year, 0)
    return date(year, 4, day)
