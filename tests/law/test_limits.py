"""Proactive-publication limit (第二十六条) and annual-report dates (第四十九条)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.law.errors import LawInputError
from gongkai.law.limits import (
    REPORT_LEVEL_LABELS,
    ReportLevel,
    annual_report_basis,
    annual_report_due,
    publication_due,
    publication_timeliness,
)
from gongkai.law.workcalendar import WorkCalendar


@pytest.mark.parametrize(
    ("formed_on", "due_on"),
    [
        (date(2025, 9, 26), date(2025, 10, 30)),
        (date(2023, 9, 28), date(2023, 11, 1)),
        (date(2026, 2, 10), date(2026, 3, 16)),
        (date(2026, 12, 10), date(2027, 1, 8)),
    ],
)
def test_publication_is_due_twenty_working_days_after_formation(
    calendar: WorkCalendar, formed_on: date, due_on: date
) -> None:
    assert publication_due(formed_on, calendar) == due_on


@pytest.mark.parametrize(
    ("published_on", "taken", "on_time"),
    [
        (date(2025, 9, 26), 0, True),
        (date(2025, 10, 8), 3, True),
        (date(2025, 10, 30), 20, True),
        (date(2025, 10, 31), 21, False),
    ],
)
def test_publication_timeliness_counts_working_days(
    calendar: WorkCalendar, published_on: date, taken: int, on_time: bool
) -> None:
    result = publication_timeliness(date(2025, 9, 26), published_on, calendar)
    assert result.due_on == date(2025, 10, 30)
    assert (result.workdays_taken, result.on_time) == (taken, on_time)
    assert not result.provisional
    assert result.citation == "《政府信息公开条例》第二十六条"


def test_publication_timeliness_is_provisional_across_into_2027(
    calendar: WorkCalendar,
) -> None:
    result = publication_timeliness(date(2026, 12, 10), date(2026, 12, 11), calendar)
    assert result.provisional
    assert result.due_on == date(2027, 1, 8)


def test_publication_before_2019_05_15_follows_article_18_of_2008(
    calendar: WorkCalendar,
) -> None:
    result = publication_timeliness(date(2019, 5, 14), date(2019, 6, 20), calendar)
    assert result.citation.endswith("第十八条")
    assert result.due_on == date(2019, 6, 12)
    assert not result.on_time


def test_publication_before_formation_is_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(LawInputError) as error:
        publication_timeliness(date(2025, 9, 26), date(2025, 9, 25), calendar)
    assert error.value.field == "published_on"


@pytest.mark.parametrize(
    ("year", "level", "due_on"),
    [
        (2025, ReportLevel.department, date(2026, 1, 31)),
        (2025, ReportLevel.county_aggregate, date(2026, 2, 20)),
        (2025, ReportLevel.municipal_aggregate, date(2026, 3, 10)),
        (2025, ReportLevel.provincial_aggregate, date(2026, 3, 31)),
        (2019, "department", date(2020, 1, 31)),
        (2019, "county_aggregate", date(2020, 2, 20)),
        (2018, ReportLevel.department, date(2019, 3, 31)),
        (2018, ReportLevel.county_aggregate, date(2019, 3, 31)),
        (2008, ReportLevel.provincial_aggregate, date(2009, 3, 31)),
    ],
)
def test_annual_report_dates(year: int, level: ReportLevel | str, due_on: date) -> None:
    assert annual_report_due(year, level) == due_on


@pytest.mark.parametrize(
    ("year", "level", "basis"),
    [
        (
            2025,
            ReportLevel.department,
            "《政府信息公开条例》第四十九条；国办公开办函〔2021〕30号",
        ),
        (
            2020,
            ReportLevel.county_aggregate,
            "《政府信息公开条例》第四十九条；国办公开办函〔2019〕60号“二、报告方式及时间”",
        ),
        (
            2018,
            ReportLevel.department,
            "《政府信息公开条例》（2007年国务院令第492号）第三十一条",
        ),
    ],
)
def test_annual_report_dates_cite_their_basis(
    year: int, level: ReportLevel, basis: str
) -> None:
    assert annual_report_basis(year, level) == basis


def test_every_report_level_has_a_chinese_label() -> None:
    assert set(REPORT_LEVEL_LABELS) == set(ReportLevel)


@pytest.mark.parametrize(
    ("year", "level", "field"),
    [
        (2025, "township", "level"),
        (2018, "township", "level"),
        (2007, ReportLevel.department, "report_year"),
        (2101, ReportLevel.department, "report_year"),
    ],
)
def test_bad_report_input_is_refused(year: int, level: str, field: str) -> None:
    for function in (annual_report_due, annual_report_basis):
        with pytest.raises(LawInputError) as error:
            function(year, level)
        assert error.value.field == field
        assert field in error.value.message
