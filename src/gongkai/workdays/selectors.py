from __future__ import annotations

from collections import defaultdict
from datetime import date

from gongkai.law.arrangement import YearArrangement
from gongkai.law.workcalendar import WorkCalendar
from gongkai.workdays.models import CalendarDay, CalendarYear, DayKind


def stored_arrangements(year: int | None = None) -> list[YearArrangement]:
    """The entered arrangements (one year, or all), as ``gongkai.law`` values."""
    years = CalendarYear.objects.all()
    days = CalendarDay.objects.values_list(
        "calendar_year__year", "date", "kind", "name"
    )
    if year is not None:
        years = years.filter(year=year)
        days = days.filter(calendar_year__year=year)
    holidays: dict[int, dict[date, str]] = defaultdict(dict)
    makeup: dict[int, dict[date, str]] = defaultdict(dict)
    for y, day, kind, name in days:
        (holidays if kind == DayKind.HOLIDAY else makeup)[y][day] = name
    return [
        YearArrangement(
            year=y.year,
            holidays=holidays[y.year],
            makeup_workdays=makeup[y.year],
            source=y.source,
        )
        for y in years
    ]


def stored_arrangement(year: int) -> YearArrangement | None:
    found = stored_arrangements(year)
    return found[0] if found else None


def work_calendar() -> WorkCalendar:
    """The calendar every deadline is computed with: entered years from the
    database, every other year provisional."""
    return WorkCalendar(stored_arrangements())


def calendar_years() -> list[CalendarYear]:
    return list(CalendarYear.objects.select_related("entered_by"))


def workdays_left(calendar: WorkCalendar, today: date, due_on: date) -> int:
    """Working days from today to a due date; negative once it has passed."""
    if due_on >= today:
        return calendar.workdays_between(today, due_on)
    return -calendar.workdays_between(due_on, today)
