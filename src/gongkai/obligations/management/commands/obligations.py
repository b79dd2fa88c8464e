from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit
from gongkai.accounts.selectors import site_unit
from gongkai.obligations import exporting
from gongkai.obligations.coverage import build_matrix
from gongkai.obligations.importing import ImportRejected, import_obligations
from gongkai.obligations.models import Obligation
from gongkai.obligations.reminders import send_reminders
from gongkai.workdays.selectors import work_calendar


def _unit(code: str | None) -> Unit:
    if code is None:
        found = site_unit()
        if found is None:
            raise CommandError("尚无单位；请先运行 gongkai demo 或创建单位")
        return found
    found = Unit.objects.filter(org_code=code).first()
    if found is None:
        raise CommandError(f"没有组织机构代码为“{code}”的单位")
    return found


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”不是 YYYY-MM-DD 格式") from None


class Command(BaseCommand):
    help = (
        "标准目录：import FILE 导入（CSV 或 XLSX）；"
        "export --format json|csv|xlsx 导出目录或落实情况；remind 发送到期与逾期提醒"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入标准目录")
        imp.add_argument("file", type=Path)
        imp.add_argument("--unit", help="目录所属单位的组织机构代码（默认门户单位）")
        imp.add_argument(
            "--update", action="store_true", help="更新一级、二级事项相同的已有事项"
        )
        exp = sub.add_parser("export", help="导出标准目录或落实情况")
        exp.add_argument("--format", choices=exporting.FORMATS, default="json")
        exp.add_argument("--what", choices=exporting.WHATS, default="catalogue")
        exp.add_argument(
            "--unit", help="单位的组织机构代码（默认门户单位及其下属单位）"
        )
        exp.add_argument("--year", type=int, help="年度（默认今年）")
        exp.add_argument("--output", type=Path, help="输出文件（默认标准输出）")
        rem = sub.add_parser("remind", help="发送定期事项即将到期与已逾期的提醒")
        rem.add_argument("--today", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **o: Any) -> None:
        if o["action"] == "import":
            self.import_file(o["file"], o["unit"], o["update"])
        elif o["action"] == "export":
            self.export(o["format"], o["what"], o["unit"], o["year"], o["output"])
        else:
            today = _date(o["today"]) if o["today"] else timezone.localdate()
            report = send_reminders(today)
            self.stdout.write(
                f"即将到期 {report.due_soon} 项，已逾期 {report.overdue} 项，"
                f"发出提醒 {report.notifications} 条。"
            )

    def import_file(self, path: Path, code: str | None, update: bool) -> None:
        unit = _unit(code)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from None
        try:
            result = import_obligations(
                actor=None,
                unit=unit,
                filename=path.name,
                content=content,
                update_existing=update,
            )
        except ImportRejected as exc:
            raise CommandError(
                "导入失败，未导入任何事项：\n" + "\n".join(exc.errors)
            ) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"{unit.name}：新增 {result.created} 项，更新 {result.updated} 项。"
        )

    def export(
        self,
        fmt: exporting.Format,
        what: exporting.What,
        code: str | None,
        year: int | None,
        output: Path | None,
    ) -> None:
        root = _unit(code)
        today = timezone.localdate()
        units = list(
            Unit.objects.filter(path__startswith=root.path, is_active=True).order_by(
                "path"
            )
        )
        obligations = list(
            Obligation.objects.filter(unit__in=units)
            .select_related("unit")
            .prefetch_related("named_units")
            .order_by("unit__path", "number", "id")
        )
        matrix = build_matrix(
            units=units,
            obligations=obligations,
            year=year or today.year,
            today=today,
            calendar=work_calendar(),
        )
        result = exporting.export(
            what=what,
            fmt=fmt,
            obligations=obligations,
            matrix=matrix,
            stem=f"obligations-{what}-{matrix.year}",
        )
        if output is not None:
            output.write_bytes(result.content)
            self.stdout.write(f"已导出到 {output}")
        elif fmt == "xlsx":
            raise CommandError("XLSX 请用 --output 指定输出文件")
        else:
            self.stdout.write(result.content.decode("utf-8-sig"), ending="")
