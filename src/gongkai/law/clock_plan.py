"""Validation of the clock events of one application, and the pauses they cause."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkai.law.clock_events import (
    CONSULTATION_LABELS,
    AgencySetDate,
    ClockEvent,
    ClockPolicy,
    Consultation,
    ConsultationKind,
    CorrectionReceived,
    CorrectionRequested,
    Extension,
    FeeNotice,
    RepliedOnTheSpot,
)
from gongkai.law.errors import LawInputError
from gongkai.law.regime import Regime
from gongkai.law.workcalendar import WorkCalendar

FEE_LABEL = "等待缴纳信息处理费"


@dataclass
class Plan:
    """The events of one application, sorted by kind and checked."""

    requested: CorrectionRequested | None = None
    corrected: CorrectionReceived | None = None
    consultations: list[Consultation] = field(default_factory=list)
    extension: Extension | None = None
    agency_date: AgencySetDate | None = None
    fee: FeeNotice | None = None
    on_the_spot: RepliedOnTheSpot | None = None


@dataclass(frozen=True)
class Pause:
    """Calendar days ``start < d <= end`` during which the clock stands still."""

    label: str
    start: date
    end: date


def check_date(
    field: str, label: str, value: date, received_on: date, today: date
) -> None:
    """Reject an event date before receipt (第三十一条) or after today."""
    if value < received_on:
        raise LawInputError(
            field,
            f"{label}（{field}）{value}早于收到申请日期（received_on）{received_on}",
        )
    if value > today:
        raise LawInputError(field, f"{label}（{field}）{value}晚于今天（today）{today}")


def _once(current: object, field: str, message: str) -> None:
    if current is not None:
        raise LawInputError(field, f"{message}（{field}）")


def make_plan(
    events: Sequence[ClockEvent], received_on: date, today: date, regime: Regime
) -> Plan:
    """Sort and check the events (《政府信息公开条例》第三十条至第三十五条)."""
    plan = Plan()
    for event in events:
        match event:
            case CorrectionRequested(on=on):
                check_date(
                    "correction_requested_on", "补正告知日期", on, received_on, today
                )
                _once(
                    plan.requested,
                    "correction_requested_on",
                    "补正应一次性告知，不能再次要求补正",
                )
                plan.requested = event
            case CorrectionReceived(on=on):
                check_date(
                    "correction_received_on", "收到补正日期", on, received_on, today
                )
                _once(plan.corrected, "correction_received_on", "补正申请只能收到一次")
                plan.corrected = event
            case Consultation(started_on=started, ended_on=ended):
                check_date(
                    "consultation_started_on",
                    "征求意见开始日期",
                    started,
                    received_on,
                    today,
                )
                if ended is not None:
                    check_date(
                        "consultation_ended_on",
                        "征求意见结束日期",
                        ended,
                        received_on,
                        today,
                    )
                plan.consultations.append(event)
            case Extension(on=on, workdays=workdays):
                check_date("extension_on", "延期决定日期", on, received_on, today)
                _once(plan.extension, "extension_on", "答复期限只能延长一次")
                if workdays > regime.extension_cap:
                    raise LawInputError(
                        "extension_workdays",
                        f"延长的期限最长不得超过{regime.extension_cap}个工作日"
                        f"（{regime.citation}），extension_workdays为{workdays}",
                    )
                plan.extension = event
            case AgencySetDate(on=on):
                check_date(
                    "agency_set_on", "确定延迟答复期限的日期", on, received_on, today
                )
                _once(plan.agency_date, "agency_set_on", "延迟答复期限只能确定一次")
                if not regime.allows_agency_set_date:
                    raise LawInputError(
                        "agency_set_on",
                        f"{regime.label}没有确定延迟答复期限的规定（agency_set_on），"
                        "第三十五条自2019年5月15日起施行",
                    )
                plan.agency_date = event
            case FeeNotice(issued_on=issued, paid_on=paid):
                check_date("fee_issued_on", "收费通知日期", issued, received_on, today)
                if paid is not None:
                    check_date("fee_paid_on", "缴费日期", paid, received_on, today)
                _once(plan.fee, "fee_issued_on", "每件申请只能发出一次收费通知")
                plan.fee = event
            case RepliedOnTheSpot(on=on):
                if on != received_on:
                    raise LawInputError(
                        "replied_on_the_spot_on",
                        f"当场答复日期（replied_on_the_spot_on）{on}应为收到申请之日{received_on}",
                    )
                _once(
                    plan.on_the_spot, "replied_on_the_spot_on", "当场答复只能记录一次"
                )
                plan.on_the_spot = event
            case _:
                raise LawInputError(
                    "events", f"无法识别的办理事件（events）：{event!r}"
                )
    if plan.corrected is not None:
        if plan.requested is None:
            raise LawInputError(
                "correction_received_on",
                "未告知补正，不能记录收到补正申请（correction_received_on）",
            )
        if plan.corrected.on < plan.requested.on:
            raise LawInputError(
                "correction_received_on",
                f"收到补正日期（correction_received_on）{plan.corrected.on}"
                f"早于补正告知日期{plan.requested.on}",
            )
    if plan.on_the_spot is not None and len(events) > 1:
        raise LawInputError(
            "replied_on_the_spot_on",
            "已当场答复的申请不应再有其他办理事件（replied_on_the_spot_on）",
        )
    return plan


def make_pauses(
    plan: Plan,
    calendar: WorkCalendar,
    policy: ClockPolicy,
    regime: Regime,
    notes: list[str],
) -> tuple[list[Pause], date | None]:
    """The pauses of the clock and the day an unpaid fee lapses (第三十三条第三款).

    A consultation pauses the clock from the day after it started until it ended, but
    never beyond the answer period of 第三十二条/第三十四条; an open consultation is
    assumed to run to the end of that period.  A fee notice pauses it from the day
    after the notice until the day of payment, at most until the payment period
    lapses, when ``policy.fee_pauses_clock`` is set.
    """
    pauses: list[Pause] = []
    for consultation in plan.consultations:
        label = CONSULTATION_LABELS[consultation.kind]
        started, ended = consultation.started_on, consultation.ended_on
        lapses = calendar.add_workdays(started, policy.consultation_workdays)
        if (
            consultation.kind is ConsultationKind.other_agency
            and not regime.other_agency_pauses
        ):
            notes.append(
                f"{label}（{started}起）：{regime.label}未规定征求其他机关意见的时间"
                "不计入答复期限，该期间照常计算"
            )
            continue
        if ended is None:
            end = lapses
            notes.append(
                f"{label}自{started}起尚未结束，按{policy.consultation_workdays}个工作日的"
                f"意见期限推算至{lapses}，该期间不计入答复期限（第三十三条第三款）"
            )
        else:
            end = min(ended, lapses)
            notes.append(
                f"{label}：{started}至{ended}，该期间不计入答复期限（第三十三条第三款）"
            )
            if ended > lapses:
                notes.append(
                    f"{label}超过{policy.consultation_workdays}个工作日的意见期限"
                    f"（第三十二条、第三十四条），{lapses}之后的时间照常计算"
                )
        pauses.append(Pause(label, started, end))
    fee_lapses_on = None
    if plan.fee is not None:
        issued, paid = plan.fee.issued_on, plan.fee.paid_on
        fee_lapses_on = calendar.add_workdays(issued, policy.fee_payment_workdays)
        if paid is None:
            notes.append(
                f"已于{issued}发出收费通知，申请人最迟应于{fee_lapses_on}缴费，"
                "逾期未缴纳的视为放弃申请（国办函〔2020〕109号）"
            )
        elif paid > fee_lapses_on:
            notes.append(f"缴费日期{paid}晚于缴费期限届满日{fee_lapses_on}")
        if policy.fee_pauses_clock:
            end = fee_lapses_on if paid is None else min(paid, fee_lapses_on)
            pauses.append(Pause(FEE_LABEL, issued, end))
            notes.append("按本机关设置，缴费期间不计入答复期限")
        else:
            notes.append("按本机关设置，缴费期间计入答复期限")
    return pauses, fee_lapses_on


def paused_days(
    pauses: list[Pause], calendar: WorkCalendar, after: date
) -> dict[date, list[str]]:
    """Working days after ``after`` that fall in a pause, with the pauses' labels.

    Overlapping pauses are merged: a day paused twice is still one day.
    """
    days: dict[date, list[str]] = {}
    for pause in pauses:
        day = max(pause.start, after)
        while day < pause.end:
            day += timedelta(days=1)
            if calendar.is_workday(day):
                labels = days.setdefault(day, [])
                if pause.label not in labels:
                    labels.append(pause.label)
    return days
