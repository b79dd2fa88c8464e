"""The computed reply deadline of an application, explained day by day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from gongkai.law.regime import Regime


class ClockState(StrEnum):
    """Where an application stands against its reply deadline."""

    on_time = "on_time"
    due_soon = "due_soon"
    overdue = "overdue"
    replied = "replied"
    replied_late = "replied_late"
    awaiting_correction = "awaiting_correction"
    paused = "paused"


STATE_LABELS: Final[dict[ClockState, str]] = {
    ClockState.on_time: "办理中",
    ClockState.due_soon: "即将到期",
    ClockState.overdue: "已逾期",
    ClockState.replied: "已按期答复",
    ClockState.replied_late: "逾期答复",
    ClockState.awaiting_correction: "等待补正",
    ClockState.paused: "期限中止计算",
}

_WEEKDAYS: Final = ("一", "二", "三", "四", "五", "六", "日")


def _optional_iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class DayExplanation:
    """One calendar day of the count: counted or not, and why (in Chinese)."""

    date: date
    counted: bool
    reason: str
    ordinal: int | None = None


@dataclass(frozen=True)
class Deadline:
    """The reply deadline (《政府信息公开条例》第三十三条) derived from the events.

    ``days`` covers every calendar day from the day after receipt to ``due_on``.
    ``correction_notice_late`` says whether a correction was requested after the
    7 working days of 第三十条.
    """

    due_on: date
    regime: Regime
    period_workdays: int
    workdays_used: int
    workdays_left: int
    state: ClockState
    provisional: bool
    correction_notice_due_on: date | None
    correction_notice_late: bool
    correction_lapses_on: date | None
    fee_lapses_on: date | None
    days: tuple[DayExplanation, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data, dates as ISO strings (basis: 第三十三条)."""
        return {
            "due_on": self.due_on.isoformat(),
            "provisional": self.provisional,
            "workdays_used": self.workdays_used,
            "workdays_left": self.workdays_left,
            "period_workdays": self.period_workdays,
            "state": str(self.state),
            "regime": self.regime.name,
            "correction_notice_due_on": _optional_iso(self.correction_notice_due_on),
            "correction_lapses_on": _optional_iso(self.correction_lapses_on),
            "fee_lapses_on": _optional_iso(self.fee_lapses_on),
            "days": [
                {
                    "date": day.date.isoformat(),
                    "counted": day.counted,
                    "reason": day.reason,
                }
                for day in self.days
            ],
            "notes": list(self.notes),
        }

    def explain_text(self) -> str:
        """A Chinese day-by-day account for the command line (basis: 第三十三条)."""
        due = self.due_on
        lines = [
            f"答复期限：{due.year}年{due.month}月{due.day}日"
            f"（星期{_WEEKDAYS[due.weekday()]}）"
            + ("（暂定）" if self.provisional else ""),
            f"状态：{STATE_LABELS[self.state]}",
            f"期限：{self.period_workdays}个工作日，已用{self.workdays_used}个，"
            f"剩余{self.workdays_left}个",
        ]
        lines.extend(f"说明：{note}" for note in self.notes)
        if self.days:
            lines.append("逐日计算：")
        for day in self.days:
            mark = "计入" if day.counted else "不计"
            lines.append(
                f"{day.date.isoformat()} 星期{_WEEKDAYS[day.date.weekday()]} "
                f"{mark} {day.reason}"
            )
        return "\n".join(lines)
