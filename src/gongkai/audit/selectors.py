from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from gongkai.audit.models import AuditEvent

if TYPE_CHECKING:
    from gongkai.accounts.models import User


def events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """The audit administrator sees the events of their unit and the units below it;
    at the top of the tree also the events that belong to no unit (failed logins)."""
    unit = user.unit
    qs = AuditEvent.objects.select_related("actor", "unit")
    if unit is None:
        return qs.none()
    scope = Q(unit__path__startswith=unit.path)
    if unit.parent_id is None:
        scope |= Q(unit__isnull=True)
    return qs.filter(scope)


def filter_events(
    qs: QuerySet[AuditEvent],
    *,
    action: str = "",
    actor: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(occurred_at__date__gte=since)
    if until:
        qs = qs.filter(occurred_at__date__lte=until)
    return qs
