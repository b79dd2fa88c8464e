from __future__ import annotations

import signal
import threading
import time
from datetime import time as clock_time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.core.scheduling import Schedule, daily_tasks, enqueue, outbox_tasks


def _time_of_day(value: str) -> clock_time:
    try:
        return clock_time.fromisoformat(value)
    except ValueError:
        raise CommandError(f"时间格式应为 HH:MM：{value}") from None


class Command(BaseCommand):
    help = (
        "定时把任务放入任务队列（代替 cron）：每 N 秒投递一次发件箱（定时发布与渠道投递），"
        "每天在指定时间发送申请、标准目录和年度报告提醒并合并检索索引段；"
        "--once 立即各放入一次后退出。每个部署只运行一个。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--outbox-every",
            type=float,
            default=60.0,
            metavar="SECONDS",
            help="发件箱任务的间隔秒数（默认 60）",
        )
        parser.add_argument(
            "--daily-at",
            default="07:30",
            metavar="HH:MM",
            help="每日提醒的时间（本地时间，默认 07:30）",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="发件箱任务和每日提醒任务各放入队列一次，然后退出",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        daily_at = _time_of_day(options["daily_at"])
        if options["once"]:
            for task in outbox_tasks() + daily_tasks():
                self.stdout.write(enqueue(task))
            return
        if options["outbox_every"] <= 0:
            raise CommandError("--outbox-every 必须大于 0")
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        schedule = Schedule(outbox_every=options["outbox_every"], daily_at=daily_at)
        self.stdout.write(
            f"调度已启动：发件箱每 {options['outbox_every']:g} 秒，每日提醒于 {daily_at:%H:%M}"
        )
        self.stdout.flush()
        while not stop.is_set():
            now = timezone.localtime()
            for task in schedule.due(time.monotonic(), now):
                self.stdout.write(f"{now:%Y-%m-%d %H:%M:%S} {enqueue(task)}")
                self.stdout.flush()
            stop.wait(schedule.seconds_to_next(time.monotonic(), timezone.localtime()))
        self.stdout.write("调度已停止。")
