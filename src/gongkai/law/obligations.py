"""Time limits and coverage of disclosure obligations (标准目录的公开时限与落实情况).

Every row of a 标准目录 states a 公开时限 (LAW.md §5). Two kinds occur:

* event-driven: “信息形成或者变更之日起20个工作日内” (《政府信息公开条例》第二十六条,
  the default), counted in working days from the day after formation;
* recurring: a calendar date each year, e.g. “每年1月31日前” (the annual report,
  第四十九条) or “每年3月31日、9月30日前”. A fixed calendar date is not moved off a
  weekend or holiday, as with :func:`gongkai.law.limits.annual_report_due`.

An obligation collects the items of each period: the calendar year for an
event-driven rule and for a single yearly date, one period per date when a rule
names several. For a unit and a period an obligation is met on time, met late, due
soon, overdue, not yet due, without information (nothing was formed), or not
applicable.
"""

from __future__ import annotations

import calendar as gregorian
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from gongkai.law.errors import LawInputError
from gongkai.law.workcalendar import WorkCalendar

DEFAULT_WORKDAYS: Final = 20
MAX_WORKDAYS: Final = 60
# Working days before the due date from which a still unpublished obligation is
# "due soon": a week for an item, two for a yearly obligation (it needs preparing).
DUE_SOON_WORKDAYS: Final = 5
RECURRING_DUE_SOON_WORKDAYS: Final = 10
MONTH_END: Final = 0

_DIGITS: Final = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMBER: Final = r"[0-9零〇一二两三四五六七八九十]{1,4}"
_EVENT: Final = re.compile(
    r"^(?:(?:自|从)?(?:该|本)?(?:政府)?(?:信息)?(?:自)?形成(?:(?:或者|或|、)变更)?之日起)?"
    rf"(?P<n>{_NUMBER})个工作日(?:内|以内)(?:(?:予以|及时)?公开)?$"
)
_ANNUAL: Final = re.compile(r"^每年(?P<dates>.+?)(?:之前|以前|前)(?:公开)?$")
_DATE: Final = re.compile(rf"^(?P<m>{_NUMBER})月(?:(?P<d>{_NUMBER})日|(?P<end>底))$")
_PERIOD: Final = re.compile(r"^(?P<year>\d{4})(?:-(?P<index>\d{1,2}))?$")
_HELP: Final = "可用格式如“信息形成或者变更之日起20个工作日内”“每年6月30日前”“每年3月31日、9月30日前”“每年10月底前”"


