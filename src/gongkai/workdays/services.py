"""Entering a year's holiday arrangement, and what follows from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from gongkai.accounts import permissions
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.audit.services import record_event
from gongkai.law.arrangement import YearArrangement
from gongkai.workdays.diff import DayChange, arrangement_changes
from gongkai.workdays.models import CalendarDay, CalendarYear, DayKind, Origin
from gongkai.workdays.selectors import stored_arrangement

# Modules that keep computed deadlines (applications, publication limits) register
# a function here; it is called inside the transaction that changes the calendar,
# recomputes their open deadlines and returns how many moved.
DeadlineRecomputer = Callable[[str, User | None], int]
_recomputers: list[DeadlineRecomputer] = []


def register_deadline_recomputer(func: DeadlineRecomputer) -> None:
    if func not in _recomputers:
        _recomputers.append(func)


class CalendarConflict(ServiceError):
    """The year already has different data: the changes are listed, nothing is saved."""

    def __init__(self, changes: list[DayChange], source_change: str | None) -> None:
        lines = [str(c) for c in changes] + ([source_change] if source_change else [])
        super().__init__(
            f"该年度已有放假安排，新数据与之不同（共 {len(lines)} 处），确认后才会修改：\n"
            + "\n".join(lines)
        )
        self.changes = changes
        self.source_change = source_change


@dataclass(frozen=True)
class ArrangementResult:
    year: int
    created: bool
    changes: list[DayChange] = field(default_factory=list)
    deadlines_moved: int = 0


def enter_year_arrangement(
    *,
    actor: User | None,
    arrangement: YearArrangement,
    reason: str,
    confirm: bool = False,
    origin: str = Origin.ENTERED,
) -> ArrangementResult:
    """Store a year's arrangement from the State Council notice.

    A year that already has data is changed only with ``confirm=True``; otherwise
    ``CalendarConflict`` lists the differences. Every open deadline is recomputed in
    the same transaction and the change is audited with its reason.
    """
    if actor is not None and not permissions.can_manage_units(actor):
        raise ServiceError("只有系统管理员可以维护工作日历")
    if not reason.strip():
        raise ServiceError("请填写录入或修改的原因", field="reason")
    with transaction.atomic():
        existing = (
            CalendarYear.objects.select_for_update()
            .filter(year=arrangement.year)
            .first()
        )
        old = stored_arrangement(arrangement.year) if existing else None
        changes, source_change = arrangement_changes(old, arrangement)
        if existing is not None and not changes and source_change is None:
            return ArrangementResult(arrangement.year, created=False)
        if existing is not None and not confirm:
            raise CalendarConflict(changes, source_change)
        if existing is None:
            year = CalendarYear.objects.create(
                year=arrangement.year,
                source=arrangement.source,
                origin=origin,
                entered_by=actor,
            )
        else:
            year = existing
            year.source = arrangement.source
            year.origin = origin
            year.entered_by = actor
            year.save()
            year.days.all().delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(calendar_year=year, date=d, kind=DayKind.HOLIDAY, name=n)
                for d, n in arrangement.holidays.items()
            ]
            + [
                CalendarDay(
                    calendar_year=year, date=d, kind=DayKind.MAKEUP_WORKDAY, name=n
                )
                for d, n in arrangement.makeup_workdays.items()
            ]
        )
        note = f"{arrangement.year}年放假安排{'录入' if existing is None else '修改'}：{reason}"
        moved = sum(recompute(note, actor) for recompute in _recomputers)
        record_event(
            actor=actor,
            action="workdays.arrangement_entered"
            if existing is None
            else "workdays.arrangement_changed",
            summary=f"{note}（{arrangement.source}；{len(changes)} 天变化，{moved} 个期限重新计算）",
            obj=year,
            data={
                "year": arrangement.year,
                "source": arrangement.source,
                "reason": reason,
                "changes": [str(c) for c in changes],
                "deadlines_moved": moved,
            },
        )
    return ArrangementResult(arrangement.year, existing is None, changes, moved)
