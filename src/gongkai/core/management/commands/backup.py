from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库与上传文件到一个空目录（含校验和清单）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["directory"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"备份完成：{options['directory']}（{manifest.vendor}，{len(manifest.files) - 1} 个文件，"
            f"{sum(manifest.counts.values())} 条主要记录）"
        )