def _number(text: str) -> int:
    """Arabic or Chinese numerals up to 99 (二十, 十五, 三十一)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        if len(text) > 3 or "十" in units:
            return -1
        high = _DIGITS.get(tens, -1) if tens else 1
        low = _DIGITS.get(units, -1) if units else 0
        return -1 if high < 0 or low < 0 else high * 10 + low
    if len(text) == 1:
        return _DIGITS.get(text, -1)
    return -1


class RuleKind(StrEnum):
    event = "event"
    annual = "annual"


@dataclass(frozen=True)
class TimeRule:
    """A parsed 公开时限. ``dates`` are (month, day); day ``MONTH_END`` is 月底."""

    kind: RuleKind
    workdays: int = 0
    dates: tuple[tuple[int, int], ...] = ()

    @property
    def is_recurring(self) -> bool:
        return self.kind is RuleKind.annual

    @property
    def text(self) -> str:
        """The canonical Chinese wording, which :func:`parse_time_rule` reads back."""
        if self.kind is RuleKind.event:
            return f"信息形成或者变更之日起{self.workdays}个工作日内"
        parts = [f"{m}月底" if d == MONTH_END else f"{m}月{d}日" for m, d in self.dates]
        return f"每年{'、'.join(parts)}前"

    def due_soon_workdays(self) -> int:
        return RECURRING_DUE_SOON_WORKDAYS if self.is_recurring else DUE_SOON_WORKDAYS


DEFAULT_RULE: Final = TimeRule(RuleKind.event, workdays=DEFAULT_WORKDAYS)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).replace(",", "、").replace("和", "、")


def _annual_date(part: str, original: str) -> tuple[int, int]:
    m = _DATE.match(part)
    if m is None:
        raise LawInputError(
            "time_rule", f"公开时限（time_rule）“{original}”中的日期“{part}”无法识别"
        )
    month = _number(m["m"])
    if not 1 <= month <= 12:
        raise LawInputError(
            "time_rule", f"公开时限（time_rule）“{original}”中的月份“{m['m']}”无效"
        )
    if m["end"]:
        return month, MONTH_END
    day = _number(m["d"])
    # February may name the 29th: in other years it is the 28th.
    if not 1 <= day <= gregorian.monthrange(2024, month)[1]:
        raise LawInputError(
            "time_rule", f"公开时限（time_rule）“{original}”中的日期“{part}”不存在"
        )
    return month, day


def parse_time_rule(text: str) -> TimeRule:
    """Read a 公开时限 as counties write it; an empty text is the 20-working-day
    default of 第二十六条."""
    compact = _normalise(text).rstrip("。.;；")
    if not compact:
        return DEFAULT_RULE
    if compact in {"及时公开", "形成或者变更之日起20个工作日内"}:
        return DEFAULT_RULE
    event = _EVENT.match(compact)
    if event is not None:
        n = _number(event["n"])
        if not 1 <= n <= MAX_WORKDAYS:
            raise LawInputError(
                "time_rule",
                f"公开时限（time_rule）的工作日数须在1—{MAX_WORKDAYS}之间，收到“{text}”",
            )
        return TimeRule(RuleKind.event, workdays=n)
    annual = _ANNUAL.match(compact)
    if annual is None:
        raise LawInputError(
            "time_rule", f"无法识别的公开时限（time_rule）“{text}”；{_HELP}"
        )
    parts = [p.removesuffix("前") for p in annual["dates"].split("、") if p]
    dates = tuple(_annual_date(p, text) for p in parts)
    ordered = sorted(dates, key=_sort_key)
    if len(set(dates)) != len(dates) or list(dates) != ordered:
        raise LawInputError(
            "time_rule",
            f"公开时限（time_rule）“{text}”中的日期须按先后顺序列出且不能重复",
        )
    return TimeRule(RuleKind.annual, dates=dates)


def _sort_key(md: tuple[int, int]) -> tuple[int, int]:
    month, day = md
    return month, 32 if day == MONTH_END else day


def _calendar_date(year: int, month: int, day: int) -> date:
    last = gregorian.monthrange(year, month)[1]
    return date(year, month, last if day == MONTH_END else min(day, last))


@dataclass(frozen=True, order=True)
class Period:
    """The year, and for a rule with several yearly dates the 1-based date index."""

    year: int
    index: int = 0

    @property
    def key(self) -> str:
        return str(self.year) if self.index == 0 else f"{self.year}-{self.index}"

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.index == 0 else f"{self.year}年第{self.index}期"


def periods_in_year(rule: TimeRule, year: int) -> tuple[Period, ...]:
    if len(rule.dates) > 1:
        return tuple(Period(year, i) for i in range(1, len(rule.dates) + 1))
    return (Period(year),)


def parse_period(rule: TimeRule, key: str) -> Period:
    """A period key (“2026”, or “2026-2” for a rule with several dates)."""
    m = _PERIOD.match(key.strip())
    if m is None:
        raise LawInputError(
            "period", f"期间（period）“{key}”格式不正确，应为年份，如“2026”"
        )
    year = int(m["year"])
    if not 2000 <= year <= 2100:
        raise LawInputError("period", f"期间（period）的年份须在2000—2100之间：{key}")
    period = Period(year, int(m["index"] or 0))
    if period not in periods_in_year(rule, year):
        valid = "、".join(p.key for p in periods_in_year(rule, year))
        raise LawInputError(
            "period", f"期间（period）“{key}”不适用于“{rule.text}”，可选：{valid}"
        )
    return period


def period_due(rule: TimeRule, period: Period) -> date | None:
    """The calendar deadline of a recurring rule's period; None for an event rule."""
    if not rule.is_recurring:
        return None
    month, day = rule.dates[max(period.index, 1) - 1]
    return _calendar_date(period.year, month, day)


