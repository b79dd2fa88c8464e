from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.catalogue.tasks import deliver_and_publish


class Command(BaseCommand):
    help = (
        "发布到期的定时信息，并向各渠道投递（--loop N：每 N 秒运行一次，作为常驻进程）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            result = deliver_and_publish.enqueue()
            value = result.return_value if result.is_finished else None
            if not result.is_finished:
                self.stdout.write(f"已加入任务队列 {deliver_and_publish.queue_name}。")
            elif value:
                self.stdout.write(
                    "定时发布 {published} 条；投递成功 {delivered}，待重试 {retried}，失败 {failed}。".format(
                        **value
                    )
                )
            if not options["loop"]:
                return
            time.sleep(options["loop"])
