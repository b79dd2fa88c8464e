"""Drafting an annual report: figures from the records, a narrative drafted from
them and edited by the office, checked, then carried by a catalogue item of kind
年度报告 through the unit's review chain and published on the portal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.accounts.permissions import is_in_scope
from gongkai.accounts.roles import Role
from gongkai.audit.services import record_event
from gongkai.catalogue.models import Column, Kind
from gongkai.catalogue.services import editing
from gongkai.law.report_checks import (
    check_narrative,
    check_overview,
    check_problems_repeated,
    split_findings,
)
from gongkai.law.report_text import NARRATIVE_PATTERNS, quoted_figures
from gongkai.reports.compute import build_report, table_findings
from gongkai.reports.exports import context
from gongkai.reports.models import ReportDraft


@dataclass(frozen=True)
class DraftCheck:
    errors: list[str]
    warnings: list[str]


def _require(actor: User, unit: Unit) -> None:
    if not (
        actor.is_active and actor.has_role(Role.AUTHOR) and is_in_scope(actor, unit)
    ):
        raise ServiceError("只有本单位的撰稿人（公开办工作人员）可以起草年度报告")


def report_of(draft: ReportDraft) -> dict[str, Any]:
    """The figures now, with the draft's narrative."""
    report = build_report(unit=draft.unit, year=draft.year)
    report["narrative"] = {
        "overview": draft.overview,
        "problems": draft.problems,
        "other": draft.other,
    }
    return report


def check_draft(draft: ReportDraft) -> DraftCheck:
    """Hard errors (table identities) and warnings (narrative vs tables, length,
    another year named, 年年雷同 with last year's report)."""
    report = report_of(draft)
    findings = list(table_findings(report))
    if "section3" in report:
        findings += check_narrative(
            quoted_figures(draft.overview, NARRATIVE_PATTERNS), report
        )
    findings += check_overview(draft.overview, draft.year)
    previous = ReportDraft.objects.filter(unit=draft.unit, year=draft.year - 1).first()
    if previous is not None:
        findings += check_problems_repeated(draft.problems, previous.problems)
    errors, warnings = split_findings(findings)
    return DraftCheck(errors, warnings)


def _body(draft: ReportDraft) -> str:
    return render_to_string(
        "reports/_report_body.html", context(report_of(draft), chart=False)
    )


def _column(unit: Unit) -> Column:
    column = (
        Column.objects.filter(unit=unit, name__contains="年报").first()
        or Column.objects.filter(unit=unit, name__contains="年度报告").first()
        or Column.objects.filter(unit=unit).first()
    )
    if column is None:
        raise ServiceError("本单位尚未设置栏目，无法发布年度报告")
    return column


def _coverage_sentence(unit: Unit, year: int) -> str:
    """How the unit met its disclosure obligations (标准目录) in the year, if it has any."""
    from gongkai.obligations.coverage import coverage_narrative
    from gongkai.obligations.models import Obligation
    from gongkai.workdays.selectors import work_calendar

    if not Obligation.objects.filter(unit=unit).exists():
        return ""
    return coverage_narrative(
        unit, year=year, today=date(year, 12, 31), calendar=work_calendar()
    )


def start_draft(*, actor: User, unit: Unit, year: int) -> ReportDraft:
    """Compute the figures, draft the narrative and create the report's item."""
    _require(actor, unit)
    if not 2008 <= year < timezone.localdate().year:
        raise ServiceError("只能起草已结束年度的报告", field="year")
    if ReportDraft.objects.filter(unit=unit, year=year).exists():
        raise ServiceError(f"{year}年度报告已在起草中", field="year")
    report = build_report(unit=unit, year=year)
    narrative = report["narrative"]
    overview = narrative["overview"]
    coverage = _coverage_sentence(unit, year)
    if coverage:
        overview = f"{overview}\n{coverage}"
    with transaction.atomic():
        draft = ReportDraft.objects.create(
            unit=unit,
            year=year,
            format=report["format"],
            overview=overview,
            problems=narrative["problems"],
            other=narrative.get("other", ""),
            created_by=actor,
        )
        today = timezone.localdate()
        draft.item = editing.create_item(
            actor=actor,
            unit=unit,
            column=_column(unit),
            kind=Kind.objects.get(report_role="annual_report"),
            title=report["title"],
            summary=f"{year}年度政府信息公开工作年度报告",
            body=_body(draft),
            document_number="",
            written_on=today,
            formed_on=today,
            topic="综合政务",
            genre="年度报告",
            interprets=None,
        )
        draft.save(update_fields=["item"])
        record_event(
            actor=actor,
            action="reports.draft_started",
            summary=f"起草{unit.short_name}{year}年度报告",
            obj=draft,
            unit=unit,
        )
    return draft


def update_narrative(
    *, actor: User, draft: ReportDraft, overview: str, problems: str, other: str
) -> DraftCheck:
    """Save the edited narrative into a new draft revision of the report's item."""
    _require(actor, draft.unit)
    if not overview.strip() or not problems.strip():
        raise ServiceError("总体情况和存在的主要问题不能为空", field="overview")
    with transaction.atomic():
        draft.overview, draft.problems, draft.other = (
            overview.strip(),
            problems.strip(),
            other.strip(),
        )
        draft.save(update_fields=["overview", "problems", "other", "updated_at"])
        assert draft.item is not None
        editing.update_draft(actor=actor, item=draft.item, body=_body(draft))
        record_event(
            actor=actor,
            action="reports.narrative_updated",
            summary=f"修改{draft.unit.short_name}{draft.year}年度报告正文",
            obj=draft,
            unit=draft.unit,
        )
    return check_draft(draft)


def submit_report(*, actor: User, draft: ReportDraft) -> DraftCheck:
    """Refresh the figures, refuse if an identity fails, then submit the item."""
    from gongkai.catalogue.services import review

    check = check_draft(draft)
    if check.errors:
        raise ServiceError(
            "年度报告表格校验未通过，不能提交：" + "；".join(check.errors)
        )
    assert draft.item is not None
    with transaction.atomic():
        editing.update_draft(actor=actor, item=draft.item, body=_body(draft))
        review.submit(
            actor=actor, item=draft.item, comment="；".join(check.warnings)[:2000]
        )
    return check


def reports_due(today: date, *, days: int = 10) -> list[tuple[Unit, int, date]]:
    """Units whose report on last year is not yet published when the due date is
    within ``days`` (or past): (unit, year, due date)."""
    from gongkai.law.limits import ReportLevel, annual_report_due

    year = today.year - 1
    due = annual_report_due(year, ReportLevel.department)
    if today < due - timedelta(days=days):
        return []
    published = set(
        ReportDraft.objects.filter(year=year, item__is_public=True).values_list(
            "unit_id", flat=True
        )
    )
    agencies = Unit.objects.filter(kind="agency", is_active=True).exclude(
        pk__in=published
    )
    return [(unit, year, due) for unit in agencies]


def send_report_reminders(today: date) -> int:
    from gongkai.accounts.selectors import holders_of
    from gongkai.core.notify import notify

    sent = 0
    for unit, year, due in reports_due(today):
        text = f"{unit.short_name}{year}年度政府信息公开工作年度报告应于{due}前公布，目前尚未发布"
        for user in holders_of(Role.DISCLOSURE_OFFICER, within=unit).filter(unit=unit):
            if notify(
                user,
                key=f"report-{unit.pk}-{year}-{today.isoformat()}",
                text=text,
                url="/console/reports/",
            ):
                sent += 1
    return sent