def suggest_period(rule: TimeRule, formed_on: date) -> Period:
    """The period an item formed on ``formed_on`` most likely serves: its year, and
    for several dates the first one not yet passed (else the year's last)."""
    periods = periods_in_year(rule, formed_on.year)
    for period in periods:
        due = period_due(rule, period)
        if due is not None and formed_on <= due:
            return period
    return periods[-1]


class CoverageStatus(StrEnum):
    on_time = "on_time"
    late = "late"
    due_soon = "due_soon"
    overdue = "overdue"
    not_due = "not_due"
    no_information = "no_information"
    not_applicable = "not_applicable"


STATUS_LABELS: Final[dict[CoverageStatus, str]] = {
    CoverageStatus.on_time: "按时公开",
    CoverageStatus.late: "逾期公开",
    CoverageStatus.due_soon: "即将到期",
    CoverageStatus.overdue: "已逾期",
    CoverageStatus.not_due: "未到期",
    CoverageStatus.no_information: "暂无信息",
    CoverageStatus.not_applicable: "不适用",
}

# The status shown for several items or periods together: the most urgent one.
_PRIORITY: Final = (
    CoverageStatus.overdue,
    CoverageStatus.due_soon,
    CoverageStatus.late,
    CoverageStatus.not_due,
    CoverageStatus.on_time,
    CoverageStatus.no_information,
    CoverageStatus.not_applicable,
)


def most_urgent(statuses: Iterable[CoverageStatus]) -> CoverageStatus:
    found = set(statuses)
    for status in _PRIORITY:
        if status in found:
            return status
    return CoverageStatus.no_information


@dataclass(frozen=True)
class ItemFact:
    """What coverage needs of one linked item: when its information was formed
    (or changed) and when it was published (None while unpublished)."""

    formed_on: date
    published_on: date | None


@dataclass(frozen=True)
class Coverage:
    status: CoverageStatus
    due_on: date | None
    note: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _outstanding(
    due_on: date, today: date, calendar: WorkCalendar, window: int
) -> Coverage:
    if today > due_on:
        late_by = calendar.workdays_between(due_on, today)
        return Coverage(
            CoverageStatus.overdue,
            due_on,
            f"应于{due_on}前公开，已超过{late_by}个工作日",
        )
    left = calendar.workdays_between(today, due_on)
    status = CoverageStatus.due_soon if left <= window else CoverageStatus.not_due
    return Coverage(status, due_on, f"应于{due_on}前公开，剩余{left}个工作日")


def _published(due_on: date, published_on: date) -> Coverage:
    if published_on <= due_on:
        return Coverage(
            CoverageStatus.on_time, due_on, f"{published_on}公开（时限{due_on}）"
        )
    return Coverage(
        CoverageStatus.late, due_on, f"{published_on}公开，晚于时限{due_on}"
    )


def assess_item(
    rule: TimeRule,
    period: Period,
    fact: ItemFact,
    *,
    today: date,
    calendar: WorkCalendar,
) -> Coverage:
    """One item against its obligation's time limit. An item republished after a
    change can show a formation date after its first publication: that counts as
    on time, since the information was public already."""
    due_on = period_due(rule, period) or calendar.add_workdays(
        fact.formed_on, rule.workdays
    )
    if fact.published_on is not None:
        return _published(due_on, fact.published_on)
    return _outstanding(due_on, today, calendar, rule.due_soon_workdays())


