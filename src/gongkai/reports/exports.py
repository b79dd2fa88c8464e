"""Exports of an annual report: HTML (the national table layout), DOCX, PDF
(Chinese fonts embedded by WeasyPrint), JSON (the SCHEMA.md shape) and CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from gongkai.accounts.errors import ServiceError
from gongkai.law import report_template as tpl
from gongkai.law.report_template import ReportFormat
from gongkai.reports import layout
from gongkai.reports.charts import trend_chart

FORMATS = ("html", "docx", "pdf", "json", "csv")


def context(report: dict[str, Any], *, chart: bool = True) -> dict[str, Any]:
    fmt = ReportFormat(report["format"])
    ctx: dict[str, Any] = {
        "report": report,
        "format_label": tpl.FORMAT_LABELS[fmt],
    }
    if fmt is ReportFormat.pre2019:
        ctx["pre2019_rows"] = layout.pre2019_rows(report)
        return ctx
    ctx |= {
        "table2": layout.table2(report),
        "table3_head": layout.table3_head(),
        "table3": layout.table3(report),
        "table4_head": layout.table4_head(),
        "table4": layout.table4(report),
        "chart_svg": trend_chart(report["trend"], "svg").decode() if chart else "",
    }
    svg = ctx["chart_svg"]
    if svg.startswith("<?xml"):
        ctx["chart_svg"] = svg[svg.index("<svg") :]
    return ctx


def to_html(report: dict[str, Any]) -> str:
    return render_to_string("reports/report.html", context(report))


def to_pdf(report: dict[str, Any]) -> bytes:
    import logging

    from gongkai.core.pdf import render_pdf

    # WeasyPrint reads the chart's SVG presentation attributes but logs each CSS
    # property of its inline styles as unknown; those warnings are noise here.
    log = logging.getLogger("weasyprint")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        return render_pdf("reports/report.html", context(report))
    finally:
        log.setLevel(level)


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1)


def to_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["部分", "项目", "标签", "数值"])
    if report["format"] == "pre2019":
        for key, label in tpl.PRE2019_FIGURES.items():
            writer.writerow(["pre2019", key, label, report["pre2019"][key]])
        return out.getvalue()
    s2 = report["section2"]
    for key, label in (
        ("regulations", "规章"),
        ("normative_documents", "行政规范性文件"),
    ):
        for field, flabel in (
            ("issued", "本年制发件数"),
            ("repealed", "本年废止件数"),
            ("in_force", "现行有效件数"),
        ):
            writer.writerow(
                [
                    "section2",
                    f"{key}.{field}",
                    f"{label}{flabel}",
                    s2["art20_1"][key][field],
                ]
            )
    for part in ("art20_5", "art20_6", "art20_8"):
        for key, value in s2[part].items():
            writer.writerow(["section2", key, tpl.EXTERNAL_FIGURES[key], value])
    writer.writerow([])
    writer.writerow(
        ["section3", "行", "标签", *(tpl.COLUMN_LABELS[c] for c in tpl.COLUMNS)]
    )
    for key in report["section3"]["row_order"]:
        writer.writerow(
            ["section3", key, tpl.ROW_LABELS[key], *report["section3"]["rows"][key]]
        )
    writer.writerow([])
    for group in tpl.APPEAL_GROUPS:
        for field in tpl.APPEAL_FIELDS:
            writer.writerow(
                [
                    "section4",
                    f"{group}.{field}",
                    f"{tpl.APPEAL_GROUP_LABELS[group]}{tpl.APPEAL_FIELD_LABELS[field]}",
                    report["section4"][group][field],
                ]
            )
    writer.writerow(
        [
            "section6",
            "collected_yuan",
            "收取信息处理费（元）",
            report["fees"]["collected_yuan"],
        ]
    )
    return out.getvalue()


def write(report: dict[str, Any], path: Path) -> None:
    """Write ``report`` in the format the file name asks for."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ServiceError(
            f"不支持的输出格式“{path.suffix or '（无扩展名）'}”，应为 .html、.docx、.pdf、.json 或 .csv"
        )
    if suffix == "docx":
        from gongkai.reports.docx_export import to_docx

        path.write_bytes(to_docx(report))
    elif suffix == "pdf":
        path.write_bytes(to_pdf(report))
    elif suffix == "html":
        path.write_text(to_html(report), encoding="utf-8")
    elif suffix == "json":
        path.write_text(to_json(report), encoding="utf-8")
    else:
        path.write_text(to_csv(report), encoding="utf-8-sig")
