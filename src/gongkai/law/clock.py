"""The reply clock of an application (《政府信息公开条例》第三十条至第三十五条).

This module is the entry point: the receipt date (:func:`receipt_date`), the regime
(:func:`regime_for`), the events and the policy, and :func:`compute_deadline`.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from gongkai.law.clock_plan import check_date, make_pauses, make_plan, paused_days
from gongkai.law.deadline import STATE_LABELS, ClockState, DayExplanation, Deadline
from gongkai.law.errors import LawInputError
from gongkai.law.receipt import CHANNEL_LABELS, Channel, receipt_date
from gongkai.law.regime import REGIME_2008, REGIME_2019, Regime, regime_for
from gongkai.law.workcalendar import DayKind, WorkCalendar

__all__ = [
    "CHANNEL_LABELS",
    "CONSULTATION_LABELS",
    "REGIME_2008",
    "REGIME_2019",
    "STATE_LABELS",
    "AgencySetDate",
    "Channel",
    "ClockEvent",
    "ClockPolicy",
    "ClockState",
    "Consultation",
    "ConsultationKind",
    "CorrectionReceived",
    "CorrectionRequested",
    "DayExplanation",
    "Deadline",
    "Extension",
    "FeeNotice",
    "Regime",
    "RepliedOnTheSpot",
    "compute_deadline",
    "receipt_date",
    "regime_for",
]


def _walk(
    calendar: WorkCalendar, start: date, n: int, paused: dict[date, list[str]]
) -> date:
    """The day the ``n``-th counted working day after ``start`` falls on."""
    day, count = start, 0
    while count < n:
        day = calendar.next_workday(day)
        if day not in paused:
            count += 1
    return day


def _counted_reason(ordinal: int, base: int, period: int, makeup: str) -> str:
    if ordinal <= base:
        reason = f"第{ordinal}个工作日"
    elif ordinal <= period:
        reason = f"延期：第{ordinal}个工作日"
    else:
        reason = f"第三十五条延迟答复期限：第{ordinal}个工作日"
    return f"{makeup}，计入：{reason}" if makeup else reason


def compute_deadline(
    *,
    received_on: date,
    events: Sequence[ClockEvent],
    calendar: WorkCalendar,
    today: date,
    policy: ClockPolicy | None = None,
    replied_on: date | None = None,
) -> Deadline:
    """The reply deadline of an application and the day-by-day count behind it.

    Rules (《政府信息公开条例》, 2019; the 2008 version for receipts up to 2019-05-14):

    * Every period is in working days and starts the day after the triggering day
      (民法典第二百零一条).  The reply is due within 20 working days of receipt
      (第三十三条第二款; 2008 第二十四条: 15).
    * 补正 (第三十条): the request is due within 7 working days of receipt and may be
      made once; while the applicant corrects, the clock does not run; the
      correction period (``policy.correction_period_workdays``) runs from the
      request; the reply period starts again, in full, from the day the corrected
      application is received.  Before that the state is ``awaiting_correction`` and
      ``due_on`` is the day the correction period lapses.
    * Consultations of a third party (第三十二条) or another agency (第三十四条) are not
      counted (第三十三条第三款): working days ``started_on < d <= end`` are skipped,
      ``end`` being ``ended_on`` or the lapse of the 15-working-day answer period,
      whichever is earlier (the lapse if still open).  Overlapping consultations
      are merged.  The 2008 version excludes only third-party consultations.
    * One extension (第三十三条第二款), at most the regime's cap, adds to the period.
    * A fee notice (国办函〔2020〕109号) pauses the clock from the day after it is
      issued until payment, at most for the payment period, if
      ``policy.fee_pauses_clock``.
    * A reasonable later date set under 第三十五条 replaces the computed date.
    * A reply on the spot (第三十三条第一款) is due, and given, on the day of receipt.

    ``workdays_used`` counts the counted days up to ``today`` (or ``replied_on``).
    """
    policy = policy or ClockPolicy()
    regime = regime_for(received_on)
    if today < received_on:
        raise LawInputError(
            "today", f"今天（today）{today}早于收到申请日期（received_on）{received_on}"
        )
    if replied_on is not None:
        check_date("replied_on", "答复日期", replied_on, received_on, today)
    plan = make_plan(events, received_on, today, regime)
    notes = [
        f"适用{regime.label}，答复期限为{regime.reply_workdays}个工作日（{regime.citation}）"
    ]
    if plan.on_the_spot is not None:
        return _on_the_spot(received_on, regime, replied_on, notes)

    requested, corrected = plan.requested, plan.corrected
    notice_due_on: date | None = None
    notice_late = False
    lapses_on: date | None = None
    if requested is not None:
        if regime.correction_notice_workdays is not None:
            notice_due_on = calendar.add_workdays(
                received_on, regime.correction_notice_workdays
            )
            notice_late = requested.on > notice_due_on
            notes.append(
                f"补正告知最迟应于{notice_due_on}作出（第三十条），实际于{requested.on}告知"
                + ("，已超过7个工作日" if notice_late else "")
            )
        else:
            notes.append(
                f"{regime.label}第二十一条第（四）项要求告知申请人作出更改、补充，"
                "未规定告知期限"
            )
        lapses_on = calendar.add_workdays(
            requested.on, policy.correction_period_workdays
        )
        if corrected is None:
            notes.append(
                f"等待申请人补正，补正期限至{lapses_on}；申请人无正当理由逾期不补正的，"
                "视为放弃申请（第三十条）"
            )
        else:
            notes.append(
                f"{corrected.on}收到补正申请，答复期限自次日起重新计算（第三十条）"
            )
            if corrected.on > lapses_on:
                notes.append(f"补正晚于补正期限届满日{lapses_on}")
    start = corrected.on if corrected is not None else received_on
    if requested is None:
        notes.append(
            f"{received_on}收到申请，答复期限自次日起计算（民法典第二百零一条）"
        )
    awaiting = requested is not None and corrected is None

    pauses, fee_lapses_on = make_pauses(plan, calendar, policy, regime, notes)
    paused = paused_days(pauses, calendar, start)
    base = regime.reply_workdays
    extension = plan.extension
    period = base + (extension.workdays if extension is not None else 0)
    if extension is not None:
        base_due = _walk(calendar, start, base, paused)
        notes.append(
            f"经{extension.approved_by}同意，答复期限延长{extension.workdays}个工作日"
            f"（{regime.citation}第二款）：{extension.reason}"
        )
        if extension.on > base_due:
            notes.append(
                f"延期决定晚于原答复期限届满日{base_due}，应在期限内作出并告知申请人"
            )

    if lapses_on is not None and awaiting:
        due_on = lapses_on
    else:
        due_on = _walk(calendar, start, period, paused)
        if plan.agency_date is not None:
            agency = plan.agency_date
            notes.append(
                f"依据第三十五条确定延迟答复的期限至{agency.due_on}：{agency.reason}"
                f"（按第三十三条计算为{due_on}）"
            )
            due_on = agency.due_on

    days = _explain(
        calendar, received_on, due_on, start, requested, corrected, paused, base, period
    )
    provisional_years = sorted(
        {d.date.year for d in days if calendar.is_provisional(d.date)}
    )
    for year in provisional_years:
        notes.append(
            f"{year}年放假安排尚未录入，按《全国年节及纪念日放假办法》推算，期限为暂定"
        )

    counted = [d for d in days if d.counted]
    period_workdays = period if awaiting or plan.agency_date is None else len(counted)
    cutoff = replied_on if replied_on is not None else today
    used = sum(1 for d in counted if d.date <= cutoff)
    if replied_on is not None:
        state = ClockState.replied if replied_on <= due_on else ClockState.replied_late
    elif awaiting:
        state = ClockState.awaiting_correction
    elif today > due_on:
        state = ClockState.overdue
    elif any(p.start < today <= p.end and today > start for p in pauses):
        state = ClockState.paused
    elif period_workdays - used <= policy.due_soon_workdays:
        state = ClockState.due_soon
    else:
        state = ClockState.on_time
    return Deadline(
        due_on=due_on,
        regime=regime,
        period_workdays=period_workdays,
        workdays_used=used,
        workdays_left=max(0, period_workdays - used),
        state=state,
        provisional=bool(provisional_years),
        correction_notice_due_on=notice_due_on,
        correction_notice_late=notice_late,
        correction_lapses_on=lapses_on,
        fee_lapses_on=fee_lapses_on,
        days=tuple(days),
        notes=tuple(notes),
    )


def _on_the_spot(
    received_on: date, regime: Regime, replied_on: date | None, notes: list[str]
) -> Deadline:
    if replied_on is not None and replied_on != received_on:
        raise LawInputError(
            "replied_on", f"当场答复的答复日期（replied_on）应为{received_on}"
        )
    notes.append(f"能够当场答复的，当场予以答复（{regime.citation}第一款）")
    return Deadline(
        due_on=received_on,
        regime=regime,
        period_workdays=0,
        workdays_used=0,
        workdays_left=0,
        state=ClockState.replied,
        provisional=False,
        correction_notice_due_on=None,
        correction_notice_late=False,
        correction_lapses_on=None,
        fee_lapses_on=None,
        days=(),
        notes=tuple(notes),
    )


def _explain(
    calendar: WorkCalendar,
    received_on: date,
    due_on: date,
    start: date,
    requested: CorrectionRequested | None,
    corrected: CorrectionReceived | None,
    paused: dict[date, list[str]],
    base: int,
    period: int,
) -> list[DayExplanation]:
    """Every calendar day after receipt up to the due date, with its reason."""
    days: list[DayExplanation] = []
    ordinal = 0
    day = received_on
    while day < due_on:
        day += timedelta(days=1)
        info = calendar.day(day)
        counted = False
        number: int | None = None
        if corrected is not None and day == corrected.on:
            reason = "收到补正申请，补正后重新起算"
        elif not info.is_workday:
            reason = info.reason
        elif requested is not None and day <= requested.on:
            reason = "补正前，不计入（答复期限自收到补正申请之日起重新计算）"
        elif requested is not None and (corrected is None or day < corrected.on):
            reason = "等待补正期间，不计入"
            if corrected is None and day == due_on:
                reason += "；补正期限届满"
        elif day in paused:
            reason = f"{'、'.join(paused[day])}期间，不计入"
        else:
            ordinal += 1
            counted, number = True, ordinal
            makeup = info.reason if info.kind is DayKind.makeup_workday else ""
            reason = _counted_reason(ordinal, base, period, makeup)
        if info.provisional:
            reason += f"；暂定（{day.year}年放假安排未公布）"
        days.append(DayExplanation(day, counted, reason, number))
    return days
