"""Working days under the official arrangements and the provisional computation."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.law.errors import LawInputError
from gongkai.law.workcalendar import (
    DayKind,
    WorkCalendar,
    YearArrangement,
    provisional_arrangement,
)

from .real_calendar import official_calendar

SPRING_FESTIVAL_2026 = YearArrangement(
    year=2026,
    holidays={date(2026, 2, 15) + timedelta(days=i): "春节" for i in range(9)},
    makeup_workdays={date(2026, 2, 14): "春节", date(2026, 2, 28): "春节"},
    source="国办发明电〔2025〕7号",
)


@pytest.mark.parametrize(
    ("day", "kind", "is_workday", "reason"),
    [
        (date(2026, 2, 13), DayKind.workday, True, "工作日"),
        (date(2026, 2, 14), DayKind.makeup_workday, True, "调休上班（春节）"),
        (date(2026, 2, 15), DayKind.holiday, False, "法定节假日：春节"),
        (date(2026, 2, 17), DayKind.holiday, False, "法定节假日：春节"),
        (date(2026, 2, 23), DayKind.holiday, False, "法定节假日：春节"),
        (date(2026, 2, 24), DayKind.workday, True, "工作日"),
        (date(2026, 2, 28), DayKind.makeup_workday, True, "调休上班（春节）"),
        (date(2026, 3, 1), DayKind.weekend, False, "周日"),
        (date(2026, 3, 7), DayKind.weekend, False, "周六"),
    ],
)
def test_spring_festival_2026_days_are_classified(
    day: date, kind: DayKind, is_workday: bool, reason: str
) -> None:
    calendar = WorkCalendar([SPRING_FESTIVAL_2026])
    info = calendar.day(day)
    assert (info.kind, info.is_workday, info.reason) == (kind, is_workday, reason)
    assert info.date == day
    assert not info.provisional
    assert calendar.is_workday(day) is is_workday


def test_spring_festival_2026_counts_the_make_up_saturdays(
    calendar: WorkCalendar,
) -> None:
    for source in (calendar, WorkCalendar([SPRING_FESTIVAL_2026])):
        assert source.next_workday(date(2026, 2, 13)) == date(2026, 2, 14)
        assert source.next_workday(date(2026, 2, 14)) == date(2026, 2, 24)
        assert source.add_workdays(date(2026, 2, 13), 6) == date(2026, 2, 28)
        assert source.workdays_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_the_fixture_holds_the_real_2026_arrangement(calendar: WorkCalendar) -> None:
    assert calendar.day(date(2026, 2, 15)).name == "春节"
    assert calendar.day(date(2026, 2, 28)).kind is DayKind.makeup_workday
    assert calendar.years() == set(range(2018, 2027))


@pytest.mark.parametrize(
    ("day", "next_workday"),
    [
        # 中秋 2023-09-29 and 国庆节: 09-29..10-06 off, 10-07 and 10-08 worked.
        (date(2023, 9, 28), date(2023, 10, 7)),
        (date(2023, 10, 7), date(2023, 10, 8)),
        (date(2023, 10, 8), date(2023, 10, 9)),
        # 国庆节 and 中秋 2025-10-06: 10-01..10-08 off, 09-28 and 10-11 worked.
        (date(2025, 9, 26), date(2025, 9, 28)),
        (date(2025, 9, 30), date(2025, 10, 9)),
        (date(2025, 10, 10), date(2025, 10, 11)),
        (date(2025, 10, 11), date(2025, 10, 13)),
    ],
)
def test_national_day_and_mid_autumn_breaks(
    calendar: WorkCalendar, day: date, next_workday: date
) -> None:
    assert calendar.next_workday(day) == next_workday


def test_mid_autumn_days_carry_their_names(calendar: WorkCalendar) -> None:
    assert calendar.day(date(2025, 10, 6)).reason == "法定节假日：中秋节"
    assert calendar.day(date(2023, 9, 29)).reason == "法定节假日：中秋节"
    assert calendar.day(date(2023, 10, 8)).reason == "调休上班（国庆节）"


def test_2027_is_computed_provisionally(calendar: WorkCalendar) -> None:
    arrangement = provisional_arrangement(2027)
    assert arrangement.provisional
    assert arrangement.source == "《全国年节及纪念日放假办法》（2024年修订）推算"
    assert arrangement.makeup_workdays == {}
    assert dict(arrangement.holidays) == {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节",
        date(2027, 2, 6): "春节",
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",
        date(2027, 2, 9): "春节（补假）",
        date(2027, 2, 10): "春节（补假）",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 5, 3): "劳动节（补假）",
        date(2027, 5, 4): "劳动节（补假）",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
        date(2027, 10, 4): "国庆节（补假）",
        date(2027, 10, 5): "国庆节（补假）",
    }
    info = calendar.day(date(2027, 2, 5))
    assert info.provisional
    assert info.reason == "法定节假日：春节"
    assert calendar.is_provisional(date(2027, 6, 9))
    assert not calendar.is_provisional(date(2026, 12, 31))
    assert calendar.next_workday(date(2027, 2, 4)) == date(2027, 2, 11)


@pytest.mark.parametrize(
    ("year", "source", "days_off", "working"),
    [
        (
            2025,
            "《全国年节及纪念日放假办法》（2024年修订）推算",
            [date(2025, 1, 28), date(2025, 1, 31), date(2025, 5, 2)],
            [date(2025, 2, 5)],
        ),
        (
            2019,
            "《全国年节及纪念日放假办法》（2013年修订）推算",
            [date(2019, 2, 5), date(2019, 2, 7), date(2019, 4, 5), date(2019, 6, 7)],
            [date(2019, 2, 4), date(2019, 5, 2)],
        ),
        (
            2010,
            "《全国年节及纪念日放假办法》（2007年修订）推算",
            [date(2010, 2, 15), date(2010, 2, 17), date(2010, 5, 3), date(2010, 9, 22)],
            [date(2010, 2, 18), date(2010, 5, 4)],
        ),
        (
            2005,
            "《全国年节及纪念日放假办法》（1999年修订）推算",
            [date(2005, 2, 9), date(2005, 5, 3)],
            [date(2005, 4, 5), date(2005, 6, 13)],
        ),
    ],
)
def test_each_version_of_the_holiday_rules_applies_to_its_years(
    year: int, source: str, days_off: list[date], working: list[date]
) -> None:
    arrangement = provisional_arrangement(year)
    assert arrangement.source == source
    calendar = WorkCalendar()
    for day in days_off:
        assert not calendar.is_workday(day), day
    for day in working:
        assert calendar.is_workday(day), day


def test_a_day_claimed_by_two_holidays_is_made_up() -> None:
    # 2020: 中秋 fell on 10-01, the first day of 国庆节.
    holidays = provisional_arrangement(2020).holidays
    assert holidays[date(2020, 10, 1)] == "中秋节、国庆节"
    assert holidays[date(2020, 10, 5)] == "国庆节（补假）"
    assert holidays[date(2020, 10, 6)] == "国庆节（补假）"
    assert date(2020, 10, 7) not in holidays


@pytest.mark.parametrize(
    "year",
    [
        *range(2004, 2006),
        2008,
        2009,
        2010,
        *range(2013, 2015),
        *range(2016, 2020),
        *range(2021, 2027),
    ],
)
def test_provisional_years_have_as_many_weekdays_off_as_the_real_ones(
    year: int,
) -> None:
    """Net of make-up days, the official notice gives the days of 第二条 and 第六条.

    Left out: years whose 元旦 break straddles the year end (2006, 2007, 2011, 2012),
    2015 (the extra 抗战胜利70周年 day) and 2020 (the epidemic extension of 春节).
    """
    from chinese_calendar.constants import holidays, workdays

    provisional = sum(d.weekday() < 5 for d in provisional_arrangement(year).holidays)
    real = sum(d.year == year and d.weekday() < 5 for d in holidays) - sum(
        d.year == year for d in workdays
    )
    assert provisional == real


def test_an_entered_provisional_arrangement_stays_provisional() -> None:
    calendar = WorkCalendar([provisional_arrangement(2027)])
    assert calendar.years() == {2027}
    assert calendar.is_provisional(date(2027, 3, 1))


def test_adding_zero_workdays_returns_the_start() -> None:
    calendar = WorkCalendar()
    assert calendar.add_workdays(date(2027, 2, 6), 0) == date(2027, 2, 6)


def test_counting_crosses_into_a_provisional_year(calendar: WorkCalendar) -> None:
    assert calendar.add_workdays(date(2026, 12, 30), 2) == date(2027, 1, 4)
    assert calendar.workdays_between(date(2026, 12, 30), date(2027, 1, 4)) == 2
    assert calendar.workdays_between(date(2027, 1, 4), date(2026, 12, 30)) == 0
    assert calendar.workdays_between(date(2027, 1, 4), date(2027, 1, 4)) == 0


def test_adding_twenty_workdays_a_hundred_thousand_times_is_fast(
    calendar: WorkCalendar,
) -> None:
    starts = [date(2025, 1, 1) + timedelta(days=i % 700) for i in range(100_000)]
    began = time.perf_counter()
    for start in starts:
        calendar.add_workdays(start, 20)
    assert time.perf_counter() - began < 5


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: WorkCalendar().add_workdays(date(2025, 1, 1), -1), "n"),
        (
            lambda: WorkCalendar([SPRING_FESTIVAL_2026, SPRING_FESTIVAL_2026]),
            "arrangements",
        ),
        (lambda: provisional_arrangement(1999), "year"),
        (lambda: provisional_arrangement(2101), "year"),
        (lambda: WorkCalendar().is_workday(date(2101, 1, 3)), "year"),
        (
            lambda: YearArrangement(2026, {date(2025, 12, 31): "元旦"}, {}, "通知"),
            "holidays",
        ),
        (
            lambda: YearArrangement(2026, {}, {date(2026, 2, 13): "春节"}, "通知"),
            "makeup_workdays",
        ),
        (
            lambda: YearArrangement(
                2026, {date(2026, 2, 14): "春节"}, {date(2026, 2, 14): "春节"}, "通知"
            ),
            "makeup_workdays",
        ),
        (
            lambda: YearArrangement(2026, {date(2026, 2, 15): " "}, {}, "通知"),
            "holidays",
        ),
        (
            lambda: YearArrangement(2026, {datetime(2026, 2, 15): "春节"}, {}, "通知"),
            "holidays",
        ),
        (lambda: YearArrangement(2026, {}, {}, ""), "source"),
    ],
)
def test_bad_calendar_input_is_refused(build: object, field: str) -> None:
    with pytest.raises(LawInputError) as error:
        build()  # type: ignore[operator]
    assert error.value.field == field
    assert field in error.value.message


_CALENDAR = official_calendar()
_dates = st.dates(min_value=date(2018, 1, 1), max_value=date(2027, 12, 31))


@settings(derandomize=True, database=None, max_examples=300)
@given(start=_dates, n=st.integers(min_value=1, max_value=60))
def test_adding_workdays_never_lands_on_a_day_off(start: date, n: int) -> None:
    assert _CALENDAR.is_workday(_CALENDAR.add_workdays(start, n))


@settings(derandomize=True, database=None, max_examples=300)
@given(start=_dates, n=st.integers(min_value=0, max_value=60))
def test_adding_workdays_is_monotonic_in_n(start: date, n: int) -> None:
    assert _CALENDAR.add_workdays(start, n) < _CALENDAR.add_workdays(start, n + 1)


@settings(derandomize=True, database=None, max_examples=300)
@given(start=_dates, n=st.integers(min_value=0, max_value=60))
def test_workdays_between_inverts_adding_workdays(start: date, n: int) -> None:
    end = _CALENDAR.add_workdays(start, n)
    assert _CALENDAR.workdays_between(start, end) == n


@settings(derandomize=True, database=None, max_examples=300)
@given(day=_dates)
def test_the_next_workday_skips_only_days_off(day: date) -> None:
    following = _CALENDAR.next_workday(day)
    gap = (following - day).days
    skipped = [day + timedelta(days=i) for i in range(1, gap)]
    assert not any(_CALENDAR.is_workday(d) for d in skipped)
