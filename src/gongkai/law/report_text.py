"""Reading the text of a published annual report: normalising it, finding its
sections, its year, publication date and level, and the figures its prose quotes.

Cell boundaries survive as whitespace or ``|`` (what the HTML and DOCX readers put
between cells); in plain text copied from a portal they are often lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from gongkai.law.limits import ReportLevel

SEP: Final = r"[\s|]*"
_QUOTES: Final = '“”"＂「」'
_FULLWIDTH: Final = str.maketrans(
    "０１２３４５６７８９．",
    "0123456789.",
)


def normalise(text: str) -> str:
    """Full-width digits to ASCII, non-breaking spaces to spaces, CRLF to LF."""
    text = text.translate(_FULLWIDTH).replace("\xa0", " ").replace("\u3000", " ")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def label_pattern(label: str) -> str:
    """A regex for ``label`` that tolerates spaces, cell separators and any kind of
    quotation mark between its characters."""
    parts = []
    for ch in label:
        if ch in _QUOTES:
            parts.append(f"[{re.escape(_QUOTES)}]")
        else:
            parts.append(re.escape(ch))
    return SEP.join(parts)


def find(pattern: str, text: str, start: int = 0) -> re.Match[str] | None:
    return re.compile(pattern).search(text, start)


@dataclass(frozen=True)
class Sections:
    """Character offsets of the six sections (−1 when not found)."""

    starts: tuple[int, int, int, int, int, int]

    def text(self, text: str, index: int) -> str:
        start = self.starts[index]
        if start < 0:
            return ""
        later = [s for s in self.starts[index + 1 :] if s > start]
        return text[start : min(later) if later else len(text)]


HEADINGS: Final[tuple[str, ...]] = (
    r"一、" + SEP + r"(?:总体情况|概述)",
    r"二、" + SEP + r"(?:主动公开政府信息(?:的)?情况|政府信息公开工作情况)",
    r"三、"
    + SEP
    + r"(?:收到和处理政府信息公开申请情况|主动公开信息情况|政府信息依申请公开)",
    r"[四六]、" + SEP + r"(?:因)?政府信息公开[^。]{0,20}?(?:复议|诉讼)",
    r"[五六七]、" + SEP + r"(?:政府信息公开工作)?存在的主要问题",
    r"[六七八]、" + SEP + r"(?:其他需要报告的事项|政府信息公开情况统计表)",
)


def sections(text: str, table3_end: int = 0) -> Sections:
    """Find the headings in order; 四、 is looked for after table 三 (whose last row
    also begins with 四、)."""
    starts: list[int] = []
    pos = 0
    for i, heading in enumerate(HEADINGS):
        m = find(heading, text, max(pos, table3_end) if i == 3 else pos)
        if m is None:
            starts.append(-1)
        else:
            starts.append(m.start())
            pos = m.end()
    a, b, c, d, e, f = starts
    return Sections((a, b, c, d, e, f))


def report_year(text: str) -> int | None:
    head = text[:600]
    for pattern in (
        r"统计(?:时限|期限|时间|期间)[^\d]{0,8}(\d{4})\s*年\s*1\s*月\s*1\s*日",
        r"(\d{4})\s*年度?[^\d。\n]{0,30}?(?:政府信息公开|政务公开)[^\d。\n]{0,10}?年(?:度报告|报)",
        r"(?<!\d)(\d{4})\s*年",
    ):
        m = re.search(pattern, head) or re.search(pattern, text)
        if m:
            return int(m.group(1))
    return None


def published_on(text: str) -> date | None:
    m = re.search(
        r"(?:发布(?:时间|日期)[:：]?\s*)?(\d{4})-(\d{1,2})-(\d{1,2})", text[:600]
    )
    if m is None:
        return None
    year, month, day = (int(g) for g in m.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def title_of(text: str) -> str:
    m = re.search(r"标题[:：]\s*(.+)", text[:300])
    if m:
        return m.group(1).strip()
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:100]
    return ""


def level_of(title: str) -> ReportLevel:
    """A department's own report, or a government's aggregate (which is due later)."""
    if re.search(r"局|委员会|办公室|中心|学校|学院|医院|队|站|所", title):
        return ReportLevel.department
    if re.search(r"省(?:人民政府)?\d{0,4}", title) and "市" not in title:
        return ReportLevel.provincial_aggregate
    if re.search(r"(?:区|县|实验区)", title):
        return ReportLevel.county_aggregate
    if "市" in title:
        return ReportLevel.municipal_aggregate
    return ReportLevel.department


def standalone_numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"(?<![\d.])\d+(?![\d.])", text)}


_N: Final = r"[\s,，]*(\d+)[\s]*"

NARRATIVE_PATTERNS: Final[dict[str, tuple[str, ...]]] = {
    "applications_received": (
        r"收到(?:政府信息公开)?申请[^\d，。；]{0,6}?" + _N + "件",
        r"收到" + _N + r"件(?:政府信息公开)?申请",
    ),
    "applications_closed": (r"办结" + _N + "件",),
    "carried_forward": (_N + r"件结转下年度",),
    "natural_person": (r"自然人" + _N + "件",),
    "commercial_enterprise": (r"商业企业" + _N + "件",),
    "reviews": (r"行政复议(?:案件)?" + _N + "件",),
    "lawsuits": (r"行政诉讼(?:案件)?" + _N + "件",),
    "normative_docs_in_force": (r"现行有效的?(?:行政)?规范性文件" + _N + "件",),
    "normative_docs_issued": (r"制发的?(?:行政)?规范性文件" + _N + "件",),
}

PRE2019_PATTERNS: Final[dict[str, tuple[str, ...]]] = {
    "items_total": (r"主动公开政府信息" + _N + "条",),
    "items_news": (r"政务及?动态类信息" + _N + "条",),
    "items_guide": (r"指南类信息" + _N + "条",),
    "items_document": (r"(?<!性)文件类信息" + _N + "条",),
    "government_website": (r"通过政府网站公开政府信息数?" + _N + "条",),
    "public_concern_responses": (r"回应公众关注热点或重大舆情" + _N + "条",),
    "wechat_posts": (r"微信公众号[^\d，。；]{0,12}?发布[^\d，。；]{0,8}?" + _N + "条",),
    "applications_total": (r"受理政府信息公开申请" + _N + "件",),
    "applications_phone": (r"通过电话提交的申请有?" + _N + "件",),
    "applications_email": (r"通过电子邮件提交的申请有?" + _N + "件",),
}


def quoted_figures(text: str, patterns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """The first figure each pattern finds in ``text``."""
    out: dict[str, int] = {}
    for key, options in patterns.items():
        for pattern in options:
            m = re.search(pattern, text)
            if m:
                out[key] = int(m.group(1))
                break
    return out
