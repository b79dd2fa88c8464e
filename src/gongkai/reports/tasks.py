from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from gongkai.reports.drafting import send_report_reminders


@task(queue_name=settings.GONGKAI_TASK_QUEUE)
def send_annual_report_reminders() -> dict[str, int]:
    """Run daily (``gongkai remind``, or ``gongkai schedule`` on a task worker):
    offices whose annual report is due within 10 days and not yet published."""
    return {"notifications": send_report_reminders(timezone.localdate())}
