"""Fixtures of the statutory-rules tests; no Django needed."""

from __future__ import annotations

import pytest

from gongkai.law.workcalendar import WorkCalendar

from .real_calendar import official_calendar


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    """The official arrangements 2018–2026; 2027 on is provisional."""
    return official_calendar()
