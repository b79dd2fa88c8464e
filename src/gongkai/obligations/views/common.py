from __future__ import annotations

from datetime import date

from django.http import HttpRequest

from gongkai.law.obligations import STATUS_LABELS, CoverageStatus

FIRST_YEAR = 2008


def chosen_year(request: HttpRequest, today: date) -> int:
    """``?year=``, or this year when missing or out of range."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and FIRST_YEAR <= int(raw) <= today.year + 1:
        return int(raw)
    return today.year


def year_choices(today: date) -> list[int]:
    return list(range(today.year + 1, today.year - 5, -1))


def legend() -> list[tuple[str, str]]:
    return [(s.value, STATUS_LABELS[s]) for s in CoverageStatus]
