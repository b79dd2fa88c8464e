"""The annual report as a Word document (python-docx): the national tables with
their merged cells, and the trend chart as a PNG."""

from __future__ import annotations

import io
from typing import Any

from gongkai.law import report_template as tpl
from gongkai.law.report_template import ReportFormat
from gongkai.reports import layout
from gongkai.reports.charts import trend_chart
from gongkai.reports.layout import Cell

FONT = "Noto Serif CJK SC"


def _grid(document: Any, rows: list[list[Cell]], width: int) -> None:
    """Place cells with row and column spans on a grid, as HTML would."""
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            target = table.cell(r, c)
            end = table.cell(r + cell.rowspan - 1, c + cell.colspan - 1)
            if end is not target:
                target = target.merge(end)
            target.text = cell.text
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan


def to_docx(report: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    document.add_heading(report["title"], level=1)
    fmt = ReportFormat(report["format"])
    narrative = report["narrative"]
    if fmt is ReportFormat.pre2019:
        document.add_heading("一、概述", level=2)
        document.add_paragraph(narrative["overview"])
        document.add_heading("二、主动公开及依申请公开情况统计", level=2)
        rows = [[Cell("指标"), Cell(f"{report['report_year']}年度")]] + [
            [Cell(label), Cell(value, head=False)]
            for label, value in layout.pre2019_rows(report)
        ]
        _grid(document, rows, 2)
        document.add_heading("三、存在的主要问题和改进措施", level=2)
        document.add_paragraph(narrative["problems"])
    else:
        document.add_heading(tpl.SECTION_HEADINGS[0], level=2)
        document.add_paragraph(narrative["overview"])
        document.add_picture(
            io.BytesIO(trend_chart(report["trend"], "png")), width=Cm(15)
        )
        document.add_heading(tpl.SECTION_HEADINGS[1], level=2)
        _grid(document, layout.table2(report), 4)
        document.add_heading(tpl.SECTION_HEADINGS[2], level=2)
        _grid(document, layout.table3_head() + layout.table3(report), 10)
        document.add_heading(tpl.SECTION_HEADINGS[3], level=2)
        _grid(document, [*layout.table4_head(), layout.table4(report)], 15)
        document.add_heading(tpl.SECTION_HEADINGS[4], level=2)
        document.add_paragraph(narrative["problems"])
        document.add_heading(tpl.SECTION_HEADINGS[5], level=2)
        document.add_paragraph(narrative["other"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
