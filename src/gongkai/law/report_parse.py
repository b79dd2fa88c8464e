"""Extracting the tables of a published annual report into the report JSON shape
(``SCHEMA.md``): section 二, table 三, table 四, or the pre-2019 statistics.

Rows are found by their labels in template order; the cells of a row are the digits
between its label and the next one. Run-together cells are split with the table
identities (:mod:`gongkai.law.report_split`); every guess is written to ``notes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from gongkai.law.report_split import (
    solutions,
    split_table3,
    splits,
    table4_ok,
    tokens_of,
)
from gongkai.law.report_template import (
    APPEAL_FIELDS,
    APPEAL_GROUPS,
    ReportFormat,
    result_rows,
)
from gongkai.law.report_text import SEP, find, label_pattern

_LEAD: Final = re.compile(r"[\s|\d.\-]*")


def leading_cells(text: str) -> str:
    """The run of digits and separators at the start of ``text``."""
    m = _LEAD.match(text)
    return m.group(0) if m else ""


def _row(core: str, prefix: str = "", tail: str = "") -> str:
    pattern = label_pattern(core)
    if prefix:
        pattern = f"(?:{label_pattern(prefix)}{SEP})?{pattern}"
    if tail:
        pattern = f"{pattern}(?:{SEP}{label_pattern(tail)})?"
    return pattern


_PARTIAL_TAIL: Final = "（区分处理的，只计这一情形，不计其他情形）"
_T3_COMMON: Final[list[tuple[str, str]]] = [
    ("new_received", _row("本年新收政府信息公开申请数量", "一、")),
    ("carried_over", _row("上年结转政府信息公开申请数量", "二、")),
    ("granted", _row("予以公开", "（一）")),
    ("partially_granted", _row("部分公开", "（二）", _PARTIAL_TAIL)),
    ("withheld_state_secret", _row("属于国家秘密", "1.")),
    ("withheld_other_law_prohibits", _row("其他法律行政法规禁止公开", "2.")),
    ("withheld_three_security_one_stability", _row("危及“三安全一稳定”", "3.")),
    ("withheld_third_party_rights", _row("保护第三方合法权益", "4.")),
    ("withheld_internal_affairs", _row("属于三类内部事务信息", "5.")),
    ("withheld_process_info", _row("属于四类过程性信息", "6.")),
    ("withheld_enforcement_file", _row("属于行政执法案卷", "7.")),
    ("withheld_admin_inquiry", _row("属于行政查询事项", "8.")),
    ("unable_not_held", _row("本机关不掌握相关政府信息", "1.")),
    ("unable_needs_creation", _row("没有现成信息需要另行制作", "2.")),
    ("unable_unclear_after_correction", _row("补正后申请内容仍不明确", "3.")),
    ("notproc_petition_complaint", _row("信访举报投诉类申请", "1.")),
    ("notproc_repeat", _row("重复申请", "2.")),
    ("notproc_publication", _row("要求提供公开出版物", "3.")),
    ("notproc_mass_repeat", _row("无正当理由大量反复申请", "4.")),
    ("notproc_confirm_or_reissue", _row("要求行政机关确认或重新出具已获取信息", "5.")),
]
_T3_2021: Final[list[tuple[str, str]]] = [
    (
        "other_no_correction",
        _row("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "1."),
    ),
    (
        "other_fee_unpaid",
        _row(
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "2.",
        ),
    ),
    ("other_other", _row("其他", "3.")),
]
_T3_2019: Final[list[tuple[str, str]]] = [
    ("other_processing", _row("其他处理", "（六）"))
]
_T3_END: Final[list[tuple[str, str]]] = [
    ("total_processed", _row("总计", "（七）")),
    ("carried_forward", _row("结转下年度继续办理", "四、")),
]


@dataclass
class Table3:
    fmt: ReportFormat
    rows: dict[str, list[int]]
    end: int
    notes: list[str] = field(default_factory=list)


def table3(text: str) -> Table3 | None:
    """Table 三, or None when its first row is not there."""
    first = find(_T3_COMMON[0][1], text)
    if first is None:
        return None
    fmt = (
        ReportFormat.gb2021
        if find(label_pattern("逾期不补正"), text, first.start())
        else ReportFormat.gb2019
    )
    layout = _T3_COMMON + (_T3_2021 if fmt is ReportFormat.gb2021 else _T3_2019)
    layout += _T3_END
    matches: list[tuple[str, re.Match[str]]] = []
    pos = first.start()
    for key, pattern in layout:
        m = find(pattern, text, pos)
        if m is None:
            continue
        matches.append((key, m))
        pos = m.end()
    segments: dict[str, list[str]] = {}
    for i, (key, m) in enumerate(matches):
        stop = matches[i + 1][1].start() if i + 1 < len(matches) else len(text)
        segments[key] = tokens_of(leading_cells(text[m.end() : stop]))
    split = split_table3(segments, result_rows(fmt))
    notes = [
        f"表三“{key}”行的数字可有多种拆分，已按各列勾稽关系取其一，请核对原表"
        for key in split.ambiguous
    ] + [f"表三“{key}”行的数字无法拆分为 7 列" for key in split.unreadable]
    return Table3(fmt, split.rows, pos, notes)


def table4(text: str) -> tuple[dict[str, dict[str, int]] | None, list[str]]:
    """Table 四 from the digits of its section: 15 numbers in three groups."""
    tokens = tokens_of(text)
    if not tokens:
        return None, []
    found = solutions(tokens, 15, table4_ok, limit=2)
    notes: list[str] = []
    if not found:
        if len(tokens) != 15:
            return None, ["表四的数字无法拆分为 15 格"]
        found = [tuple(int(t) for t in tokens)]
    elif len(found) > 1:
        notes.append("表四的数字可有多种拆分，已取其一，请核对原表")
    values = found[0]
    out = {
        group: dict(zip(APPEAL_FIELDS, values[i * 5 : i * 5 + 5], strict=True))
        for i, group in enumerate(APPEAL_GROUPS)
    }
    return out, notes


def _rank_triple(
    values: tuple[int, ...], quoted: set[int], previous_in_force: int | None
) -> tuple[int, ...]:
    issued, repealed, in_force = values
    return (
        int(
            previous_in_force is not None
            and previous_in_force + issued - repealed == in_force
        ),
        int(in_force >= max(issued, repealed)),
        sum(len(str(v)) for v in values if v >= 10 and v in quoted),
        int(issued >= repealed),
    )


def _triple(
    tokens: list[str],
    label: str,
    quoted: set[int],
    previous_in_force: int | None,
    notes: list[str],
) -> dict[str, int] | None:
    candidates = list(splits(tokens, 3))
    if not candidates:
        return None
    ranked = sorted(
        candidates,
        key=lambda c: _rank_triple(c, quoted, previous_in_force),
        reverse=True,
    )
    best = ranked[0]
    if len(ranked) > 1 and _rank_triple(
        ranked[1], quoted, previous_in_force
    ) == _rank_triple(best, quoted, previous_in_force):
        notes.append(
            f"表二“{label}”一行的数字“{''.join(tokens)}”可有多种拆分，"
            f"已取 {best[0]}/{best[1]}/{best[2]}，请核对原表"
        )
    return {"issued": best[0], "repealed": best[1], "in_force": best[2]}


def _number(text: str) -> int | float | None:
    m = re.match(r"[\s|]*(\d+(?:\.\d+)?)", text)
    if m is None:
        return None
    value = m.group(1)
    return float(value) if "." in value else int(value)


def section2(
    text: str, quoted: set[int], previous: dict[str, Any] | None = None
) -> tuple[dict[str, Any] | None, list[str]]:
    """Section 二 of the 2021 format (None when its first caption is missing)."""
    start = find(label_pattern("第二十条第（一）项"), text)
    if start is None:
        return None, []
    notes: list[str] = []
    labels = [
        ("regulations", "规章"),
        ("normative_documents", "行政规范性文件"),
        ("licensing", "行政许可"),
        ("penalty", "行政处罚"),
        ("coercion", "行政强制"),
        ("fees", "行政事业性收费"),
    ]
    found: dict[str, str] = {}
    pos = start.end()
    located: list[tuple[str, re.Match[str]]] = []
    for key, label in labels:
        m = find(label_pattern(label), text, pos)
        if m is None:
            return None, ["表二缺少“" + label + "”一行"]
        located.append((key, m))
        pos = m.end()
    for i, (key, m) in enumerate(located):
        stop = located[i + 1][1].start() if i + 1 < len(located) else len(text)
        found[key] = leading_cells(text[m.end() : stop])
    prev = ((previous or {}).get("section2") or {}).get("art20_1") or {}
    triples: dict[str, dict[str, int]] = {}
    for key, label in labels[:2]:
        prev_in_force = (prev.get(key) or {}).get("in_force")
        triple = _triple(tokens_of(found[key]), label, quoted, prev_in_force, notes)
        if triple is None:
            return None, [f"表二“{label}”一行无法读出 3 个数"]
        triples[key] = triple
    singles = {k: _number(found[k]) for k in ("licensing", "penalty", "coercion")}
    fees = _number(found["fees"])
    if any(v is None for v in singles.values()) or fees is None:
        return None, ["表二第二十条第（五）（六）（八）项的数字无法读出"]
    return {
        "art20_1": triples,
        "art20_5": {"administrative_licensing_decisions": singles["licensing"]},
        "art20_6": {
            "administrative_penalty_decisions": singles["penalty"],
            "administrative_coercion_decisions": singles["coercion"],
        },
        "art20_8": {"administrative_fees_amount_wan_yuan": fees},
    }, notes


OLD_STATISTICS: Final[list[tuple[str, str]]] = [
    ("主动公开文件数", "条"),
    ("政府网站公开数", "条"),
    ("政府公报公开数", "条"),
    ("受理政府信息依申请公开总数", "条"),
    ("当面申请数", "条"),
    ("网上申请数", "条"),
    ("信函、传真申请数", "条"),
    ("对申请的答复总数", "条"),
    ("同意公开答复数", "条"),
    ("同意部分公开答复数", "条"),
    ("不予公开答复数", "条"),
    ("其他类型答复数", "条"),
    ("接受行政诉讼、举报数", "件"),
    ("行政复议数", "件"),
    ("行政诉讼数", "件"),
]


def _pair_rank(pair: tuple[int, ...], year_total: int | None) -> tuple[int, ...]:
    year, cumulative = pair
    return (
        int(year_total is not None and year == year_total),
        int(year <= cumulative),
        -abs(len(str(cumulative)) - len(str(year)) - 1),
    )


def old_statistics(
    text: str, year_total: int | None
) -> tuple[dict[str, dict[str, int]] | None, list[str]]:
    """The provincial 统计表 of pre-2019 reports: each row a year and a cumulative
    figure; ``year_total`` (the proactive total the prose quotes) settles the split."""
    start = find(label_pattern("主动公开文件数"), text)
    if start is None:
        return None, []
    located: list[tuple[str, re.Match[str]]] = []
    pos = start.start()
    for label, unit in OLD_STATISTICS:
        pattern = (
            rf"(?:(?:其中[：:])?{SEP}\d[、.]{SEP})?"
            + label_pattern(label)
            + rf"{SEP}(?:{unit}|计量单位)?"
        )
        m = find(pattern, text, pos)
        if m is None:
            continue
        located.append((label, m))
        pos = m.end()
    out: dict[str, dict[str, int]] = {}
    notes: list[str] = []
    for i, (label, m) in enumerate(located):
        stop = located[i + 1][1].start() if i + 1 < len(located) else len(text)
        tokens = tokens_of(leading_cells(text[m.end() : stop]))
        total = year_total if label in {"主动公开文件数", "政府网站公开数"} else None
        pairs = sorted(
            splits(tokens, 2), key=lambda p: _pair_rank(p, total), reverse=True
        )
        if not pairs:
            notes.append(f"统计表“{label}”一行无法读出年度数和累计数")
            continue
        out[label] = {"year": pairs[0][0], "cumulative": pairs[0][1]}
    return (out or None), notes
