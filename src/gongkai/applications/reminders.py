"""Daily reminders: applications due within 5 working days and overdue ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.accounts.selectors import holders_of
from gongkai.applications.models import OPEN_STATUSES, Application
from gongkai.core.notify import notify
from gongkai.workdays.selectors import work_calendar, workdays_left

DUE_SOON_WORKDAYS = 5


@dataclass(frozen=True)
class ReminderReport:
    due_soon: int
    overdue: int
    notifications: int


def send_reminders(today: date) -> ReminderReport:
    """Notify the handler (or every officer of the unit when none is assigned); for
    an overdue application also the unit's signers (the leaders)."""
    calendar = work_calendar()
    due_soon = overdue = sent = 0
    for app in Application.objects.filter(
        status__in=OPEN_STATUSES, due_on__isnull=False
    ).select_related("unit", "handler"):
        assert app.due_on is not None
        left = workdays_left(calendar, today, app.due_on)
        if left > DUE_SOON_WORKDAYS:
            continue
        level = "overdue" if left < 0 else "due_soon"
        recipients: list[User] = (
            [app.handler]
            if app.handler
            else list(holders_of(Role.DISCLOSURE_OFFICER, within=app.unit))
        )
        if level == "overdue":
            overdue += 1
            recipients += list(holders_of(Role.SIGNER, within=app.unit))
            text = f"申请 {app.reference}（{app.subject[:30]}）已超过答复期限 {app.due_on}，逾期 {-left} 个工作日"
        else:
            due_soon += 1
            text = f"申请 {app.reference}（{app.subject[:30]}）将于 {app.due_on} 到期，剩余 {left} 个工作日"
        url = reverse("console:application", args=[app.pk])
        for user in {u.pk: u for u in recipients}.values():
            if notify(
                user,
                key=f"application-{app.pk}-{level}-{today.isoformat()}",
                text=text,
                url=url,
            ):
                sent += 1
    return ReminderReport(due_soon, overdue, sent)
