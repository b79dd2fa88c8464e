"""Shared by the step services: the permission check, the audit row, and
``_step`` — check the transition, validate against the clock, save, audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.accounts.permissions import is_in_scope
from gongkai.accounts.roles import Role
from gongkai.applications.clock import deadline_of, store_deadline
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
)
from gongkai.applications.transitions import STEP_LABELS, can_take
from gongkai.audit.services import record_event
from gongkai.law.errors import LawInputError


def _check_officer(actor: User | None, unit: Unit) -> None:
    if actor is None:
        return
    if not (
        actor.is_active
        and actor.has_role(Role.DISCLOSURE_OFFICER)
        and is_in_scope(actor, unit)
    ):
        raise ServiceError("只有本单位政府信息公开工作机构的工作人员可以办理申请")


def _audit(
    actor: User | None, application: Application, action: str, summary: str, **data: Any
) -> None:
    record_event(
        actor=actor,
        action=f"applications.{action}",
        summary=f"{application.reference}：{summary}",
        obj=application,
        unit=application.unit,
        data=data,
    )


def _step(
    *,
    actor: User | None,
    application: Application,
    step: str,
    kind: str,
    on: date,
    summary: str,
    data: dict[str, Any] | None = None,
    public: bool = True,
    today: date | None = None,
    guard: Callable[[Application], None] | None = None,
    **changes: Any,
) -> ApplicationEvent:
    """Check, record and audit one step; recompute the deadline; all or nothing.
    ``guard`` checks the rules that depend on earlier steps (only one extension, one
    fee notice …) on the locked application, so two officers acting at once cannot
    both pass them."""
    _check_officer(actor, application.unit)
    today = today or timezone.localdate()
    if on > today:
        raise ServiceError("日期不能晚于今天", field="on")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not can_take(locked.status, step):
            raise ServiceError(
                f"申请当前状态为“{locked.get_status_display()}”，不能{STEP_LABELS[step]}"
                "（可能已由他人办理，请刷新后查看）"
            )
        if guard is not None:
            guard(locked)
        for key, value in changes.items():
            setattr(locked, key, value)
        event = ApplicationEvent(
            application=locked,
            kind=kind,
            on=on,
            actor=actor,
            summary=summary,
            data=data or {},
            public=public,
        )
        try:
            deadline = deadline_of(locked, extra=[event], today=today)
        except LawInputError as exc:
            raise ServiceError(exc.message, field=exc.field) from None
        if changes:
            locked.save(update_fields=list(changes))
        event.save()
        store_deadline(locked, deadline)
        _audit(actor, locked, step, summary, **(data or {}))
    application.refresh_from_db()
    return event


def no_event_yet(kind: str, message: str, **data: Any) -> Callable[[Application], None]:
    """A guard for ``_step``: refuse if the application already has such an event."""

    def check(application: Application) -> None:
        events = application.events.filter(kind=kind)
        for key, value in data.items():
            events = events.filter(**{f"data__{key}": value})
        if events.exists():
            raise ServiceError(message)

    return check
