"""A published annual report read from its text, and every check run on it
(``gongkai report check``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gongkai.law.errors import LawInputError
from gongkai.law.limits import ReportLevel
from gongkai.law.report_checks import (
    WARNING,
    Finding,
    check_cross_year,
    check_narrative,
    check_overview,
    check_problems_repeated,
    check_published,
    check_table3,
    check_table4,
    split_findings,
)
from gongkai.law.report_parse import old_statistics, section2, table3, table4
from gongkai.law.report_template import COLUMNS, ReportFormat, rows_of
from gongkai.law.report_text import (
    NARRATIVE_PATTERNS,
    PRE2019_PATTERNS,
    level_of,
    normalise,
    published_on,
    quoted_figures,
    report_year,
    sections,
    standalone_numbers,
    title_of,
)


@dataclass
class ReadReport:
    year: int
    format: ReportFormat
    title: str
    published: date | None
    level: ReportLevel
    section2: dict[str, Any] | None = None
    rows: dict[str, list[int]] = field(default_factory=dict)
    section4: dict[str, dict[str, int]] | None = None
    old_format_statistics: dict[str, dict[str, int]] | None = None
    pre2019: dict[str, int] = field(default_factory=dict)
    narrative_figures: dict[str, int] = field(default_factory=dict)
    overview: str = ""
    problems: str = ""
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        section3 = None
        if self.rows:
            section3 = {
                "columns": list(COLUMNS),
                "row_order": [
                    r.key for r in rows_of(self.format) if r.key in self.rows
                ],
                "rows": self.rows,
            }
        out: dict[str, Any] = {
            "year": self.year,
            "format": str(self.format),
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "section2": self.section2,
            "section3": section3,
            "section4": self.section4,
        }
        if self.format is ReportFormat.pre2019:
            out["old_format_statistics"] = self.old_format_statistics
            out["pre2019"] = self.pre2019
        out["narrative_figures"] = self.narrative_figures
        return out


# The years a report can be for (as ``limits.annual_report_due`` accepts them): a
# mangled "0022年" must not reach the checks.
REPORT_YEARS = range(2008, 2101)


def _no_tables() -> LawInputError:
    return LawInputError(
        "file",
        "未能在文件中找到政府信息公开工作年度报告的统计表格（file），"
        "请确认这是一份年度报告（HTML、DOCX 或纯文本）",
    )


def read_report(text: str, previous: dict[str, Any] | None = None) -> ReadReport:
    """The report's year, format, tables and prose. ``previous`` (last year's report
    JSON) helps to split run-together cells of table 二."""
    text = normalise(text)
    year = report_year(text)
    if year is None:
        raise _no_tables()
    if year not in REPORT_YEARS:
        raise LawInputError(
            "file",
            f"报告年度“{year}年”不在{REPORT_YEARS[0]}—{REPORT_YEARS[-1]}年之间（file），"
            "请确认这是一份政府信息公开工作年度报告",
        )
    title = title_of(text)
    t3 = table3(text)
    parts = sections(text, t3.end if t3 else 0)
    overview = parts.text(text, 0)
    problems = parts.text(text, 4)
    report = ReadReport(
        year=year,
        format=t3.fmt if t3 else ReportFormat.pre2019,
        title=title,
        published=published_on(text),
        level=level_of(title),
        overview=overview,
        problems=problems,
    )
    if t3 is None:
        report.pre2019 = quoted_figures(text, PRE2019_PATTERNS)
        stats, notes = old_statistics(text, report.pre2019.get("items_total"))
        if stats is None and "items_total" not in report.pre2019:
            raise _no_tables()
        report.old_format_statistics = stats
        report.notes += notes
        return report
    report.rows = t3.rows
    report.notes += t3.notes
    quoted = standalone_numbers(overview)
    if t3.fmt is ReportFormat.gb2021:
        s2_start = parts.starts[1] if parts.starts[1] >= 0 else 0
        s2, notes = section2(text[s2_start:], quoted, previous)
        report.section2 = s2
        report.notes += notes
    else:
        report.notes.append("2019年试行格式的表二未作解析")
    if parts.starts[3] >= 0:
        end = parts.starts[4] if parts.starts[4] > parts.starts[3] else len(text)
        s4, notes = table4(text[parts.starts[3] : end])
        report.section4 = s4
        report.notes += notes
    report.narrative_figures = quoted_figures(overview, NARRATIVE_PATTERNS)
    return report


def check_read_report(
    report: ReadReport,
    previous: ReadReport | None = None,
    level: ReportLevel | str | None = None,
) -> list[Finding]:
    findings: list[Finding] = []
    if report.rows:
        findings += check_table3(report.rows, report.format)
    if report.section4:
        findings += check_table4(report.section4)
    data = report.to_dict()
    findings += check_narrative(report.narrative_figures, data)
    if report.format is ReportFormat.gb2021:
        findings += check_overview(report.overview, report.year)
    else:
        findings += [
            f
            for f in check_overview(report.overview, report.year)
            if f.id != "overview.length"
        ]
    findings += check_published(report.published, report.year, level or report.level)
    if report.format is ReportFormat.pre2019:
        figures = report.pre2019
        parts = [
            figures.get(k) for k in ("items_news", "items_guide", "items_document")
        ]
        if "items_total" in figures and all(p is not None for p in parts):
            total = sum(p for p in parts if p is not None)
            if total != figures["items_total"]:
                findings.append(
                    Finding(
                        WARNING,
                        "pre2019.items_sum",
                        f"主动公开信息分类之和 {total} 条不等于总数 {figures['items_total']} 条",
                    )
                )
    if previous is not None:
        findings += check_cross_year(data, previous.to_dict())
        if report.problems and previous.problems:
            findings += check_problems_repeated(report.problems, previous.problems)
    findings += [Finding(WARNING, "parse.note", note) for note in report.notes]
    return findings


def check_result(report: ReadReport, findings: list[Finding]) -> dict[str, Any]:
    """What ``gongkai report check --json`` prints."""
    errors, warnings = split_findings(findings)
    data = report.to_dict()
    return {
        "year": report.year,
        "format": str(report.format),
        "section2": data["section2"],
        "section3": data["section3"],
        "section4": data["section4"],
        **(
            {
                "old_format_statistics": data["old_format_statistics"],
                "pre2019": data["pre2019"],
            }
            if report.format is ReportFormat.pre2019
            else {}
        ),
        "narrative_figures": report.narrative_figures,
        "errors": errors,
        "warnings": warnings,
    }
