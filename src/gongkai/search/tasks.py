from __future__ import annotations

from django.conf import settings
from django.tasks import task

from gongkai.search.services import optimise_index


@task(queue_name=settings.GONGKAI_TASK_QUEUE)
def optimise_search_index() -> dict[str, int | float | None]:
    """Run daily (``gongkai schedule``): merge the segments that the day's
    publications and imports wrote, a short step at a time."""
    report = optimise_index()
    return {
        "segments_before": report.segments_before,
        "segments_after": report.segments_after,
        "steps": report.steps,
        "seconds": round(report.seconds, 1),
    }
