"""Reminders of recurring obligations: to the responsible unit before the date
(within ``RECURRING_DUE_SOON_WORKDAYS``) and once it has passed without an item.
Each reminder is sent once per unit, period and state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse

from gongkai.accounts.models import Unit, User
from gongkai.accounts.roles import Role
from gongkai.audit.services import record_event
from gongkai.core.notify import notify
from gongkai.law import obligations as rules
from gongkai.law.obligations import CoverageStatus
from gongkai.obligations.coverage import build_matrix
from gongkai.obligations.models import Mode, Obligation
from gongkai.obligations.selectors import responsible_units
from gongkai.workdays.selectors import work_calendar


@dataclass(frozen=True)
class ReminderReport:
    due_soon: int
    overdue: int
    notifications: int


def _holders(unit: Unit, role: str) -> list[User]:
    return list(User.objects.filter(unit=unit, is_active=True, roles__role=role))


def recipients(unit: Unit, owner: Unit, *, overdue: bool) -> list[User]:
    """The unit's disclosure office, else its authors, else the office keeping the
    catalogue; for an overdue obligation also the unit's signers (its leaders)."""
    people = (
        _holders(unit, Role.DISCLOSURE_OFFICER)
        or _holders(unit, Role.AUTHOR)
        or _holders(owner, Role.DISCLOSURE_OFFICER)
    )
    if overdue:
        people += _holders(unit, Role.SIGNER)
    return list({u.pk: u for u in people}.values())


def send_reminders(today: date) -> ReminderReport:
    """Run daily. Looks at this year's and last year's periods, so a date passed
    at the turn of the year is still reported."""
    calendar = work_calendar()
    due_soon = overdue = sent = 0
    obligations = (
        Obligation.objects.filter(mode=Mode.PROACTIVE)
        .select_related("unit")
        .prefetch_related("named_units")
    )
    with transaction.atomic():
        for obligation in obligations:
            if not rules.parse_time_rule(obligation.time_rule).is_recurring:
                continue
            owner = obligation.unit
            units = responsible_units(
                obligation, Unit.objects.filter(path__startswith=owner.path)
            )
            url = reverse("console:obligation", args=[obligation.pk])
            for year in (today.year - 1, today.year):
                matrix = build_matrix(
                    units=units,
                    obligations=[obligation],
                    year=year,
                    today=today,
                    calendar=calendar,
                )
                for cell in matrix.cells():
                    for period, coverage in cell.periods:
                        status = coverage.status
                        if status not in (
                            CoverageStatus.due_soon,
                            CoverageStatus.overdue,
                        ):
                            continue
                        late = status is CoverageStatus.overdue
                        overdue, due_soon = overdue + late, due_soon + (not late)
                        text = (
                            f"{cell.unit.short_name}：公开事项“{obligation}”"
                            f"（{period.label}）尚未公开，{coverage.note}"
                        )
                        key = f"obligation-{obligation.pk}-unit-{cell.unit.pk}-{period.key}-{status}"
                        for user in recipients(cell.unit, owner, overdue=late):
                            sent += notify(user, key=key, text=text, url=url)
        if sent:
            record_event(
                actor=None,
                action="obligations.reminders_sent",
                summary=f"公开事项提醒：即将到期{due_soon}项，已逾期{overdue}项，发出{sent}条",
                data={"today": today, "due_soon": due_soon, "overdue": overdue},
            )
    return ReminderReport(due_soon, overdue, sent)
