from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from gongkai.obligations.reminders import send_reminders


@task(queue_name=settings.GONGKAI_TASK_QUEUE)
def send_obligation_reminders() -> dict[str, int]:
    """Run daily (``gongkai obligations remind`` from cron, or a task worker)."""
    report = send_reminders(timezone.localdate())
    return {
        "due_soon": report.due_soon,
        "overdue": report.overdue,
        "notifications": report.notifications,
    }
