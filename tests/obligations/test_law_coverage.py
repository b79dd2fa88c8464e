"""Coverage of an obligation for a unit and period, with the official calendar
(National Day 2025, Spring Festival 2026); no Django."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.law.obligations import (
    DEFAULT_RULE,
    Coverage,
    CoverageStatus,
    ItemFact,
    Period,
    RuleKind,
    TimeRule,
    assess_item,
    assess_period,
    combine,
    coverage_figures,
    coverage_narrative,
    most_urgent,
)
from gongkai.law.workcalendar import WorkCalendar
from tests.law.real_calendar import official_calendar

CALENDAR = official_calendar()
REPORT = TimeRule(RuleKind.annual, dates=((1, 31),))
TWICE = TimeRule(RuleKind.annual, dates=((3, 31), (9, 30)))
# Formed on the eve of the National Day holiday: due 2025-10-30.
FORMED = date(2025, 9, 26)
S = CoverageStatus


def item(
    published_on: date | None, *, today: date = date(2025, 12, 1)
) -> CoverageStatus:
    return assess_item(
        DEFAULT_RULE,
        Period(2025),
        ItemFact(FORMED, published_on),
        today=today,
        calendar=CALENDAR,
    ).status


@pytest.mark.parametrize(
    ("published_on", "status"),
    [
        (date(2025, 9, 26), S.on_time),
        (date(2025, 10, 30), S.on_time),
        (date(2025, 10, 31), S.late),
        # Republished after a later change: public already, so on time.
        (date(2025, 9, 1), S.on_time),
    ],
)
def test_a_published_item_is_on_time_within_twenty_working_days(
    published_on: date, status: CoverageStatus
) -> None:
    assert item(published_on) is status


@pytest.mark.parametrize(
    ("today", "status", "note"),
    [
        # 2025-10-11, a Saturday, is a make-up working day.
        (date(2025, 10, 9), S.not_due, "剩余16个工作日"),
        (date(2025, 10, 22), S.not_due, "剩余6个工作日"),
        (date(2025, 10, 23), S.due_soon, "剩余5个工作日"),
        (date(2025, 10, 30), S.due_soon, "剩余0个工作日"),
        (date(2025, 10, 31), S.overdue, "已超过1个工作日"),
    ],
)
def test_an_unpublished_item_becomes_due_soon_then_overdue(
    today: date, status: CoverageStatus, note: str
) -> None:
    result = assess_item(
        DEFAULT_RULE,
        Period(2025),
        ItemFact(FORMED, None),
        today=today,
        calendar=CALENDAR,
    )
    assert (result.status, result.due_on) == (status, date(2025, 10, 30))
    assert note in result.note


def report(facts: list[ItemFact], today: date, **extra: object) -> Coverage:
    return assess_period(
        REPORT,
        Period(2026),
        facts,
        today=today,
        calendar=CALENDAR,
        **extra,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 1, 5), S.not_due),
        (date(2026, 1, 16), S.due_soon),
        (date(2026, 1, 31), S.due_soon),
        (date(2026, 2, 2), S.overdue),
        (date(2026, 12, 31), S.overdue),
    ],
)
def test_a_recurring_obligation_without_an_item_falls_due_then_overdue(
    today: date, status: CoverageStatus
) -> None:
    result = report([], today)
    assert (result.status, result.due_on) == (status, date(2026, 1, 31))


def test_a_recurring_obligation_is_met_by_its_first_publication() -> None:
    on_time = ItemFact(date(2026, 1, 20), date(2026, 1, 30))
    late = ItemFact(date(2026, 1, 20), date(2026, 2, 3))
    draft = ItemFact(date(2026, 1, 20), None)
    assert report([late], date(2026, 3, 1)).status is S.late
    assert report([late, on_time, draft], date(2026, 3, 1)).status is S.on_time
    # An unpublished draft does not meet it.
    assert report([draft], date(2026, 2, 2)).status is S.overdue


def test_a_unit_that_is_not_responsible_or_is_exempted_is_not_applicable() -> None:
    absent = report([], date(2026, 3, 1), applicable=False)
    assert absent.status is S.not_applicable and absent.note == "本单位不是公开主体"
    exempt = report([], date(2026, 3, 1), exemption="本校无寄宿生")
    assert (exempt.status, exempt.note) == (S.not_applicable, "本校无寄宿生")
    assert exempt.label == "不适用"


def test_a_period_ending_before_the_obligation_took_effect_is_not_applicable() -> None:
    later = report([], date(2026, 3, 1), effective_from=date(2026, 2, 1))
    assert later.status is S.not_applicable
    assert "2026-02-01" in later.note
    assert report([], date(2026, 3, 1), effective_from=date(2026, 1, 31)).status is (
        S.overdue
    )
    event = assess_period(
        DEFAULT_RULE,
        Period(2025),
        [],
        today=date(2026, 3, 1),
        calendar=CALENDAR,
        effective_from=date(2026, 1, 1),
    )
    assert event.status is S.not_applicable


def test_an_event_obligation_shows_the_most_urgent_of_its_items() -> None:
    def period(facts: list[ItemFact]) -> Coverage:
        return assess_period(
            DEFAULT_RULE,
            Period(2025),
            facts,
            today=date(2025, 10, 31),
            calendar=CALENDAR,
        )

    nothing = period([])
    assert nothing.status is S.no_information and nothing.due_on is None
    late = ItemFact(date(2025, 9, 1), date(2025, 10, 31))
    on_time = ItemFact(FORMED, date(2025, 10, 9))
    pending = ItemFact(date(2025, 10, 30), None)
    assert period([on_time]).status is S.on_time
    mixed = period([on_time, late, pending])
    assert mixed.status is S.late
    assert mixed.note == "共3条：逾期公开1条，未到期1条，按时公开1条"
    overdue = period([on_time, ItemFact(FORMED, None)])
    assert overdue.status is S.overdue and overdue.due_on == date(2025, 10, 30)


def test_several_periods_of_a_year_combine_into_the_most_urgent() -> None:
    first, second = (
        assess_period(
            TWICE, Period(2026, i), facts, today=date(2026, 5, 1), calendar=CALENDAR
        )
        for i, facts in [(1, [ItemFact(date(2026, 3, 2), date(2026, 3, 3))]), (2, [])]
    )
    assert (first.status, second.status) == (S.on_time, S.not_due)
    cell = combine([first, second])
    assert cell.status is S.not_due and cell.due_on == date(2026, 9, 30)
    assert "；" in cell.note
    assert combine([first]) is first


def test_no_status_at_all_reads_as_no_information() -> None:
    assert most_urgent([]) is S.no_information
    assert most_urgent([S.on_time, S.not_applicable]) is S.on_time


def test_coverage_figures_count_met_late_and_missed_for_the_annual_report() -> None:
    figures = coverage_figures(
        [
            *(S.on_time, S.on_time, S.late, S.overdue),
            *(S.due_soon, S.not_due, S.no_information, S.not_applicable),
        ]
    )
    assert (figures.applicable, figures.on_time, figures.late) == (7, 2, 1)
    assert (figures.missed, figures.pending, figures.no_information) == (1, 2, 1)
    assert figures.not_applicable == 1
    assert coverage_narrative("湘桥区教育局", 2026, figures) == (
        "2026年，湘桥区教育局标准目录共有适用公开事项7项，已公开3项，"
        "其中按时公开2项、逾期公开1项；逾期未公开1项，尚未到期2项，"
        "本年度未形成应公开信息1项。"
    )
    plain = coverage_figures([S.on_time])
    assert coverage_narrative("某局", 2025, plain).endswith("逾期未公开0项。")
    empty = coverage_figures([S.not_applicable])
    assert coverage_narrative("某局", 2025, empty) == (
        "2025年，某局标准目录中没有适用的公开事项。"
    )


@given(
    formed_on=st.dates(min_value=date(2018, 1, 1), max_value=date(2026, 11, 30)),
    workdays=st.integers(min_value=1, max_value=60),
)
def test_an_event_deadline_is_a_working_day_met_by_publishing_on_it(
    formed_on: date, workdays: int
) -> None:
    rule = TimeRule(RuleKind.event, workdays=workdays)
    calendar: WorkCalendar = CALENDAR
    due = calendar.add_workdays(formed_on, workdays)
    assert calendar.is_workday(due)
    fact = ItemFact(formed_on, due)
    period = Period(formed_on.year)
    assert assess_item(rule, period, fact, today=due, calendar=calendar).status is (
        S.on_time
    )
    late = ItemFact(formed_on, due + timedelta(days=1))
    assert assess_item(rule, period, late, today=due, calendar=calendar).status is (
        S.late
    )
