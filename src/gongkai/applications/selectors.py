from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
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


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace()]
    return {a + b for a, b in pairwise(chars)}


def similar_applications(
    application: Application, *, days: int = 180
) -> list[tuple[Application, float]]:
    """The same applicant's other applications in a window, most similar first, to
    support a 重复申请 decision (第三十六条第（六）项)."""
    since = application.submitted_on - timedelta(days=days)
    same = Application.objects.filter(
        unit=application.unit, submitted_on__gte=since
    ).exclude(pk=application.pk)
    if application.org_code:
        same = same.filter(org_code=application.org_code)
    else:
        same = same.filter(
            applicant_name=application.applicant_name, phone=application.phone
        )
    mine = _bigrams(application.subject + application.description)
    scored = []
    for other in same.order_by("-submitted_on")[:50]:
        theirs = _bigrams(other.subject + other.description)
        score = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
        scored.append((other, round(score, 2)))
    return sorted(scored, key=lambda pair: -pair[1])


def monthly_counts(
    application: Application, *, months: int = 6
) -> list[tuple[str, int]]:
    """How many applications this applicant filed per natural month (for the 按件
    fee tiers and 第三十五条)."""
    qs = Application.objects.filter(unit=application.unit)
    if application.org_code:
        qs = qs.filter(org_code=application.org_code)
    else:
        qs = qs.filter(
            applicant_name=application.applicant_name, phone=application.phone
        )
    counts: dict[str, int] = {}
    for submitted in qs.values_list("submitted_on", flat=True):
        key = f"{submitted.year}-{submitted.month:02d}"
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items(), reverse=True)[:months]
