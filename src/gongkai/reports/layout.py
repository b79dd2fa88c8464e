"""The national table layout (国办公开办函〔2021〕30号 附件) as rows of cells, shared
by the HTML/PDF template and the DOCX writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.law import report_template as tpl
from gongkai.law.report_template import ReportFormat


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    head: bool = True


def _num(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def table2(report: dict[str, Any]) -> list[list[Cell]]:
    s2 = report["section2"]
    docs = s2["art20_1"]

    def caption(text: str) -> list[Cell]:
        return [Cell(text, colspan=4)]

    rows: list[list[Cell]] = [
        caption("第二十条第（一）项"),
        [
            Cell("信息内容"),
            Cell("本年制发件数"),
            Cell("本年废止件数"),
            Cell("现行有效件数"),
        ],
    ]
    for key, label in (
        ("regulations", "规章"),
        ("normative_documents", "行政规范性文件"),
    ):
        d = docs[key]
        rows.append(
            [Cell(label)]
            + [Cell(_num(d[k]), head=False) for k in ("issued", "repealed", "in_force")]
        )
    rows += [
        caption("第二十条第（五）项"),
        [Cell("信息内容"), Cell("本年处理决定数量", colspan=3)],
        [
            Cell("行政许可"),
            Cell(
                _num(s2["art20_5"]["administrative_licensing_decisions"]),
                colspan=3,
                head=False,
            ),
        ],
        caption("第二十条第（六）项"),
        [Cell("信息内容"), Cell("本年处理决定数量", colspan=3)],
    ]
    for key, label in (
        ("administrative_penalty_decisions", "行政处罚"),
        ("administrative_coercion_decisions", "行政强制"),
    ):
        rows.append(
            [Cell(label), Cell(_num(s2["art20_6"][key]), colspan=3, head=False)]
        )
    rows += [
        caption("第二十条第（八）项"),
        [Cell("信息内容"), Cell("本年收费金额（单位：万元）", colspan=3)],
        [
            Cell("行政事业性收费"),
            Cell(
                _num(s2["art20_8"]["administrative_fees_amount_wan_yuan"]),
                colspan=3,
                head=False,
            ),
        ],
    ]
    return rows


def table3_head() -> list[list[Cell]]:
    return [
        [Cell(tpl.TABLE3_NOTE, rowspan=3, colspan=3), Cell("申请人情况", colspan=7)],
        [
            Cell("自然人", rowspan=2),
            Cell("法人或其他组织", colspan=5),
            Cell("总计", rowspan=2),
        ],
        [Cell(tpl.COLUMN_LABELS[c]) for c in tpl.ORG_COLUMNS],
    ]


def table3(report: dict[str, Any]) -> list[list[Cell]]:
    fmt = ReportFormat(report["format"])
    rows_data = report["section3"]["rows"]
    layout = tpl.rows_of(fmt)
    results = tpl.result_rows(fmt)
    group_sizes: dict[str, int] = {}
    for row in layout:
        if row.group:
            group_sizes[row.group] = group_sizes.get(row.group, 0) + 1
    out: list[list[Cell]] = []
    seen_groups: set[str] = set()
    for row in layout:
        heads: list[Cell] = []
        if row.key in {"new_received", "carried_over", "carried_forward"}:
            heads.append(Cell(row.label, colspan=3))
        else:
            if row.key == results[0]:
                heads.append(Cell(tpl.RESULT_HEADING, rowspan=len(results) + 1))
            if row.group:
                if row.group not in seen_groups:
                    heads.append(Cell(row.group, rowspan=group_sizes[row.group]))
                    seen_groups.add(row.group)
                heads.append(Cell(row.label))
            else:
                heads.append(Cell(row.label, colspan=2))
        out.append(heads + [Cell(str(v), head=False) for v in rows_data[row.key]])
    return out


def table4_head() -> list[list[Cell]]:
    res = [tpl.APPEAL_FIELD_LABELS[f] for f in tpl.APPEAL_FIELDS]
    return [
        [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
        [Cell(r, rowspan=2) for r in res]
        + [Cell("未经复议直接起诉", colspan=5), Cell("复议后起诉", colspan=5)],
        [Cell(r) for r in res] * 2,
    ]


def table4(report: dict[str, Any]) -> list[Cell]:
    s4 = report["section4"]
    return [
        Cell(str(s4[g][f]), head=False)
        for g in tpl.APPEAL_GROUPS
        for f in tpl.APPEAL_FIELDS
    ]


def pre2019_rows(report: dict[str, Any]) -> list[tuple[str, str]]:
    figures = report["pre2019"]
    return [(label, _num(figures[key])) for key, label in tpl.PRE2019_FIGURES.items()]
