"""The checks of an annual report (年度报告): hard errors that block publication and
warnings (LAW.md §2.4, 国办公开办函〔2021〕30号).

Errors: per column 新收 + 上年结转 = （七）总计 + 结转下年度; the result rows add up
to （七）总计; each row's organisation columns plus 自然人 equal 总计; table 四's
groups add up. Warnings: the cross-year identities, figures quoted in the narrative
that differ from the tables, an over-long 总体情况, another year named in it, a
section 五 copied from last year (年年雷同) and publication after the due date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from typing import Any, Final

from gongkai.law.limits import ReportLevel, annual_report_due
from gongkai.law.report_template import (
    APPEAL_FIELD_LABELS,
    APPEAL_GROUP_LABELS,
    APPEAL_GROUPS,
    APPEAL_RESULTS,
    COLUMN_LABELS,
    COLUMNS,
    ROW_LABELS,
    ReportFormat,
    result_rows,
)

ERROR: Final = "error"
WARNING: Final = "warning"
OVERVIEW_LIMIT: Final = 1000
SIMILARITY_LIMIT: Final = 0.9


@dataclass(frozen=True)
class Finding:
    level: str  # "error" or "warning"
    id: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"level": self.level, "id": self.id, "message": self.message}


def _get(rows: Mapping[str, Sequence[int]], key: str) -> Sequence[int] | None:
    row = rows.get(key)
    return row if row is not None and len(row) == len(COLUMNS) else None


def check_table3(
    rows: Mapping[str, Sequence[int]], fmt: ReportFormat = ReportFormat.gb2021
) -> list[Finding]:
    """The three identities of table 三 (rows that are missing are skipped)."""
    out: list[Finding] = []
    new, carried = _get(rows, "new_received"), _get(rows, "carried_over")
    total, forward = _get(rows, "total_processed"), _get(rows, "carried_forward")
    leaves = [r for r in (_get(rows, k) for k in result_rows(fmt)) if r is not None]
    for i, col in enumerate(COLUMNS):
        label = COLUMN_LABELS[col]
        if new and carried and total and forward:
            lhs, rhs = new[i] + carried[i], total[i] + forward[i]
            if lhs != rhs:
                out.append(
                    Finding(
                        ERROR,
                        f"t3.balance.{col}",
                        f"表三“{label}”列：本年新收 {new[i]} + 上年结转 {carried[i]} = {lhs}，"
                        f"不等于办理结果总计 {total[i]} + 结转下年度 {forward[i]} = {rhs}",
                    )
                )
        if total and leaves:
            leaf_sum = sum(r[i] for r in leaves)
            if leaf_sum != total[i]:
                out.append(
                    Finding(
                        ERROR,
                        f"t3.result_sum.{col}",
                        f"表三“{label}”列：各项办理结果之和 {leaf_sum} 不等于（七）总计 {total[i]}",
                    )
                )
    for key, row in rows.items():
        if len(row) != len(COLUMNS):
            out.append(
                Finding(
                    ERROR,
                    f"t3.width.{key}",
                    f"表三“{ROW_LABELS.get(key, key)}”行应有 {len(COLUMNS)} 个数，实有 {len(row)} 个",
                )
            )
        elif sum(row[:-1]) != row[-1]:
            out.append(
                Finding(
                    ERROR,
                    f"t3.row_total.{key}",
                    f"表三“{ROW_LABELS.get(key, key)}”行：自然人与五类法人或其他组织之和 "
                    f"{sum(row[:-1])} 不等于总计 {row[-1]}",
                )
            )
    return out


def check_table4(section4: Mapping[str, Mapping[str, int]]) -> list[Finding]:
    out: list[Finding] = []
    for group in APPEAL_GROUPS:
        cells = section4.get(group)
        if cells is None:
            continue
        parts = sum(cells.get(k, 0) for k in APPEAL_RESULTS)
        if parts != cells.get("total", 0):
            out.append(
                Finding(
                    ERROR,
                    f"t4.sum.{group}",
                    f"表四“{APPEAL_GROUP_LABELS[group]}”：结果维持、结果纠正、其他结果、"
                    f"尚未审结之和 {parts} 不等于{APPEAL_FIELD_LABELS['total']} {cells.get('total', 0)}",
                )
            )
    return out


def check_cross_year(
    current: Mapping[str, Any], previous: Mapping[str, Any]
) -> list[Finding]:
    """上年结转(Y) = 结转下年度(Y−1) and 现行有效(Y) = 现行有效(Y−1) + 制发 − 废止."""
    out: list[Finding] = []
    cur_rows = (current.get("section3") or {}).get("rows", {})
    prev_rows = (previous.get("section3") or {}).get("rows", {})
    carried, forward = cur_rows.get("carried_over"), prev_rows.get("carried_forward")
    if carried is not None and forward is not None and list(carried) != list(forward):
        out.append(
            Finding(
                WARNING,
                "cross.carried_over",
                f"本年“上年结转”{list(carried)} 与上年报告“结转下年度继续办理”{list(forward)} 不一致",
            )
        )
    cur_s2 = ((current.get("section2") or {}).get("art20_1")) or {}
    prev_s2 = ((previous.get("section2") or {}).get("art20_1")) or {}
    for key, label in (
        ("regulations", "规章"),
        ("normative_documents", "行政规范性文件"),
    ):
        cur, prev = cur_s2.get(key), prev_s2.get(key)
        if not cur or not prev:
            continue
        expected = prev["in_force"] + cur["issued"] - cur["repealed"]
        if expected != cur["in_force"]:
            out.append(
                Finding(
                    WARNING,
                    f"cross.in_force.{key}",
                    f"{label}现行有效件数 {cur['in_force']} 不等于上年现行有效 {prev['in_force']} "
                    f"+ 本年制发 {cur['issued']} − 本年废止 {cur['repealed']} = {expected}",
                )
            )
    return out


# What the narrative says → where the tables say it.
NARRATIVE_LABELS: Final[dict[str, str]] = {
    "applications_received": "收到政府信息公开申请",
    "applications_closed": "办结申请",
    "carried_forward": "结转下年度",
    "natural_person": "自然人申请",
    "commercial_enterprise": "商业企业申请",
    "reviews": "行政复议案件",
    "lawsuits": "行政诉讼案件",
    "normative_docs_in_force": "现行有效行政规范性文件",
    "normative_docs_issued": "本年制发行政规范性文件",
}


def table_figures(report: Mapping[str, Any]) -> dict[str, int]:
    """The table values that a narrative figure of :data:`NARRATIVE_LABELS` quotes."""
    out: dict[str, int] = {}
    rows = (report.get("section3") or {}).get("rows", {})
    if rows.get("new_received"):
        new = rows["new_received"]
        out["applications_received"] = new[-1]
        out["natural_person"] = new[0]
        out["commercial_enterprise"] = new[1]
    if rows.get("total_processed"):
        out["applications_closed"] = rows["total_processed"][-1]
    if rows.get("carried_forward"):
        out["carried_forward"] = rows["carried_forward"][-1]
    s4 = report.get("section4") or {}
    if "administrative_review" in s4:
        out["reviews"] = s4["administrative_review"]["total"]
    if "litigation_direct" in s4 and "litigation_after_review" in s4:
        out["lawsuits"] = (
            s4["litigation_direct"]["total"] + s4["litigation_after_review"]["total"]
        )
    docs = ((report.get("section2") or {}).get("art20_1") or {}).get(
        "normative_documents"
    )
    if docs:
        out["normative_docs_in_force"] = docs["in_force"]
        out["normative_docs_issued"] = docs["issued"]
    return out


def check_narrative(
    narrative: Mapping[str, int], report: Mapping[str, Any]
) -> list[Finding]:
    """A figure quoted in the text must equal the tables."""
    tables = table_figures(report)
    out: list[Finding] = []
    for key, said in narrative.items():
        if key in tables and tables[key] != said:
            out.append(
                Finding(
                    WARNING,
                    f"narrative.{key}",
                    f"正文称{NARRATIVE_LABELS[key]} {said} 件，表格为 {tables[key]} 件",
                )
            )
    return out


def _length(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def check_overview(overview: str, year: int) -> list[Finding]:
    """一、总体情况: at most about 1,000 characters; no other (earlier) year named."""
    out: list[Finding] = []
    n = _length(overview)
    if n > OVERVIEW_LIMIT:
        out.append(
            Finding(
                WARNING,
                "overview.length",
                f"“一、总体情况”共 {n} 字，超过格式要求的约 {OVERVIEW_LIMIT} 字",
            )
        )
    # A past year named in the overview is the usual trace of last year's text;
    # document numbers （〔2021〕） and ranges （2021-2035） are not years of work.
    cleaned = re.sub(r"〔\d{4}〕|\d{4}\s*[-—–至]\s*\d{4}", "", overview)
    named = sorted(
        {int(y) for y in re.findall(r"(?<!\d)(\d{4})\s*年", cleaned)} - {year}
    )
    stale = [y for y in named if year - 5 <= y < year]
    if stale:
        out.append(
            Finding(
                WARNING,
                "overview.other_year",
                f"“一、总体情况”提到了报告年度以外的年份：{'、'.join(f'{y}年' for y in stale)}"
                f"（报告年度为{year}年），请核对是否沿用了往年文字",
            )
        )
    return out


def similarity(a: str, b: str) -> float:
    a, b = re.sub(r"\s|\d", "", a), re.sub(r"\s|\d", "", b)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def check_problems_repeated(current: str, previous: str) -> list[Finding]:
    """Section 五 must not repeat last year's (不得出现…年年雷同现象)."""
    ratio = similarity(current, previous)
    if ratio >= SIMILARITY_LIMIT:
        return [
            Finding(
                WARNING,
                "problems.repeated",
                f"“五、存在的主要问题及改进情况”与上年相似度 {ratio:.0%}，"
                "格式要求不得年年雷同",
            )
        ]
    return []


def check_published(
    published: date | None, year: int, level: ReportLevel | str
) -> list[Finding]:
    if published is None:
        return []
    due = annual_report_due(year, level)
    if published > due:
        return [
            Finding(
                WARNING,
                "published.late",
                f"发布日期 {published} 晚于法定期限 {due}",
            )
        ]
    return []


def split_findings(findings: Sequence[Finding]) -> tuple[list[str], list[str]]:
    """The messages of the errors and of the warnings."""
    errors = [f.message for f in findings if f.level == ERROR]
    warnings = [f.message for f in findings if f.level == WARNING]
    return errors, warnings
