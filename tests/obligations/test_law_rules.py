"""Reading 公开时限 and computing periods (``gongkai.law.obligations``); no Django."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.law.errors import LawInputError
from gongkai.law.obligations import (
    DEFAULT_RULE,
    MONTH_END,
    Period,
    RuleKind,
    TimeRule,
    parse_period,
    parse_time_rule,
    period_due,
    periods_in_year,
    suggest_period,
)

TWICE = TimeRule(RuleKind.annual, dates=((3, 31), (9, 30)))
YEARLY = TimeRule(RuleKind.annual, dates=((1, 31),))


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("信息形成或者变更之日起20个工作日内", DEFAULT_RULE),
        ("", DEFAULT_RULE),
        ("  ", DEFAULT_RULE),
        ("及时公开", DEFAULT_RULE),
        ("形成或者变更之日起20个工作日内", DEFAULT_RULE),
        ("信息形成和变更之日起20个工作日内。", DEFAULT_RULE),
        ("形成或变更之日起二十个工作日内公开", DEFAULT_RULE),
        ("２０个工作日内", DEFAULT_RULE),
        ("自信息形成之日起十五个工作日内", TimeRule(RuleKind.event, workdays=15)),
        ("两个工作日以内", TimeRule(RuleKind.event, workdays=2)),
        ("十个工作日内", TimeRule(RuleKind.event, workdays=10)),
        ("每年6月30日前", TimeRule(RuleKind.annual, dates=((6, 30),))),
        ("每年1月31日之前", YEARLY),
        ("每年 1 月 31 日以前公开", YEARLY),
        ("每年3月31日、9月30日前", TWICE),
        ("每年3月31日前和9月30日前", TWICE),
        ("每年3月31日,9月30日前", TWICE),
        ("每年10月底前", TimeRule(RuleKind.annual, dates=((10, MONTH_END),))),
        ("每年二月二十九日前", TimeRule(RuleKind.annual, dates=((2, 29),))),
        ("每年三月三十一日前", TimeRule(RuleKind.annual, dates=((3, 31),))),
    ],
)
def test_time_limits_are_read_as_counties_write_them(text: str, rule: TimeRule) -> None:
    assert parse_time_rule(text) == rule


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("长期公开", "无法识别"),
        ("每学期开学前", "无法识别"),
        ("0个工作日内", "1—60"),
        ("61个工作日内", "1—60"),
        ("一百个工作日内", "无法识别"),
        ("二零个工作日内", "1—60"),
        ("十十个工作日内", "1—60"),
        ("每年13月1日前", "月份"),
        ("每年2月30日前", "不存在"),
        ("每年6月零日前", "不存在"),
        ("每年6月卅日前", "无法识别"),
        ("每年9月30日、3月31日前", "先后顺序"),
        ("每年6月30日、6月30日前", "不能重复"),
    ],
)
def test_an_unreadable_time_limit_is_refused_with_a_reason(
    text: str, reason: str
) -> None:
    with pytest.raises(LawInputError, match=reason) as exc:
        parse_time_rule(text)
    assert exc.value.field == "time_rule"


@pytest.mark.parametrize(
    "rule", [DEFAULT_RULE, YEARLY, TWICE, parse_time_rule("每年10月底前")]
)
def test_the_canonical_wording_reads_back_as_the_same_rule(rule: TimeRule) -> None:
    assert parse_time_rule(rule.text) == rule


def test_only_a_calendar_rule_is_recurring_and_warns_earlier() -> None:
    assert not DEFAULT_RULE.is_recurring and YEARLY.is_recurring
    assert DEFAULT_RULE.due_soon_workdays() == 5
    assert YEARLY.due_soon_workdays() == 10


def test_a_year_is_one_period_unless_the_rule_names_several_dates() -> None:
    assert periods_in_year(DEFAULT_RULE, 2026) == (Period(2026),)
    assert periods_in_year(YEARLY, 2026) == (Period(2026),)
    assert [p.key for p in periods_in_year(TWICE, 2026)] == ["2026-1", "2026-2"]
    assert Period(2026).label == "2026年"
    assert Period(2026, 2).label == "2026年第2期"


def test_period_keys_are_parsed_against_the_rule() -> None:
    assert parse_period(DEFAULT_RULE, " 2026 ") == Period(2026)
    assert parse_period(TWICE, "2026-2") == Period(2026, 2)


@pytest.mark.parametrize(
    ("rule", "key", "reason"),
    [
        (DEFAULT_RULE, "二〇二六", "格式不正确"),
        (DEFAULT_RULE, "1999", "2000—2100"),
        (DEFAULT_RULE, "2026-1", "可选：2026"),
        (TWICE, "2026", "可选：2026-1、2026-2"),
        (TWICE, "2026-3", "可选"),
    ],
)
def test_a_period_that_does_not_fit_the_rule_is_refused(
    rule: TimeRule, key: str, reason: str
) -> None:
    with pytest.raises(LawInputError, match=reason) as exc:
        parse_period(rule, key)
    assert exc.value.field == "period"


@pytest.mark.parametrize(
    ("text", "period", "due"),
    [
        ("每年1月31日前", Period(2026), date(2026, 1, 31)),
        ("每年2月29日前", Period(2025), date(2025, 2, 28)),
        ("每年2月29日前", Period(2028), date(2028, 2, 29)),
        ("每年2月底前", Period(2026), date(2026, 2, 28)),
        ("每年10月底前", Period(2026), date(2026, 10, 31)),
        ("每年3月31日、9月30日前", Period(2026, 2), date(2026, 9, 30)),
        ("信息形成或者变更之日起20个工作日内", Period(2026), None),
    ],
)
def test_a_recurring_period_is_due_on_its_calendar_date(
    text: str, period: Period, due: date | None
) -> None:
    assert period_due(parse_time_rule(text), period) == due


@pytest.mark.parametrize(
    ("rule", "formed_on", "key"),
    [
        (DEFAULT_RULE, date(2025, 12, 31), "2025"),
        (YEARLY, date(2026, 1, 10), "2026"),
        (YEARLY, date(2026, 6, 1), "2026"),
        (TWICE, date(2026, 3, 31), "2026-1"),
        (TWICE, date(2026, 4, 1), "2026-2"),
        (TWICE, date(2026, 11, 1), "2026-2"),
    ],
)
def test_the_suggested_period_is_the_first_deadline_not_yet_passed(
    rule: TimeRule, formed_on: date, key: str
) -> None:
    assert suggest_period(rule, formed_on).key == key
