from __future__ import annotations

from django.conf import settings
from django.tasks import task

from gongkai.audit.archive import archive_events


@task(queue_name=settings.GONGKAI_TASK_QUEUE)
def archive_audit_events() -> dict[str, int | str]:
    """Archive audit events older than ``GONGKAI_AUDIT_ARCHIVE_AFTER_DAYS`` into
    ``GONGKAI_AUDIT_ARCHIVE_DIR`` (run monthly from cron or a task worker)."""
    result = archive_events()
    if result.plan is None or result.files is None:
        return {"archived": 0}
    return {
        "archived": result.plan.count,
        "first_seq": result.plan.first_seq,
        "last_seq": result.plan.last_seq,
        "file": result.files.file_name,
        "sha256": result.files.sha256,
    }
