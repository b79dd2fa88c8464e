"""The bridge between an application's recorded events and ``gongkai.law.clock``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from gongkai.applications.models import (
    OPEN_STATUSES,
    Application,
    ApplicationEvent,
    EventKind,
)
from gongkai.law.clock import (
    AgencySetDate,
    ClockEvent,
    Consultation,
    ConsultationKind,
    CorrectionReceived,
    CorrectionRequested,
    Deadline,
    Extension,
    FeeNotice,
    compute_deadline,
)
from gongkai.law.workcalendar import WorkCalendar
from gongkai.workdays.selectors import work_calendar

if TYPE_CHECKING:
    from gongkai.accounts.models import User


def clock_events(events: list[ApplicationEvent]) -> list[ClockEvent]:
    """Turn recorded steps into the law's clock events."""
    result: list[ClockEvent] = []
    ended = {
        e.data.get("started_event"): e.on
        for e in events
        if e.kind == EventKind.CONSULTATION_ENDED
    }
    paid = next((e.on for e in events if e.kind == EventKind.FEE_PAID), None)
    for e in events:
        match e.kind:
            case EventKind.CORRECTION_REQUESTED:
                result.append(CorrectionRequested(on=e.on))
            case EventKind.CORRECTION_RECEIVED:
                result.append(CorrectionReceived(on=e.on))
            case EventKind.CONSULTATION_STARTED:
                result.append(
                    Consultation(
                        kind=ConsultationKind(e.data["kind"]),
                        started_on=e.on,
                        ended_on=ended.get(e.pk),
                    )
                )
            case EventKind.EXTENDED:
                result.append(
                    Extension(
                        on=e.on,
                        workdays=int(e.data["workdays"]),
                        approved_by=str(e.data["approved_by"]),
                        reason=str(e.data["reason"]),
                    )
                )
            case EventKind.AGENCY_SET_DATE:
                result.append(
                    AgencySetDate(
                        on=e.on,
                        due_on=date.fromisoformat(e.data["due_on"]),
                        reason=e.data["reason"],
                    )
                )
            case EventKind.FEE_NOTICE:
                result.append(FeeNotice(issued_on=e.on, paid_on=paid))
    return result


def deadline_of(
    application: Application,
    *,
    extra: list[ApplicationEvent] | None = None,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline | None:
    """The application's deadline now (None before receipt is confirmed).

    ``extra`` holds unsaved events, so a service can check a new step against the
    law before it stores anything.
    """
    if application.received_on is None:
        return None
    events = list(application.events.all()) if application.pk else []
    events += extra or []
    replied_on = next((e.on for e in events if e.kind == EventKind.DECIDED), None)
    closing = next(
        (e.on for e in events if e.kind in {EventKind.WITHDRAWN, EventKind.CLOSED}),
        None,
    )
    return compute_deadline(
        received_on=application.received_on,
        events=clock_events(events),
        calendar=calendar or work_calendar(),
        today=today or timezone.localdate(),
        replied_on=replied_on or closing,
    )


def store_deadline(application: Application, deadline: Deadline | None) -> bool:
    """Save the computed due date on the row; True if it changed."""
    due = deadline.due_on if deadline else None
    provisional = deadline.provisional if deadline else False
    if (application.due_on, application.due_provisional) == (due, provisional):
        return False
    application.due_on = due
    application.due_provisional = provisional
    application.save(update_fields=["due_on", "due_provisional"])
    return True


def recompute_open_deadlines(reason: str, actor: User | None) -> int:
    """Recompute every open application's due date after the calendar changed;
    each moved date is recorded as an event with the reason. Returns how many moved."""
    calendar = work_calendar()
    moved = 0
    with transaction.atomic():
        for application in (
            Application.objects.select_for_update()
            .filter(status__in=OPEN_STATUSES, received_on__isnull=False)
            .prefetch_related("events")
        ):
            before = application.due_on
            if store_deadline(application, deadline_of(application, calendar=calendar)):
                moved += 1
                ApplicationEvent.objects.create(
                    application=application,
                    kind=EventKind.DEADLINE_RECOMPUTED,
                    on=timezone.localdate(),
                    actor=actor,
                    summary=f"答复期限由{before}调整为{application.due_on}（{reason}）",
                    data={
                        "before": str(before),
                        "after": str(application.due_on),
                        "reason": reason,
                    },
                    public=True,
                )
    return moved
