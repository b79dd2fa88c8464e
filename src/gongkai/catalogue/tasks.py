from __future__ import annotations

from django.conf import settings
from django.tasks import task

from gongkai.catalogue.outbox import run_outbox
from gongkai.catalogue.services.publishing import publish_due


@task(queue_name=settings.GONGKAI_TASK_QUEUE)
def deliver_and_publish() -> dict[str, int]:
    """Publish scheduled items that are due, then deliver the outbox."""
    published = publish_due()
    report = run_outbox()
    return {
        "published": published,
        "delivered": report.delivered,
        "retried": report.retried,
        "failed": report.failed,
    }
