"""Drafting the narrative of an annual report from its figures, with year-on-year
comparisons. The draft quotes only numbers taken from the tables, so the
narrative check passes on it; staff edit it before review."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def change(current: int | float, previous: int | float | None) -> str:
    """“比上年增加 3 件” / “与上年持平” / “” when there is no previous year."""
    if previous is None:
        return ""
    diff = current - previous
    if diff == 0:
        return "，与上年持平"
    word = "增加" if diff > 0 else "减少"
    amount = abs(diff)
    shown = f"{amount:g}" if isinstance(amount, float) else str(amount)
    return f"，比上年{word}{shown}"


def _rows(report: Mapping[str, Any]) -> Mapping[str, list[int]]:
    rows: Mapping[str, list[int]] = (report.get("section3") or {}).get("rows", {})
    return rows


def _total(report: Mapping[str, Any] | None, key: str) -> int | None:
    if report is None:
        return None
    row = _rows(report).get(key)
    return row[-1] if row else None


def draft_overview(
    agency: str, report: Mapping[str, Any], previous: Mapping[str, Any] | None = None
) -> str:
    """一、总体情况 for the 2021 format (well under 1,000 characters)."""
    year = report["report_year"]
    rows = _rows(report)
    parts: list[str] = [
        f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "坚持以公开为常态、不公开为例外，扎实做好主动公开、依申请公开、政府信息管理、"
        "平台建设和监督保障各项工作。"
    ]
    docs = ((report.get("section2") or {}).get("art20_1") or {}).get(
        "normative_documents"
    )
    if docs:
        prev_docs = (((previous or {}).get("section2") or {}).get("art20_1") or {}).get(
            "normative_documents"
        )
        prev_in_force = prev_docs["in_force"] if prev_docs else None
        parts.append(
            f"（一）主动公开方面。本年制发行政规范性文件{docs['issued']}件，"
            f"废止{docs['repealed']}件，现行有效行政规范性文件{docs['in_force']}件"
            f"{change(docs['in_force'], prev_in_force)}。"
        )
    new = rows.get("new_received")
    if new:
        received = new[-1]
        parts.append(
            f"（二）依申请公开方面。本年新收政府信息公开申请{received}件"
            f"{change(received, _total(previous, 'new_received'))}，其中自然人申请{new[0]}件、"
            f"法人或其他组织申请{received - new[0]}件；上年结转{_total(report, 'carried_over')}件。"
            f"全年办结{_total(report, 'total_processed')}件，"
            f"{_total(report, 'carried_forward')}件结转下年度继续办理。"
        )
    s4 = report.get("section4") or {}
    if s4:
        reviews = s4["administrative_review"]["total"]
        suits = (
            s4["litigation_direct"]["total"] + s4["litigation_after_review"]["total"]
        )
        parts.append(
            f"（三）监督保障方面。因政府信息公开工作被申请行政复议{reviews}件、"
            f"被提起行政诉讼{suits}件。"
        )
    return "\n".join(parts)


def draft_problems(year: int) -> str:
    """A skeleton of 五 that must be rewritten: the format forbids 年年雷同."""
    return (
        f"（一）存在的主要问题：（请结合{year}年工作实际填写，不得沿用往年表述。）\n"
        f"（二）改进措施：（请针对上述问题逐条写明{year + 1}年的改进举措。）"
    )


def draft_pre2019(agency: str, year: int, figures: Mapping[str, int]) -> str:
    """The seed report's 三、主动公开信息情况 and 四、依申请公开 sentences."""
    return (
        f"本年度，{agency}累计主动公开政府信息{figures['items_total']}条"
        f"（含政务及动态类信息{figures['items_news']}条，指南类信息{figures['items_guide']}条，"
        f"文件类信息{figures['items_document']}条）；通过政府网站公开政府信息数"
        f"{figures['government_website']}条；回应公众关注热点或重大舆情"
        f"{figures['public_concern_responses']}条；微信公众号发布教育信息"
        f"{figures['wechat_posts']}条。\n"
        f"{year}年，共受理政府信息公开申请{figures['applications_total']}件，"
        f"通过电话提交的申请有{figures['applications_phone']}件，"
        f"通过电子邮件提交的申请有{figures['applications_email']}件。"
    )
