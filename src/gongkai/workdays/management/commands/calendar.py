from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.errors import ServiceError
from gongkai.law.arrangement import provisional_arrangement
from gongkai.law.errors import LawInputError
from gongkai.workdays.importing import ArrangementFileError, parse_file
from gongkai.workdays.selectors import stored_arrangement
from gongkai.workdays.services import CalendarConflict, enter_year_arrangement


class Command(BaseCommand):
    help = "工作日历：show YEAR 查看某年放假安排；import FILE 导入某年放假安排（CSV 或 JSON）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="查看某年放假安排")
        show.add_argument("year", type=int)
        imp = sub.add_parser("import", help="导入某年放假安排")
        imp.add_argument("file", type=Path)
        imp.add_argument("--source", help="放假通知文号（CSV 文件必填）")
        imp.add_argument(
            "--reason", default="录入国务院办公厅放假安排通知", help="录入或修改的原因"
        )
        imp.add_argument(
            "--confirm", action="store_true", help="该年已有不同数据时，确认修改"
        )

    def handle(self, *args: Any, **o: Any) -> None:
        if o["action"] == "show":
            self.show(o["year"])
        else:
            self.import_file(o["file"], o["source"], o["reason"], o["confirm"])

    def show(self, year: int) -> None:
        arrangement = stored_arrangement(year)
        if arrangement is None:
            try:
                arrangement = provisional_arrangement(year)
            except LawInputError as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(
                f"{year}年：尚未录入放假安排，以下为暂定推算（{arrangement.source}），据此计算的期限均标为“暂定”。"
            )
        else:
            self.stdout.write(f"{year}年放假安排（来源：{arrangement.source}）")
        self.stdout.write("放假：")
        for day, name in sorted(arrangement.holidays.items()):
            self.stdout.write(f"  {day}（{'一二三四五六日'[day.weekday()]}）{name}")
        self.stdout.write("调休上班：" + ("" if arrangement.makeup_workdays else "无"))
        for day, name in sorted(arrangement.makeup_workdays.items()):
            self.stdout.write(f"  {day}（{'一二三四五六日'[day.weekday()]}）{name}")

    def import_file(
        self, path: Path, source: str | None, reason: str, confirm: bool
    ) -> None:
        try:
            arrangement = parse_file(path, source=source)
            result = enter_year_arrangement(
                actor=None, arrangement=arrangement, reason=reason, confirm=confirm
            )
        except ArrangementFileError as exc:
            raise CommandError(f"文件有误，未作任何修改：{exc}") from None
        except CalendarConflict as exc:
            raise CommandError(
                exc.message + "\n未作任何修改；确认无误后加 --confirm 重新运行。"
            ) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        if not result.created and not result.changes:
            self.stdout.write(f"{result.year}年放假安排与已有数据相同，未作修改。")
            return
        verb = "已录入" if result.created else "已修改"
        self.stdout.write(
            f"{verb}{result.year}年放假安排：{len(arrangement.holidays)} 个放假日，"
            f"{len(arrangement.makeup_workdays)} 个调休上班日；重新计算了 {result.deadlines_moved} 个未结期限。"
        )
