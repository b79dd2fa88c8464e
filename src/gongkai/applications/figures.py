"""The application figures of the annual report (tables 三 and 四), computed from
the records with SQL aggregation: no counter is ever kept by hand.

An application counts from the day it was received (an online application waiting
for confirmation has not been received yet) until the day it was answered or
closed (``decided_on``). So for a year Y, per applicant column:

* 新收 = received in Y;
* 上年结转 = received before Y and not answered before Y;
* 办理结果 = answered in Y, one row per outcome leaf;
* 结转下年度 = received by 12月31日 and not answered by then.

新收 + 上年结转 = 总计 + 结转下年度 then holds by construction, and next year's
上年结转 is this year's 结转下年度 because both are the same query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from gongkai.accounts.models import Unit
from gongkai.applications.models import (
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantKind,
    Application,
)
from gongkai.law.outcomes import OUTCOMES

APPLICANT_COLUMNS: tuple[str, ...] = tuple(ApplicantKind.values)
OUTCOME_ROWS: tuple[str, ...] = tuple(o.key for o in OUTCOMES)


def _empty() -> dict[str, int]:
    return dict.fromkeys((*APPLICANT_COLUMNS, "total"), 0)


@dataclass
class TableThree:
    year: int
    rows: dict[str, dict[str, int]] = field(default_factory=dict)

    def row(self, key: str) -> dict[str, int]:
        return self.rows.setdefault(key, _empty())


def _add(
    table: TableThree,
    key: str,
    qs: QuerySet[Application],
    group: str = "applicant_kind",
) -> None:
    for rec in qs.values(group).annotate(n=Count("id")):
        row = table.row(key)
        row[rec[group]] += rec["n"]
        row["total"] += rec["n"]


def scope(unit: Unit) -> QuerySet[Application]:
    """Applications of a unit and the units below it (a consolidated figure)."""
    return Application.objects.filter(
        unit__path__startswith=unit.path, received_on__isnull=False
    )


def table_three(unit: Unit, year: int) -> TableThree:
    start, end = date(year, 1, 1), date(year, 12, 31)
    base = scope(unit)
    table = TableThree(year)
    for key in ("new", "carried_over", *OUTCOME_ROWS, "total", "carried_forward"):
        table.row(key)
    _add(table, "new", base.filter(received_on__range=(start, end)))
    _add(
        table,
        "carried_over",
        base.filter(received_on__lt=start).filter(
            Q(decided_on__isnull=True) | Q(decided_on__gte=start)
        ),
    )
    answered = base.filter(decided_on__range=(start, end))
    for rec in answered.values("outcome", "applicant_kind").annotate(n=Count("id")):
        for key in (rec["outcome"], "total"):
            table.rows[key][rec["applicant_kind"]] += rec["n"]
            table.rows[key]["total"] += rec["n"]
    _add(
        table,
        "carried_forward",
        base.filter(received_on__lte=end).filter(
            Q(decided_on__isnull=True) | Q(decided_on__gt=end)
        ),
    )
    return table


def table_four(unit: Unit, year: int) -> dict[str, dict[str, int]]:
    """Reviews and lawsuits filed in the year, by their result as at 12月31日.

    A lawsuit where this unit is only the review body sued as co-defendant is left
    out (国办公开办函〔2021〕30号: only the original agency's case counts)."""
    end = date(year, 12, 31)
    table = {
        k: dict.fromkeys((*AppealResult.values, "total"), 0) for k in AppealKind.values
    }
    appeals = Appeal.objects.filter(
        application__unit__path__startswith=unit.path,
        filed_on__year=year,
        as_review_body=False,
    )
    for appeal in appeals.only("kind", "result", "concluded_on"):
        concluded = appeal.concluded_on is not None and appeal.concluded_on <= end
        result = appeal.result if concluded else AppealResult.PENDING
        table[appeal.kind][result] += 1
        table[appeal.kind]["total"] += 1
    return table
