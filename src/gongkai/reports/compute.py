"""One annual report's figures and drafted narrative as a JSON-ready dict in the
shape of ``SCHEMA.md`` (``section2``, ``section3.rows``, ``section4``, fees, and
for the pre-2019 format the seed's figures)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from gongkai.accounts.models import Unit
from gongkai.applications.models import Application
from gongkai.law import report_template as tpl
from gongkai.law.limits import ReportLevel, annual_report_due
from gongkai.law.report_checks import Finding, check_table3, check_table4
from gongkai.law.report_draft import draft_overview, draft_pre2019, draft_problems
from gongkai.law.report_template import ReportFormat
from gongkai.reports import figures
from gongkai.reports.figures import Scope, _aware_bounds, _disclosed, _year_bounds

TREND_YEARS = 5


def _trend(scope: Scope, year: int) -> dict[str, list[int]]:
    """Applications received and items published per year over five years: one
    conditional count per year on the date ranges, so the indexed column is
    compared with constants instead of extracting each row's year (on SQLite a
    Python function call per row, with a time-zone conversion for items)."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    days = {y: _year_bounds(y) for y in years}
    apps = Application.objects.filter(
        scope.q(), received_on__range=(days[years[0]][0], days[year][1])
    ).aggregate(
        **{
            f"y{y}": Count("id", filter=Q(received_on__range=bounds))
            for y, bounds in days.items()
        }
    )
    moments = {y: _aware_bounds(y) for y in years}
    items = (
        _disclosed(scope)
        .filter(
            published_at__gte=moments[years[0]][0], published_at__lt=moments[year][1]
        )
        .aggregate(
            **{
                f"y{y}": Count("id", filter=Q(published_at__gte=s, published_at__lt=e))
                for y, (s, e) in moments.items()
            }
        )
    )
    return {
        "years": years,
        "applications": [apps[f"y{y}"] for y in years],
        "items": [items[f"y{y}"] for y in years],
    }


def build_report(
    *,
    unit: Unit | None,
    year: int,
    fmt: ReportFormat | None = None,
    consolidated: bool = False,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The report on ``year`` for ``unit`` (None: all units, a county aggregate)."""
    fmt = fmt or tpl.format_for_year(year)
    scope = Scope(unit, consolidated)
    level = ReportLevel.county_aggregate if unit is None else ReportLevel.department
    agency = unit.name if unit is not None else "全部单位"
    out: dict[str, Any] = {
        "schema_version": "1.0",
        "report_id": f"{unit.org_code if unit else 'all'}-{year}",
        "title": f"{agency}{year}年度政府信息公开工作年度报告",
        "agency": scope.label,
        "unit": unit.org_code if unit else None,
        "consolidated": consolidated or unit is None,
        "report_year": year,
        "format": str(fmt),
        "due": annual_report_due(year, level).isoformat(),
    }
    if fmt is ReportFormat.pre2019:
        pre, sources = figures.pre2019(scope, year)
        out["pre2019"] = pre
        out["pre2019_sources"] = sources
        out["narrative"] = {
            "overview": draft_pre2019(agency, year, pre),
            "problems": draft_problems(year),
            "other": "",
        }
        out["trend"] = _trend(scope, year)
        return out
    s2, sources = figures.section2(scope, year)
    rows = figures.section3(scope, year, fmt)
    fee = figures.fees(scope, year)
    out["section2"] = s2
    out["section2_sources"] = sources
    if fmt is ReportFormat.gb2019:
        docs = s2["art20_1"]
        out["section2_gb2019"] = {
            key: {
                "new_made": docs[key]["issued"],
                "new_published": docs[key]["issued"],
                "total_published": docs[key]["in_force"],
            }
            for key in ("regulations", "normative_documents")
        }
    out["section3"] = {
        "columns": list(tpl.COLUMNS),
        "row_order": [r.key for r in tpl.rows_of(fmt)],
        "rows": rows,
    }
    out["section4"] = figures.section4(scope, year)
    out["fees"] = fee
    out["section6_fee_text"] = figures.fee_text(year, fee)
    if previous is None:
        previous = {
            "section2": {"art20_1": figures.art20_1(scope, year - 1)},
            "section3": {"rows": figures.section3(scope, year - 1, fmt)},
        }
    out["narrative"] = {
        "overview": draft_overview(agency, out, previous),
        "problems": draft_problems(year),
        "other": out["section6_fee_text"],
    }
    out["trend"] = _trend(scope, year)
    return out


def table_findings(report: dict[str, Any]) -> list[Finding]:
    """The hard checks on computed tables (they hold by construction; a failure
    means the records are inconsistent)."""
    if "section3" not in report:
        return []
    fmt = ReportFormat(report["format"])
    return check_table3(report["section3"]["rows"], fmt) + check_table4(
        report["section4"]
    )
