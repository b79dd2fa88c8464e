"""Operations endpoints: /healthz for load balancers and /metrics in the
Prometheus text format."""

from __future__ import annotations

import shutil
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gongkai.core.metrics import REGISTRY

MIN_FREE_BYTES = 512 * 1024 * 1024


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, the task backend is configured (and its
    broker, Redis for the RQ backend, answers) and the data folder has room; 503
    (with the failing check) otherwise. ``tasks`` names the backend and its queues."""
    checks: dict[str, str] = {}
    ok = True
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = f"ok ({(time.perf_counter() - started) * 1000:.1f} ms)"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
        ok = False
    tasks: dict[str, object] = {}
    try:
        from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

        task_backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        backend = type(task_backend).__name__
        queues = sorted(task_backend.queues)
        tasks = {"backend": backend, "queues": queues}
        _ping_queue(task_backend)
        checks["tasks"] = f"ok ({backend}, queue {', '.join(queues)})"
    except Exception as exc:
        checks["tasks"] = f"error: {type(exc).__name__}"
        ok = False
    free = shutil.disk_usage(settings.DATA_DIR).free
    checks["disk"] = (
        f"{'ok' if free >= MIN_FREE_BYTES else 'low'} ({free // (1024 * 1024)} MiB free)"
    )
    ok = ok and free >= MIN_FREE_BYTES
    return JsonResponse(
        {"status": "ok" if ok else "error", "checks": checks, "tasks": tasks},
        status=200 if ok else 503,
    )


def _ping_queue(backend: object) -> None:
    """A queue backend's broker must answer: publishing hands work to it."""
    if type(backend).__module__.startswith("django_tasks_rq"):
        import django_rq

        for queue in getattr(backend, "queues", ()):
            django_rq.get_connection(queue).ping()


def _allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "GONGKAI_METRICS_TOKEN", "")
    if token:
        return request.headers.get("Authorization", "") == f"Bearer {token}"
    return request.META.get("REMOTE_ADDR", "") in {"127.0.0.1", "::1"}


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Request counters and latency histogram of this process, plus figures read from
    the database (overdue applications, outbox depth). Loopback only unless
    ``GONGKAI_METRICS_TOKEN`` is set."""
    if not _allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    from gongkai.applications.models import OPEN_STATUSES, Application
    from gongkai.catalogue.models import Delivery, DeliveryStatus

    today = timezone.localdate()
    lines = REGISTRY.render()
    lines += [
        "# HELP gongkai_applications_open Open disclosure applications.",
        "# TYPE gongkai_applications_open gauge",
        f"gongkai_applications_open {Application.objects.filter(status__in=OPEN_STATUSES).count()}",
        "# HELP gongkai_applications_overdue Open applications past their due date.",
        "# TYPE gongkai_applications_overdue gauge",
        f"gongkai_applications_overdue {Application.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today).count()}",
        "# HELP gongkai_outbox_pending Channel deliveries waiting in the outbox.",
        "# TYPE gongkai_outbox_pending gauge",
        f"gongkai_outbox_pending {Delivery.objects.filter(status=DeliveryStatus.PENDING).count()}",
        "# HELP gongkai_outbox_failed Channel deliveries that gave up after retries.",
        "# TYPE gongkai_outbox_failed gauge",
        f"gongkai_outbox_failed {Delivery.objects.filter(status=DeliveryStatus.FAILED).count()}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; version=0.0.4; charset=utf-8"
    )
