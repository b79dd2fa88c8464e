from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.audit.verify import verify_chain
from gongkai.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份目录恢复到空实例，并校验文件、记录数和审计哈希链"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["directory"])
        except BackupError as exc:
            raise CommandError(f"恢复失败：{exc}") from None
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"已恢复，但审计链校验失败：{report.problem}", returncode=1
            )
        self.stdout.write(
            f"恢复完成：{sum(manifest.counts.values())} 条主要记录，{len(manifest.files)} 个文件校验通过，"
            f"审计链完整（{report.checked} 条）。"
        )
