from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.applications.importing import RegisterRejected, import_register


class Command(BaseCommand):
    help = "依申请公开：import FILE 导入历史登记簿（CSV、XLSX 或 JSONL，每行一件申请）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入历史依申请公开登记簿")
        imp.add_argument("file", type=Path)

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            result = import_register(actor=None, path=o["file"])
        except RegisterRejected as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"登记簿有 {len(exc.problems)} 处问题，未导入任何数据。"
            ) from None
        self.stdout.write(
            f"已导入 {result.applications} 件申请、{result.appeals} 件复议或诉讼。"
        )
