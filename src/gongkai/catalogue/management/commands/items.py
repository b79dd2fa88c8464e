"""``gongkai items import FILE`` (JSONL or CSV of legacy items), ``import-crawl
DIR`` (a crawl of an old site), ``export DIR`` and ``import-export DIR``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.catalogue.exporting import export_items
from gongkai.catalogue.importing.crawl import read_crawl
from gongkai.catalogue.importing.report import ImportReport
from gongkai.catalogue.importing.restore import is_export, restore_export
from gongkai.catalogue.importing.service import import_rows
from gongkai.catalogue.importing.sources import ImportFileError, read_rows
from gongkai.catalogue.models import Kind
from gongkai.search.services import BULK_ITEMS, optimise_index


class Command(BaseCommand):
    help = "主动公开信息的导入与导出：import、import-crawl、export、import-export"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rows = sub.add_parser("import", help="导入 JSONL 或 CSV 文件中的原有信息")
        rows.add_argument("file", type=Path)
        rows.add_argument("--encoding", default="utf-8", help="文件编码，默认 UTF-8")
        rows.add_argument(
            "--create-units", action="store_true", help="新建不存在的单位"
        )
        crawl = sub.add_parser("import-crawl", help="导入旧网站的抓取结果")
        crawl.add_argument("directory", type=Path)
        for p in (rows, crawl):
            p.add_argument("--unit", help="发布单位名称（行中未写发布机构时使用）")
            p.add_argument(
                "--kind", default="other", help="默认信息类别（slug 或名称）"
            )
            p.add_argument(
                "--create-columns", action="store_true", help="新建不存在的栏目"
            )
            p.add_argument("--report", type=Path, help="把导入报告另存为 JSON 文件")
            p.add_argument("--user", help="以该用户（公开办工作人员）名义导入")
        export = sub.add_parser("export", help="导出全部信息到目录")
        export.add_argument("directory", type=Path)
        restore = sub.add_parser("import-export", help="把导出目录导入到没有信息的实例")
        restore.add_argument("directory", type=Path)
        restore.add_argument("--report", type=Path)
        restore.add_argument("--user")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "export":
                self._export(options["directory"])
                return
            actor = self._user(options.get("user"))
            if action == "import-export" or (
                action == "import" and is_export(options["file"])
            ):
                target = options.get("directory") or options["file"]
                report = restore_export(actor=actor, directory=target)
            elif action == "import":
                report = import_rows(
                    actor=actor,
                    rows=read_rows(options["file"], encoding=options["encoding"]),
                    source=options["file"].name,
                    format="csv"
                    if options["file"].suffix.lower() == ".csv"
                    else "jsonl",
                    default_unit=self._unit(options.get("unit")),
                    default_kind=self._kind(options["kind"]),
                    create_units=options["create_units"],
                    create_columns=options["create_columns"],
                )
            else:
                report = self._crawl(actor, options)
        except ImportFileError as exc:
            raise CommandError(exc.message) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self._print(report, options.get("report"))
        if report.imported >= BULK_ITEMS:
            # A large import leaves the search index in many segments.
            self.stdout.write(optimise_index().line())

    def _crawl(self, actor: User | None, options: dict[str, Any]) -> ImportReport:
        directory: Path = options["directory"]
        if not directory.is_dir():
            raise CommandError(f"目录 {directory} 不存在")
        unit = self._unit(options.get("unit"))
        if unit is None:
            raise CommandError(
                "请用 --unit 指定发布单位（旧网站的发布机构标注往往不可靠）"
            )
        return import_rows(
            actor=actor,
            rows=read_crawl(directory),
            source=directory.name,
            format="crawl",
            default_unit=unit,
            default_kind=self._kind(options["kind"]),
            create_columns=options["create_columns"],
        )

    def _export(self, directory: Path) -> None:
        try:
            summary = export_items(directory)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"已导出 {summary.items} 条信息、{summary.revisions} 个版本、"
            f"{summary.attachments} 个附件（{summary.files} 个文件）到 {directory}。"
        )
        for name in summary.missing_files:
            self.stderr.write(f"附件文件缺失，未能导出：{name}")

    def _print(self, report: ImportReport, path: Path | None) -> None:
        if path is not None:  # first, so that the report survives a closed pipe
            path.write_text(
                json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
        for line in report.lines():
            self.stdout.write(line)
        if path is not None:
            self.stdout.write(f"导入报告已保存：{path}")

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在")
        return user

    def _unit(self, name: str | None) -> Unit | None:
        if not name:
            return None
        unit = Unit.objects.filter(name=name).first()
        if unit is None:
            raise CommandError(f"单位“{name}”不存在")
        return unit

    def _kind(self, value: str) -> Kind:
        kind = (
            Kind.objects.filter(slug=value).first()
            or Kind.objects.filter(name=value).first()
        )
        if kind is None:
            raise CommandError(f"信息类别“{value}”不存在")
        return kind
