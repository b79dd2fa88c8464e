from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from gongkai.applications.models import OPEN_STATUSES, Application, EventKind

if TYPE_CHECKING:
    from gongkai.accounts.models import User


def applications_visible_to(user: User) -> QuerySet[Application]:
    if user.unit is None:
        return Application.objects.none()
    return Application.objects.filter(
        unit__path__startswith=user.unit.path
    ).select_related("unit", "handler")


def open_applications(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.filter(status__in=OPEN_STATUSES).order_by("due_on", "reference")


def open_consultations(application: Application) -> list[tuple[int, str, date]]:
    """(event id, party, started) of consultations without a recorded answer."""
    events = list(application.events.all())
    answered = {
        e.data.get("started_event")
        for e in events
        if e.kind == EventKind.CONSULTATION_ENDED
    }
    return [
        (e.pk, str(e.data.get("party", "")), e.on)
        for e in events
        if e.kind == EventKind.CONSULTATION_STARTED and e.pk not in answered
    ]


def by_query_code(code: str) -> Application | None:
    code = code.strip().upper().replace(" ", "")
    if len(code) == 16:
        code = "-".join(code[i : i + 4] for i in range(0, 16, 4))
    if len(code) != 19:
        return None
    return Application.objects.filter(query_code=code).select_related("unit").first()
