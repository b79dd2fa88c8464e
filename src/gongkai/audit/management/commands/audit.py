from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.errors import ServiceError
from gongkai.audit.archive import archive_events
from gongkai.audit.verify import verify_archive, verify_chain


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链（--archive DIR 同时校验归档文件）；archive 归档超过保存期限的记录"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "archive"])
        parser.add_argument(
            "--archive",
            type=Path,
            metavar="DIR",
            help="verify：同时校验该目录中的归档文件",
        )
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help="archive：归档早于该天数的记录（默认取 GONGKAI_AUDIT_ARCHIVE_AFTER_DAYS，不少于 180）",
        )
        parser.add_argument(
            "--dir", type=Path, metavar="DIR", help="archive：归档文件目录"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="archive：只显示将归档的范围"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "archive":
            self._archive(options)
        else:
            self._verify(options["archive"])

    def _verify(self, directory: Path | None) -> None:
        report = verify_archive(directory) if directory else verify_chain()
        if not report.ok:
            raise CommandError(
                f"审计链校验失败：{report.problem}（已校验 {report.checked} 条，"
                f"首个异常记录：第 {report.first_bad_seq} 号）",
                returncode=1,
            )
        if directory:
            self.stdout.write(
                f"审计链完整：归档文件 {report.archived} 条、数据库 {report.checked} 条记录，"
                "哈希链校验通过。"
            )
        else:
            self.stdout.write(
                f"审计链完整：共 {report.checked} 条记录，哈希链校验通过。"
            )

    def _archive(self, options: dict[str, Any]) -> None:
        try:
            result = archive_events(
                days=options["older_than"],
                directory=options["dir"],
                dry_run=options["dry_run"],
            )
        except ServiceError as exc:
            raise CommandError(exc.message, returncode=2) from None
        plan = result.plan
        if plan is None:
            self.stdout.write("没有需要归档的审计记录。")
            return
        span = f"第 {plan.first_seq} 至 {plan.last_seq} 号，共 {plan.count} 条"
        if result.dry_run:
            self.stdout.write(
                f"将归档 {plan.cutoff:%Y-%m-%d} 之前的审计记录：{span}（试运行，未作改动）。"
            )
            return
        assert result.files is not None
        self.stdout.write(
            f"已归档审计记录：{span}；文件 {result.files.directory / result.files.file_name}，"
            f"SHA-256 {result.files.sha256}。"
        )
