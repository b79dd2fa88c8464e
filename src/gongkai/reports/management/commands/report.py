from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit
from gongkai.law.errors import LawInputError
from gongkai.law.limits import ReportLevel
from gongkai.law.report_reader import (
    ReadReport,
    check_read_report,
    check_result,
    read_report,
)
from gongkai.law.report_template import parse_format
from gongkai.reports.compute import build_report, table_findings
from gongkai.reports.exports import write
from gongkai.reports.reading import UnreadableReport, read_text


class Command(BaseCommand):
    help = (
        "政府信息公开工作年度报告：build 由记录生成报告（HTML/DOCX/PDF/JSON/CSV）；"
        "check 检查已发布的报告（HTML、DOCX 或纯文本）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="由记录生成年度报告")
        build.add_argument("--unit", help="单位组织机构代码；不填表示全部单位汇总")
        build.add_argument("--year", type=int, required=True)
        build.add_argument("--format", dest="fmt", help="gb2021、gb2019 或 pre2019")
        build.add_argument(
            "--consolidated", action="store_true", help="汇总本单位及下属单位"
        )
        build.add_argument("--out", type=Path, required=True)
        check = sub.add_parser("check", help="检查已发布的年度报告")
        check.add_argument("file", type=Path)
        check.add_argument("--previous", type=Path, help="上一年度的报告")
        check.add_argument(
            "--level",
            choices=[level.value for level in ReportLevel],
            help="报告层级（默认由标题判断）",
        )
        check.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **o: Any) -> None:
        if o["action"] == "build":
            self.build(o)
        else:
            self.check_file(o)

    def build(self, o: dict[str, Any]) -> None:
        unit = None
        if o["unit"]:
            unit = Unit.objects.filter(org_code=o["unit"]).first()
            if unit is None:
                raise CommandError(f"找不到组织机构代码为“{o['unit']}”的单位")
        try:
            fmt = parse_format(o["fmt"]) if o["fmt"] else None
            if not 2008 <= o["year"] <= 2100:
                raise CommandError(f"年度须在2008—2100年之间，收到{o['year']}")
            report = build_report(
                unit=unit, year=o["year"], fmt=fmt, consolidated=o["consolidated"]
            )
            write(report, o["out"])
        except LawInputError as exc:
            raise CommandError(exc.message) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        except OSError as exc:
            raise CommandError(f"无法写入“{o['out']}”：{exc.strerror or exc}") from None
        findings = table_findings(report)
        for finding in findings:
            self.stderr.write(f"错误：{finding.message}")
        self.stdout.write(f"已生成 {report['title']}（{report['format']}）：{o['out']}")
        if findings:
            raise CommandError("报告表格未通过勾稽关系检查", returncode=1)

    def _read(self, path: Path, previous: dict[str, Any] | None = None) -> ReadReport:
        try:
            return read_report(read_text(path), previous)
        except UnreadableReport as exc:
            self.stderr.write(f"无法检查“{path}”：{exc.message}")
        except LawInputError as exc:
            self.stderr.write(f"无法检查“{path}”：{exc.message}")
        raise SystemExit(2)

    def check_file(self, o: dict[str, Any]) -> None:
        previous = self._read(o["previous"]) if o["previous"] else None
        report = self._read(o["file"], previous.to_dict() if previous else None)
        findings = check_read_report(report, previous, o["level"])
        result = check_result(report, findings)
        if o["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(
                f"{report.title or o['file']}：{report.year}年度，格式 {report.format}"
            )
            if result["section3"]:
                total = result["section3"]["rows"].get("new_received", [0])[-1]
                self.stdout.write(
                    f"表三：读出 {len(result['section3']['rows'])} 行，本年新收 {total} 件"
                )
            for message in result["errors"]:
                self.stdout.write(f"错误：{message}")
            for message in result["warnings"]:
                self.stdout.write(f"提示：{message}")
            self.stdout.write(
                f"共 {len(result['errors'])} 个错误、{len(result['warnings'])} 个提示。"
            )
        if result["errors"]:
            raise SystemExit(1)