def assess_period(
    rule: TimeRule,
    period: Period,
    facts: Sequence[ItemFact],
    *,
    today: date,
    calendar: WorkCalendar,
    applicable: bool = True,
    exemption: str = "",
    effective_from: date | None = None,
) -> Coverage:
    """An obligation for one unit and period.

    Not applicable when the unit is not responsible, when it is exempted (with the
    reason), or when the period ended before the obligation took effect. A
    recurring obligation is met by its first publication in the period; an
    event-driven one is judged item by item and shows the most urgent.
    """
    if not applicable:
        return Coverage(CoverageStatus.not_applicable, None, "本单位不是公开主体")
    if exemption:
        return Coverage(CoverageStatus.not_applicable, None, exemption)
    due_on = period_due(rule, period)
    period_end = due_on or date(period.year, 12, 31)
    if effective_from is not None and period_end < effective_from:
        return Coverage(
            CoverageStatus.not_applicable, None, f"该事项自{effective_from}起执行"
        )
    if due_on is not None:
        published = [f.published_on for f in facts if f.published_on is not None]
        if published:
            return _published(due_on, min(published))
        return _outstanding(due_on, today, calendar, rule.due_soon_workdays())
    if not facts:
        return Coverage(CoverageStatus.no_information, None, "本期未形成应公开的信息")
    outcomes = [
        assess_item(rule, period, f, today=today, calendar=calendar) for f in facts
    ]
    status = most_urgent(o.status for o in outcomes)
    first = min(
        (o for o in outcomes if o.status is status), key=lambda o: o.due_on or today
    )
    if len(outcomes) == 1:
        return first
    counts = "，".join(
        f"{STATUS_LABELS[s]}{n}条"
        for s in _PRIORITY
        if (n := sum(o.status is s for o in outcomes))
    )
    return Coverage(status, first.due_on, f"共{len(outcomes)}条：{counts}")


def combine(coverages: Sequence[Coverage]) -> Coverage:
    """Several periods of one year as one matrix cell."""
    if len(coverages) == 1:
        return coverages[0]
    status = most_urgent(c.status for c in coverages)
    first = next(c for c in coverages if c.status is status)
    return Coverage(status, first.due_on, "；".join(c.note for c in coverages))


@dataclass(frozen=True)
class CoverageFigures:
    """Coverage counted over (unit, obligation) cells of one year, for the annual
    report's narrative. ``missed`` are the overdue ones."""

    applicable: int
    on_time: int
    late: int
    missed: int
    pending: int
    no_information: int
    not_applicable: int


def coverage_figures(statuses: Iterable[CoverageStatus]) -> CoverageFigures:
    found = list(statuses)

    def count(*kinds: CoverageStatus) -> int:
        return sum(s in kinds for s in found)

    not_applicable = count(CoverageStatus.not_applicable)
    return CoverageFigures(
        applicable=len(found) - not_applicable,
        on_time=count(CoverageStatus.on_time),
        late=count(CoverageStatus.late),
        missed=count(CoverageStatus.overdue),
        pending=count(CoverageStatus.due_soon, CoverageStatus.not_due),
        no_information=count(CoverageStatus.no_information),
        not_applicable=not_applicable,
    )


def coverage_narrative(agency: str, year: int, figures: CoverageFigures) -> str:
    """A sentence for the annual report (第五十条（一）主动公开政府信息的情况)."""
    if figures.applicable == 0:
        return f"{year}年，{agency}标准目录中没有适用的公开事项。"
    met = figures.on_time + figures.late
    text = (
        f"{year}年，{agency}标准目录共有适用公开事项{figures.applicable}项，"
        f"已公开{met}项，其中按时公开{figures.on_time}项、逾期公开{figures.late}项；"
        f"逾期未公开{figures.missed}项"
    )
    if figures.pending:
        text += f"，尚未到期{figures.pending}项"
    if figures.no_information:
        text += f"，本年度未形成应公开信息{figures.no_information}项"
    return text + "。"
