from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.audit.verify import verify_chain


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"审计链校验失败：{report.problem}（已校验 {report.checked} 条，"
                f"首个异常记录：第 {report.first_bad_seq} 号）",
                returncode=1,
            )
        self.stdout.write(f"审计链完整：共 {report.checked} 条记录，哈希链校验通过。")
