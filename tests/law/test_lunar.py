"""Lunar holidays and 清明, checked against lunardate, chinese_calendar and astronomy."""

from __future__ import annotations

from datetime import date, timedelta

import lunardate
import pytest
from chinese_calendar import get_solar_terms
from chinese_calendar.constants import holidays as official_holidays

from gongkai.law import lunar
from gongkai.law.errors import LawInputError

from .astronomy import near_midnight, new_moons, qingming_moment

# lunardate's table says 1978-08 starts on 1978-09-02, but the new moon fell on
# 1978-09-03 00:09 Beijing time, so 中秋 was 1978-09-17.
LUNARDATE_ERRORS = {(1978, 8, 15): date(1978, 9, 17)}


def test_the_2027_festivals_fall_on_the_published_lunar_dates() -> None:
    assert lunar.chinese_new_year_eve(2027) == date(2027, 2, 5)
    assert lunar.chinese_new_year(2027) == date(2027, 2, 6)
    assert lunar.qingming(2027) == date(2027, 4, 5)
    assert lunar.dragon_boat_festival(2027) == date(2027, 6, 9)
    assert lunar.mid_autumn_festival(2027) == date(2027, 9, 15)
    assert lunardate.LunarDate(2027, 1, 1).to_solar_date() == date(2027, 2, 6)
    assert lunardate.LunarDate(2027, 5, 5).to_solar_date() == date(2027, 6, 9)
    assert lunardate.LunarDate(2027, 8, 15).to_solar_date() == date(2027, 9, 15)


@pytest.mark.parametrize("year", range(1950, 2100))
def test_new_year_dragon_boat_and_mid_autumn_agree_with_lunardate(year: int) -> None:
    for month, day in ((1, 1), (5, 5), (8, 15)):
        ours = lunar.lunar_to_solar(year, month, day)
        expected = LUNARDATE_ERRORS.get((year, month, day))
        theirs = lunardate.LunarDate(year, month, day).to_solar_date()
        if expected is None:
            assert ours == theirs
        else:
            assert ours == expected
            assert theirs == expected - timedelta(days=1)


def test_the_new_year_eve_is_the_day_before_the_first_day() -> None:
    for year in range(1950, 2101):
        assert lunar.chinese_new_year_eve(year) == lunar.chinese_new_year(
            year
        ) - timedelta(days=1)


@pytest.mark.parametrize("year", range(1950, 2100))
def test_qingming_agrees_with_chinese_calendar_solar_terms(year: int) -> None:
    terms = dict(get_solar_terms(date(year, 4, 1), date(year, 4, 30)))
    assert terms[lunar.qingming(year)] == "清明"


def test_qingming_2100_is_one_day_after_the_formula_because_2100_is_no_leap_year() -> (
    None
):
    (formula_day,) = [
        d
        for d, name in get_solar_terms(date(2100, 4, 1), date(2100, 4, 30))
        if name == "清明"
    ]
    assert formula_day == date(2100, 4, 4)
    assert lunar.qingming(2100) == date(2100, 4, 5)
    assert qingming_moment(2100).date() == date(2100, 4, 5)


def test_qingming_is_the_day_the_sun_reaches_longitude_15_degrees() -> None:
    for year in range(1930, 2101):
        moment = qingming_moment(year)
        if not near_midnight(moment):
            assert lunar.qingming(year) == moment.date(), year


def test_every_lunar_month_starts_on_the_day_of_a_new_moon() -> None:
    moons = new_moons(1949, 2101)
    by_day = {moment.date(): moment for moment in moons}
    uncertain = {
        (moment + timedelta(days=shift)).date()
        for moment in moons
        if near_midnight(moment)
        for shift in (-1, 1)
    }
    checked = 0
    for year in range(1950, 2101):
        months = [(m, False) for m in range(1, 13)]
        if lunar.leap_month(year):
            months.insert(lunar.leap_month(year), (lunar.leap_month(year), True))
        for month, leap in months:
            first = lunar.lunar_to_solar(year, month, 1, leap)
            assert first in by_day or first in uncertain, (year, month, leap)
            checked += 1
    assert checked > 1850


def test_2033_has_a_leap_eleventh_month_as_gb_t_33661_reads_it() -> None:
    assert lunar.leap_month(2033) == 11
    assert lunar.mid_autumn_festival(2033) == date(2033, 9, 8)
    assert lunar.lunar_to_solar(2033, 11, 1, leap=True) == date(2033, 12, 22)


def test_a_leap_month_follows_its_regular_month() -> None:
    assert lunar.leap_month(2023) == 2
    assert lunar.month_length(2023, 2, leap=True) == 29
    assert lunar.lunar_to_solar(2023, 2, 1, leap=True) == date(2023, 3, 22)
    assert lunardate.LunarDate(2023, 2, 1, True).to_solar_date() == date(2023, 3, 22)
    assert lunar.leap_month(2025) == 6
    assert lunar.lunar_to_solar(2025, 6, 1, leap=True) == date(2025, 7, 25)


def _statutory_days(year: int) -> dict[str, list[date]]:
    new_year = lunar.chinese_new_year(year)
    if 2008 <= year <= 2013:
        spring = [new_year + timedelta(days=i) for i in (-1, 0, 1)]
    elif year >= 2025:
        spring = [new_year + timedelta(days=i) for i in (-1, 0, 1, 2)]
    else:
        spring = [new_year + timedelta(days=i) for i in (0, 1, 2)]
    days = {"春节": spring}
    if year >= 2008:
        days["清明"] = [lunar.qingming(year)]
        days["端午"] = [lunar.dragon_boat_festival(year)]
        days["中秋"] = [lunar.mid_autumn_festival(year)]
    return days


# chinese_calendar leaves out 2012-06-23, a Saturday of the 端午 break 06-22..24.
CHINESE_CALENDAR_GAPS = {date(2012, 6, 23)}


@pytest.mark.parametrize("year", range(2004, 2027))
def test_the_lunar_holidays_lie_inside_the_official_arrangements(year: int) -> None:
    for name, days in _statutory_days(year).items():
        for day in days:
            assert day in official_holidays or day in CHINESE_CALENDAR_GAPS, (name, day)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: lunar.leap_month(1899), "year"),
        (lambda: lunar.chinese_new_year(2101), "year"),
        (lambda: lunar.month_length(2025, 13), "month"),
        (lambda: lunar.month_length(2025, 5, leap=True), "leap"),
        (lambda: lunar.lunar_to_solar(2025, 1, 31), "day"),
        (lambda: lunar.lunar_to_solar(2025, 1, 0), "day"),
        (lambda: lunar.qingming(1899), "year"),
    ],
)
def test_dates_outside_the_table_are_refused(call: object, field: str) -> None:
    with pytest.raises(LawInputError) as error:
        call()  # type: ignore[operator]
    assert error.value.field == field
    assert field in error.value.message
