"""The periodic enqueuer behind ``gongkai schedule``, for deployments without cron.

Every ``outbox_every`` seconds it enqueues the outbox task (scheduled publication
and channel deliveries, including retries after back-off); once a day, at
``daily_at`` local time, the reminder tasks and the merging of the search
index's segments. The tasks run wherever the task
backend runs them: on the RQ worker in the production profile, in this process
with the immediate backend.

A scheduler started after the day's time enqueues that day's reminders at once:
reminders are keyed by day (one notification per application, level and day), so
a restarted scheduler does not repeat them. Run one scheduler per deployment."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.tasks import Task, TaskResultStatus

logger = logging.getLogger(__name__)


def outbox_tasks() -> list[Task[Any, Any]]:
    from gongkai.catalogue.tasks import deliver_and_publish

    return [deliver_and_publish]


def daily_tasks() -> list[Task[Any, Any]]:
    from gongkai.applications.tasks import send_application_reminders
    from gongkai.obligations.tasks import send_obligation_reminders
    from gongkai.reports.tasks import send_annual_report_reminders
    from gongkai.search.tasks import optimise_search_index

    return [
        send_application_reminders,
        send_obligation_reminders,
        send_annual_report_reminders,
        optimise_search_index,
    ]


@dataclass
class Schedule:
    """Which tasks are due at a moment; ``clock`` is monotonic seconds, ``now``
    the local wall time (the daily run follows the calendar, not the interval)."""

    outbox_every: float
    daily_at: time
    next_outbox: float | None = None
    last_daily: date | None = None

    def due(self, clock: float, now: datetime) -> list[Task[Any, Any]]:
        tasks: list[Task[Any, Any]] = []
        if self.next_outbox is None or clock >= self.next_outbox:
            tasks += outbox_tasks()
            self.next_outbox = clock + self.outbox_every
        if self.last_daily != now.date() and now.time() >= self.daily_at:
            tasks += daily_tasks()
            self.last_daily = now.date()
        return tasks

    def seconds_to_next(self, clock: float, now: datetime) -> float:
        """How long to sleep: until the next outbox round or the daily time,
        whichever comes first (at most a minute, so a changed clock is noticed)."""
        wait = 60.0
        if self.next_outbox is not None:
            wait = min(wait, self.next_outbox - clock)
        if self.last_daily != now.date():
            target = datetime.combine(now.date(), self.daily_at, tzinfo=now.tzinfo)
            if target > now:
                wait = min(wait, (target - now).total_seconds())
        return max(wait, 0.0)


def enqueue(task: Task[Any, Any]) -> str:
    """Enqueue one task; returns a line for the log (Chinese, for the operator)."""
    name = task.name
    try:
        result = task.enqueue()
    except Exception as exc:
        # Redis away for a moment: the next round tries again.
        logger.exception("could not enqueue %s", name)
        return f"{name}：加入队列失败（{type(exc).__name__}: {exc}），下一轮重试"
    if result.status == TaskResultStatus.FAILED:
        return f"{name}：运行失败（{result.errors[-1].exception_class_path}）"
    if result.is_finished:
        return f"{name}：已运行 {result.return_value}"
    return f"{name}：已加入队列 {task.queue_name}（{result.id}）"
