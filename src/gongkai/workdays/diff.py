"""Differences between a stored arrangement and a new one (shown before changing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.law.arrangement import YearArrangement

KIND_LABELS = {"holiday": "放假", "makeup_workday": "调休上班"}


@dataclass(frozen=True)
class DayChange:
    date: date
    before: str  # "放假（春节）", "调休上班（春节）" or "" when absent
    after: str

    def __str__(self) -> str:
        return f"{self.date}：{self.before or '（无）'} → {self.after or '（无）'}"


def _label(arrangement: YearArrangement | None, day: date) -> str:
    if arrangement is None:
        return ""
    if day in arrangement.holidays:
        return f"放假（{arrangement.holidays[day]}）"
    if day in arrangement.makeup_workdays:
        return f"调休上班（{arrangement.makeup_workdays[day]}）"
    return ""


def arrangement_changes(
    old: YearArrangement | None, new: YearArrangement
) -> tuple[list[DayChange], str | None]:
    """Changed days, and the change of source notice (or None)."""
    days: set[date] = {*new.holidays, *new.makeup_workdays}
    if old is not None:
        days |= {*old.holidays, *old.makeup_workdays}
    changes = [
        DayChange(d, _label(old, d), _label(new, d))
        for d in sorted(days)
        if _label(old, d) != _label(new, d)
    ]
    source_change = None
    if old is not None and old.source != new.source:
        source_change = f"来源：{old.source} → {new.source}"
    return changes, source_change
