"""Time limits of proactive disclosure and of the annual report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from gongkai.law.errors import LawInputError
from gongkai.law.regime import REGULATION_2019_IN_FORCE
from gongkai.law.workcalendar import WorkCalendar

PUBLICATION_WORKDAYS: Final = 20


def _publication_citation(formed_on: date) -> str:
    if formed_on < REGULATION_2019_IN_FORCE:
        return "《政府信息公开条例》（2007年国务院令第492号）第十八条"
    return "《政府信息公开条例》第二十六条"


def publication_due(formed_on: date, calendar: WorkCalendar) -> date:
    """Last day to publish proactively disclosed information.

    《政府信息公开条例》第二十六条 (2008 version 第十八条, the same): within 20 working
    days of the day the information was formed or changed (形成或者变更之日), counted
    from the next day.
    """
    return calendar.add_workdays(formed_on, PUBLICATION_WORKDAYS)


@dataclass(frozen=True)
class PublicationTimeliness:
    """Whether an item was published within the 20 working days of 第二十六条."""

    due_on: date
    workdays_taken: int
    on_time: bool
    provisional: bool
    citation: str


def publication_timeliness(
    formed_on: date, published_on: date, calendar: WorkCalendar
) -> PublicationTimeliness:
    """Check a publication against 《政府信息公开条例》第二十六条 (2008: 第十八条).

    ``workdays_taken`` is the number of working days after ``formed_on`` up to and
    including ``published_on``; ``provisional`` is set when any day of the count falls
    in a year whose holiday arrangement is not entered.
    """
    if published_on < formed_on:
        raise LawInputError(
            "published_on",
            f"发布日期（published_on）{published_on}早于形成或者变更日期"
            f"（formed_on）{formed_on}",
        )
    due_on = publication_due(formed_on, calendar)
    last = max(due_on, published_on)
    day, provisional = formed_on, False
    while day < last and not provisional:
        day += timedelta(days=1)
        provisional = calendar.is_provisional(day)
    return PublicationTimeliness(
        due_on=due_on,
        workdays_taken=calendar.workdays_between(formed_on, published_on),
        on_time=published_on <= due_on,
        provisional=provisional,
        citation=_publication_citation(formed_on),
    )


class ReportLevel(StrEnum):
    """Who publishes an annual report (年度报告), which fixes its deadline."""

    department = "department"
    county_aggregate = "county_aggregate"
    municipal_aggregate = "municipal_aggregate"
    provincial_aggregate = "provincial_aggregate"


REPORT_LEVEL_LABELS: Final[dict[ReportLevel, str]] = {
    ReportLevel.department: "县级以上人民政府部门（本机关年度报告）",
    ReportLevel.county_aggregate: "县级政府信息公开工作主管部门（汇总）",
    ReportLevel.municipal_aggregate: "地市级政府信息公开工作主管部门（汇总）",
    ReportLevel.provincial_aggregate: "省级政府信息公开工作主管部门（汇总）",
}

_DUE_MONTH_DAY: Final[dict[ReportLevel, tuple[int, int]]] = {
    ReportLevel.department: (1, 31),
    ReportLevel.county_aggregate: (2, 20),
    ReportLevel.municipal_aggregate: (3, 10),
    ReportLevel.provincial_aggregate: (3, 31),
}

_FIRST_REPORT_YEAR: Final = 2008


def _level(level: ReportLevel | str) -> ReportLevel:
    try:
        return ReportLevel(level)
    except ValueError:
        raise LawInputError("level", f"未知的报告层级（level）：{level}") from None


def _check_year(report_year: int) -> None:
    if not _FIRST_REPORT_YEAR <= report_year <= 2100:
        raise LawInputError(
            "report_year",
            f"报告年度（report_year）须在{_FIRST_REPORT_YEAR}—2100年之间，"
            f"收到{report_year}",
        )


def annual_report_due(report_year: int, level: ReportLevel | str) -> date:
    """Last day to publish the annual report on ``report_year``.

    From report year 2019: 《政府信息公开条例》第四十九条 (departments by 1月31日,
    aggregates by 3月31日), staggered by 国办公开办函〔2019〕60号 and
    国办公开办函〔2021〕30号 “二、报告方式及时间”: county aggregate 2月20日, municipal
    aggregate 3月10日, provincial aggregate 3月31日.  Up to report year 2018: 2008
    version 第三十一条, 3月31日 for every 行政机关.
    """
    _check_year(report_year)
    level = _level(level)
    if report_year <= 2018:
        return date(report_year + 1, 3, 31)
    month, day = _DUE_MONTH_DAY[level]
    return date(report_year + 1, month, day)


def annual_report_basis(report_year: int, level: ReportLevel | str) -> str:
    """The provision behind :func:`annual_report_due` (第四十九条 or 2008 第三十一条)."""
    _check_year(report_year)
    level = _level(level)
    if report_year <= 2018:
        return "《政府信息公开条例》（2007年国务院令第492号）第三十一条"
    notice = (
        "国办公开办函〔2019〕60号"
        if report_year <= 2020
        else "国办公开办函〔2021〕30号"
    )
    if level is ReportLevel.department:
        return f"《政府信息公开条例》第四十九条；{notice}"
    return f"《政府信息公开条例》第四十九条；{notice}“二、报告方式及时间”"
