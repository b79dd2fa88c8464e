"""``gongkai search rebuild`` recomputes the index from the items;
``gongkai search optimize`` merges its segments; ``gongkai search status``
compares it with the public items."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.search.services import (
    index_status,
    optimise_index,
    rebuild_index,
)

# More segments than this and ``status`` suggests ``optimize``.
SEGMENTS_ADVISED = 8


class Command(BaseCommand):
    help = (
        "全文检索：rebuild 重建索引；optimize 合并索引段（检索更快，期间可照常发布）；"
        "status 查看索引状态"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "optimize", "status"])
        parser.add_argument(
            "--batch-size", type=int, default=500, help="每批处理的信息条数"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            report = rebuild_index(batch_size=max(1, options["batch_size"]))
            self.stdout.write(
                f"已重建检索索引：{report.indexed} 条公开信息，"
                f"移除 {report.removed} 条已不公开的检索文档。"
            )
        if options["action"] == "optimize":
            self.stdout.write(optimise_index().line())
        status = index_status()
        segments = "" if status.segments is None else f"，索引段 {status.segments} 个"
        self.stdout.write(
            f"检索文档 {status.documents} 条，公开信息 {status.public_items} 条，"
            f"后端 {status.backend}，待清理的旧索引行 {status.stale_rows} 条{segments}。"
        )
        if status.segments is not None and status.segments > SEGMENTS_ADVISED:
            self.stdout.write(
                "索引段较多，检索会变慢：请运行 gongkai search optimize"
                "（调度器每天也会合并一次）"
            )
        if status.documents != status.public_items:
            self.stdout.write(
                self.style.WARNING(
                    "检索文档与公开信息数量不一致，请运行 gongkai search rebuild"
                )
            )
